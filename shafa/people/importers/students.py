"""Read a CSV of students: normalise Persian text and digits, check each cell, report every error.

Plain Python with no Django imports, so it can be tested and benchmarked alone. It returns the
rows it could read and the errors it found, each with its line number and column; saving (and
the checks that need the database — unknown program or term, a student number already taken)
is the caller's job, through the people services.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from shafa.core.jalali import InvalidJalaliDate
from shafa.core.jalali import parse as parse_jalali
from shafa.core.text import digits_to_ascii, normalize_number, normalize_persian

COLUMNS = (
    "student_number",
    "national_code",
    "first_name_fa",
    "last_name_fa",
    "first_name_en",
    "last_name_en",
    "sex",
    "birth_date_jalali",
    "program_code",
    "entry_term_code",
    "native_quota",
)
REQUIRED = (
    "student_number",
    "national_code",
    "first_name_fa",
    "last_name_fa",
    "sex",
    "birth_date_jalali",
    "program_code",
    "entry_term_code",
)
_SEX = {"f": "F", "female": "F", "زن": "F", "m": "M", "male": "M", "مرد": "M"}
_TRUE = {"1", "true", "yes", "y", "بله", "بلی", "آری"}
_FALSE = {"", "0", "false", "no", "n", "خیر"}


class ErrorCode:
    """What went wrong in a cell; the command turns each code into a translated message."""

    MISSING_COLUMNS = "missing_columns"
    EMPTY_FILE = "empty_file"
    REQUIRED = "required"
    NATIONAL_CODE = "national_code"
    STUDENT_NUMBER = "student_number"
    SEX = "sex"
    DATE = "date"
    DATE_FUTURE = "date_future"
    BOOLEAN = "boolean"
    TERM_CODE = "term_code"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    # Found by the caller against the database:
    UNKNOWN_PROGRAM = "unknown_program"
    UNKNOWN_TERM = "unknown_term"
    NUMBER_TAKEN = "number_taken"
    NATIONAL_CODE_TAKEN = "national_code_taken"
    INVALID = "invalid"


@dataclass(frozen=True)
class RowError:
    line: int  # 1 is the header line; 0 is the file as a whole
    column: str
    code: str
    value: str = ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class StudentRow:
    line: int
    student_number: str
    national_code: str
    first_name_fa: str
    last_name_fa: str
    first_name_en: str
    last_name_en: str
    sex: str
    birth_date: dt.date
    program_code: str
    entry_term_code: int
    native_quota: bool


@dataclass
class RejectedRow:
    """A row with errors, kept so the caller can still check its codes against the database."""

    line: int
    student_number: str
    national_code: str
    program_code: str
    entry_term_code: int  # 0 when unreadable


@dataclass
class ReadResult:
    rows: list[StudentRow]
    errors: list[RowError]
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def national_code_is_valid(code: str) -> bool:
    """The mod-11 check digit of the Iranian national code (the same rule as core.validators)."""
    if len(code) != 10 or not code.isdigit() or len(set(code)) == 1:
        return False
    total = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    return int(code[9]) == (total if total < 2 else 11 - total)


def read_students(source: str | Iterable[str], *, today: dt.date | None = None) -> ReadResult:
    """Read CSV text (or lines) into normalised student rows; collect every error, stop at none."""
    text = source if isinstance(source, str) else "".join(source)
    text = text.lstrip("\ufeff")  # a BOM from spreadsheet exports
    reader = csv.DictReader(io.StringIO(text))
    today = today or dt.date.today()
    errors: list[RowError] = []
    if not reader.fieldnames:
        return ReadResult([], [RowError(0, "", ErrorCode.EMPTY_FILE)])
    header = [normalize_persian(name or "").lower() for name in reader.fieldnames]
    reader.fieldnames = header
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        return ReadResult(
            [],
            [
                RowError(
                    1, ", ".join(missing), ErrorCode.MISSING_COLUMNS, params={"columns": ", ".join(missing)}
                )
            ],
        )
    rows: list[StudentRow] = []
    rejected: list[RejectedRow] = []
    seen_numbers: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        cells = {key: (value or "").strip() for key, value in record.items() if key}
        if not any(cells.values()):
            continue
        row_errors: list[RowError] = []

        def error(
            column: str,
            code: str,
            value: str = "",
            _line: int = line,
            _errors: list[RowError] = row_errors,
            **params: Any,
        ) -> None:
            _errors.append(RowError(_line, column, code, value, params))

        for column in REQUIRED:
            if not cells.get(column):
                error(column, ErrorCode.REQUIRED)
        number = normalize_number(cells.get("student_number", ""))
        if number and not (number.isdigit() and 6 <= len(number) <= 20):
            error("student_number", ErrorCode.STUDENT_NUMBER, cells["student_number"])
        elif number in seen_numbers:
            error("student_number", ErrorCode.DUPLICATE_IN_FILE, number, other_line=seen_numbers[number])
        elif number:
            seen_numbers[number] = line
        national_code = normalize_number(cells.get("national_code", ""))
        if national_code and not national_code_is_valid(national_code):
            error("national_code", ErrorCode.NATIONAL_CODE, cells["national_code"])
        elif national_code in seen_codes:
            error(
                "national_code",
                ErrorCode.DUPLICATE_IN_FILE,
                national_code,
                other_line=seen_codes[national_code],
            )
        elif national_code:
            seen_codes[national_code] = line
        sex_text = normalize_persian(cells.get("sex", "")).lower()
        sex = _SEX.get(sex_text, "")
        if sex_text and not sex:
            error("sex", ErrorCode.SEX, cells["sex"])
        birth_date = None
        if cells.get("birth_date_jalali"):
            try:
                birth_date = parse_jalali(cells["birth_date_jalali"])
            except InvalidJalaliDate:
                error("birth_date_jalali", ErrorCode.DATE, cells["birth_date_jalali"])
            else:
                if birth_date > today:
                    error("birth_date_jalali", ErrorCode.DATE_FUTURE, cells["birth_date_jalali"])
        term_text = normalize_number(cells.get("entry_term_code", ""))
        term_code = 0
        if term_text:
            if term_text.isdigit() and len(term_text) == 5 and term_text[-1] in "123":
                term_code = int(term_text)
            else:
                error("entry_term_code", ErrorCode.TERM_CODE, cells["entry_term_code"])
        quota_text = normalize_persian(normalize_number(cells.get("native_quota", ""))).lower()
        if quota_text not in _TRUE | _FALSE:
            error("native_quota", ErrorCode.BOOLEAN, cells["native_quota"])
        program_code = digits_to_ascii(cells.get("program_code", "")).lower()
        if row_errors:
            errors.extend(row_errors)
            rejected.append(RejectedRow(line, number, national_code, program_code, term_code))
            continue
        assert birth_date is not None
        rows.append(StudentRow(
            line=line,
            student_number=number,
            national_code=national_code,
            first_name_fa=normalize_persian(cells["first_name_fa"]),
            last_name_fa=normalize_persian(cells["last_name_fa"]),
            first_name_en=cells.get("first_name_en", ""),
            last_name_en=cells.get("last_name_en", ""),
            sex=sex,
            birth_date=birth_date,
            program_code=program_code,
            entry_term_code=term_code,
            native_quota=quota_text in _TRUE,
        ))  # fmt: skip
    if not rows and not errors:
        errors.append(RowError(0, "", ErrorCode.EMPTY_FILE))
    return ReadResult(rows, errors, rejected)
