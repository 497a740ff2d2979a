from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from shafa.core.text import digits_to_ascii, digits_to_persian, normalize_number, normalize_persian
from shafa.core.validators import (
    national_code_is_valid,
    national_code_with_check_digit,
    validate_grade,
    validate_national_code,
    validate_orcid,
)


def test_arabic_yeh_and_kaf_become_persian_and_zwnj_is_kept() -> None:
    assert normalize_persian("علي  كريمي") == "علی کریمی"
    assert normalize_persian("می\u200cخواهم") == "می\u200cخواهم"
    assert normalize_persian("  سلام \u200c دنیا ") == "سلام دنیا"


def test_digits_in_any_script_become_ascii_and_back() -> None:
    assert digits_to_ascii("۱۲۳٤٥") == "12345"
    assert digits_to_persian(14041) == "۱۴۰۴۱"
    assert normalize_number("۰۰۱-۲۳۴ ۵۶۷۸۹") == "00123456789"


@pytest.mark.parametrize("code", ["0499370899", "0790419904", "0084575948", "0010350829"])
def test_known_valid_national_codes(code: str) -> None:
    assert national_code_is_valid(code)
    validate_national_code(code)


@pytest.mark.parametrize("code", ["0499370898", "1111111111", "123", "12345678901", "abcdefghij", ""])
def test_invalid_national_codes_are_rejected_with_a_clear_error(code: str) -> None:
    assert not national_code_is_valid(code)
    with pytest.raises(ValidationError) as excinfo:
        validate_national_code(code)
    assert excinfo.value.code == "invalid_national_code"


def test_national_code_in_persian_digits_is_accepted() -> None:
    assert national_code_is_valid("۰۴۹۹۳۷۰۸۹۹")


@given(st.integers(min_value=1, max_value=999_999_998))
def test_completed_codes_validate_and_any_other_check_digit_fails(n: int) -> None:
    nine = f"{n:09d}"
    code = national_code_with_check_digit(nine)
    if len(set(code)) == 1:
        return
    assert national_code_is_valid(code)
    for digit in "0123456789":
        if digit != code[-1]:
            assert not national_code_is_valid(nine + digit)


@pytest.mark.parametrize("value", ["0", "20", "12.25", "19.75", "0.5"])
def test_grades_on_quarter_steps_are_valid(value: str) -> None:
    validate_grade(Decimal(value))


@pytest.mark.parametrize("value", ["-0.25", "20.25", "12.3", "15.1"])
def test_grades_off_the_scale_or_step_are_rejected(value: str) -> None:
    with pytest.raises(ValidationError):
        validate_grade(Decimal(value))


def test_orcid_check_character() -> None:
    validate_orcid("0000-0002-1825-0097")
    validate_orcid("0000-0001-5109-3700")
    validate_orcid("0000-0002-1694-233X")
    with pytest.raises(ValidationError):
        validate_orcid("0000-0002-1825-0098")
