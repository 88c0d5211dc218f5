"""Checks of Chinese identifiers: mainland mobile numbers and resident ID numbers."""

import re

MOBILE = re.compile(r"^1[3-9]\d{9}$")
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def is_mobile(value: str) -> bool:
    return bool(MOBILE.match(value))


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def is_id_number(value: str) -> bool:
    """18-digit resident ID with a valid birth date and ISO 7064 check digit."""
    value = value.upper()
    if not ID_NUMBER.match(value):
        return False
    year, month, day = int(value[6:10]), int(value[10:12]), int(value[12:14])
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    return id_check_digit(value[:17]) == value[17]


def mask_phone(value: str) -> str:
    return value[:3] + "****" + value[-4:] if len(value) >= 8 else "****"


def mask_id_number(value: str) -> str:
    return value[:6] + "********" + value[-4:] if len(value) >= 10 else "****"
