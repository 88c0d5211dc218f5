"""Resident ID numbers and mobile numbers: each way a number is wrong gets its own message."""

from datetime import date

import pytest

from services.validation import id_check_digit, id_number_problem, is_mobile, mask_id_number, mask_phone

TODAY = date(2026, 11, 29)


def valid(first17: str) -> str:
    return first17 + id_check_digit(first17)


def test_valid_numbers_pass_whatever_the_case_of_x() -> None:
    assert id_number_problem(valid("11010119800101123"), TODAY) is None
    assert id_number_problem("11010519491231002x", TODAY) is None  # a lower-case check letter


def test_older_people_of_districts_renamed_since_pass() -> None:
    """stdnum's full validate refuses 330102 (上城区, coded since 1983) for people born before 1983."""
    assert id_number_problem(valid("33010219600101123"), TODAY) is None


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1101011980010112", "须为 18 位（末位可为 X），现为 16 位"),
        ("11010119800101A234", "前 17 位须为数字"),
        ("110101198001011234", "校验位不正确"),
        ("110101198002311237", "出生日期 1980-02-31 不存在"),  # 31 February, a correct check digit
        (valid("11010120300101123"), "出生日期 2030-01-01 晚于今天"),
        (valid("99999919800101123"), "前 6 位不是有效的行政区划代码"),
    ],
)
def test_each_fault_has_its_own_message(number: str, message: str) -> None:
    problem = id_number_problem(number, TODAY)
    assert problem is not None and message in problem


def test_born_today_is_fine_tomorrow_is_not() -> None:
    assert id_number_problem(valid("11010120261129123"), TODAY) is None
    assert "晚于今天" in (id_number_problem(valid("11010120261130123"), TODAY) or "")


def test_mobile_numbers_and_masks() -> None:
    assert is_mobile("13800138000") and not is_mobile("23800138000") and not is_mobile("1380013800")
    assert mask_phone("13800138000") == "138****8000"
    assert mask_id_number("11010119800101123X") == "110101********123X"
