"""Checks of Chinese identifiers: mainland mobile numbers and resident ID numbers (居民身份证号码).

ID numbers are checked with python-stdnum's pieces (``stdnum.cn.ric``: length, digits, the ISO 7064 check
digit, a real birth date, a region code in its table), plus a birth date not in the future. Not with
``ric.validate`` as a whole: it also wants the region code to have existed in the birth year, which
refuses real numbers of people born before their district got its current code (330102196001011234).
Each way a number can be wrong has its own message, so the person typing knows which part to look at.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric

from workflow.text import say

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def is_mobile(value: str) -> bool:
    return bool(MOBILE.match(value))


def id_check_digit(first17: str) -> str:
    """The 18th character of a resident ID number whose first 17 digits are given."""
    return str(ric.calc_check_digit(first17 + "0"))  # stdnum reads all but the last character


def id_number_problem(value: str, today: date) -> str | None:
    """What is wrong with a resident ID number (None: nothing)."""
    number = ric.compact(value).upper()
    if len(number) != 18:
        return say("身份证号码须为 18 位（末位可为 X），现为 %(n)s 位。", n=len(number))
    if not (number[:-1].isdigit() and number[:-1].isascii() and (number[-1].isdigit() or number[-1] == "X")):
        return say("身份证号码前 17 位须为数字，末位为数字或 X。")
    if number[-1] != ric.calc_check_digit(number):
        return say("身份证号码校验位不正确，请逐位核对。")
    try:
        born_on = ric.get_birth_date(number)
    except stdnum_errors.InvalidComponent:
        born = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
        return say("身份证号码中的出生日期 %(born)s 不存在。", born=born)
    if born_on > today:
        return say("身份证号码中的出生日期 %(born)s 晚于今天。", born=born_on.isoformat())
    if not _is_county(number[:6]):
        return say("身份证号码前 6 位不是有效的行政区划代码。")
    return None


@lru_cache(maxsize=8192)
def _is_county(code: str) -> bool:
    """Whether a region code is a county in stdnum's table (a lookup costs ~1 ms; imports check thousands)."""
    return any("county" in props for _part, props in numdb.get("cn/loc").info(code))


def mask_phone(value: str) -> str:
    return value[:3] + "****" + value[-4:] if len(value) >= 8 else "****"


def mask_id_number(value: str) -> str:
    return value[:6] + "********" + value[-4:] if len(value) >= 10 else "****"
