"""Jalali conversions across leap years, with jdatetime as the oracle."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shafa.core import jalali


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_round_trip_through_jalali_matches_the_oracle(day: dt.date) -> None:
    oracle = jdatetime.date.fromgregorian(date=day)
    assert jalali.from_gregorian(day) == oracle
    assert jalali.to_gregorian(oracle.year, oracle.month, oracle.day) == day
    assert jalali.parse(jalali.format_jalali_iso(day)) == day


@given(st.integers(min_value=1300, max_value=1500))
def test_leap_years_and_esfand_length_match_the_oracle(year: int) -> None:
    oracle_leap = jdatetime.date(year, 1, 1).isleap()
    assert jalali.is_leap(year) == oracle_leap
    assert jalali.month_length(year, 12) == (30 if oracle_leap else 29)
    if oracle_leap:
        assert jalali.parse(f"{year}/12/30") == jdatetime.date(year, 12, 30).togregorian()
    else:
        with pytest.raises(jalali.InvalidJalaliDate):
            jalali.parse(f"{year}/12/30")


def test_1403_is_leap_and_1404_is_not() -> None:
    assert jalali.parse("1403/12/30") == dt.date(2025, 3, 20)
    with pytest.raises(jalali.InvalidJalaliDate):
        jalali.parse("1404/12/30")


@pytest.mark.parametrize("text", ["۱۴۰۳/۱۲/۳۰", "١٤٠٣/١٢/٣٠", "1403-12-30", " 1403.12.30 ", "1403/12/30"])
def test_parse_accepts_any_digit_script_and_separator(text: str) -> None:
    assert jalali.parse(text) == dt.date(2025, 3, 20)


@pytest.mark.parametrize("text", ["", "1404/13/01", "1404/07/32", "1404/00/10", "abc", "14040701"])
def test_parse_rejects_impossible_or_unreadable_dates(text: str) -> None:
    with pytest.raises(jalali.InvalidJalaliDate):
        jalali.parse(text)


def test_format_date_is_jalali_with_persian_digits_in_persian_and_gregorian_in_english() -> None:
    day = dt.date(2025, 9, 23)  # 1 Mehr 1404
    assert jalali.format_date(day, "fa") == "۱۴۰۴/۰۷/۰۱"
    assert jalali.format_date(day, "fa", long=True) == "۱ مهر ۱۴۰۴"
    assert jalali.format_date(day, "en") == "2025-09-23"
    assert jalali.format_jalali_iso(day) == "1404/07/01"


def test_founding_year_1984_is_1363() -> None:
    assert jalali.jalali_year_of(dt.date(1984, 9, 23)) == 1363
