"""Validators shared by forms, the API and importers. Messages are translatable."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import normalize_number


def national_code_is_valid(code: str) -> bool:
    """The Iranian national code (کد ملی): 10 digits whose last is a mod-11 check digit."""
    code = normalize_number(code)
    if len(code) != 10 or not code.isdigit() or len(set(code)) == 1:
        return False
    total = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    check = int(code[9])
    return check == total if total < 2 else check == 11 - total


def validate_national_code(value: str) -> None:
    if not national_code_is_valid(value):
        raise ValidationError(
            _("“%(value)s” is not a valid national code: it must be 10 digits with a correct check digit."),
            code="invalid_national_code",
            params={"value": value},
        )


def national_code_with_check_digit(first_nine: str) -> str:
    """Complete nine digits with their check digit (for demo data and tests)."""
    total = sum(int(first_nine[i]) * (10 - i) for i in range(9)) % 11
    return first_nine + str(total if total < 2 else 11 - total)


def validate_grade(value: Decimal) -> None:
    """A grade lies on 0–20 in steps of 0.25."""
    if value < 0 or value > 20 or (value * 4) % 1 != 0:
        raise ValidationError(_("A grade must be between 0 and 20 in steps of 0.25."), code="invalid_grade")


def validate_orcid(value: str) -> None:
    """ORCID iD: 0000-0000-0000-000X with an ISO 7064 11,2 check character."""
    digits = value.replace("-", "")
    if len(digits) != 16 or not digits[:15].isdigit():
        raise ValidationError(_("An ORCID iD has the form 0000-0000-0000-0000."), code="invalid_orcid")
    total = 0
    for char in digits[:15]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[15].upper() != expected:
        raise ValidationError(_("This ORCID iD has a wrong check character."), code="invalid_orcid")
