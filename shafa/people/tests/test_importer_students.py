"""The student importer: the CSV engine alone, then the command — all rows or none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from shafa.core.validators import national_code_with_check_digit
from shafa.institution.tests.factories import ProgramFactory, TermFactory
from shafa.people.importers.students import ErrorCode, national_code_is_valid, read_students
from shafa.people.models import Person, Student

HEADER = (
    "student_number,national_code,first_name_fa,last_name_fa,first_name_en,last_name_en,"
    "sex,birth_date_jalali,program_code,entry_term_code,native_quota\n"
)
CODE_A = national_code_with_check_digit("012345678")
CODE_B = national_code_with_check_digit("112233445")
CODE_C = national_code_with_check_digit("223344556")


def bad_check_digit(code: str) -> str:
    return code[:9] + str((int(code[9]) + 1) % 10)


def row(
    number: str = "4031200001",
    code: str = CODE_A,
    first: str = "علي",
    last: str = "كريمي",
    birth: str = "1383/05/10",
    program: str = "md",
    term: str = "14031",
    quota: str = "1",
) -> str:
    return f"{number},{code},{first},{last},Ali,Karimi,M,{birth},{program},{term},{quota}\n"


# --- the engine, no database -----------------------------------------------------------------------


def test_engine_normalises_persian_letters_and_digits():
    persian_code = CODE_A.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    result = read_students(HEADER + row(number="۴۰۳۱۲۰۰۰۰۱", code=persian_code, birth="۱۳۸۳/۰۵/۱۰"))
    assert result.ok, result.errors
    (student,) = result.rows
    assert student.student_number == "4031200001"
    assert student.national_code == CODE_A
    assert (student.first_name_fa, student.last_name_fa) == ("علی", "کریمی")
    assert student.birth_date == dt.date(2004, 7, 31)
    assert student.native_quota is True
    assert student.entry_term_code == 14031


def test_engine_reports_every_bad_cell_with_line_and_column():
    text = (
        HEADER
        + row()
        + row(number="4031200002", code=bad_check_digit(CODE_B), birth="1404/12/30", quota="maybe")
    )
    result = read_students(text)
    found = {(e.line, e.column, e.code) for e in result.errors}
    assert found == {
        (3, "national_code", ErrorCode.NATIONAL_CODE),
        (3, "birth_date_jalali", ErrorCode.DATE),
        (3, "native_quota", ErrorCode.BOOLEAN),
    }
    assert [r.line for r in result.rows] == [2]


def test_engine_leap_day_exists_only_in_leap_years():
    assert read_students(HEADER + row(birth="1403/12/30")).ok
    assert not read_students(HEADER + row(birth="1404/12/30")).ok


def test_engine_duplicates_within_file_and_missing_columns():
    result = read_students(HEADER + row() + row(code=CODE_B))
    assert [(e.line, e.column, e.code, e.params) for e in result.errors] == [
        (3, "student_number", ErrorCode.DUPLICATE_IN_FILE, {"other_line": 2})
    ]
    missing = read_students("student_number,first_name_fa\n1,x\n")
    assert missing.errors[0].code == ErrorCode.MISSING_COLUMNS
    assert "national_code" in missing.errors[0].params["columns"]
    assert read_students("").errors[0].code == ErrorCode.EMPTY_FILE


def test_engine_check_digit_agrees_with_core_validator():
    from shafa.core.validators import national_code_is_valid as core_valid

    for nine in ("000000001", "123456789", "987654321", "001122334", "555555556"):
        code = national_code_with_check_digit(nine)
        for candidate in (code, bad_check_digit(code)):
            assert national_code_is_valid(candidate) == core_valid(candidate)


# --- the command -----------------------------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    ProgramFactory(code="md")
    TermFactory()  # 14041
    TermFactory(academic_year__start_year=1403, academic_year__start_date=dt.date(2024, 9, 22),
                academic_year__end_date=dt.date(2025, 9, 22), start_date=dt.date(2024, 9, 22),
                end_date=dt.date(2025, 1, 19))  # fmt: skip


def run(tmp_path, text: str, *args: str) -> tuple[str, str]:
    from io import StringIO

    path = tmp_path / "students.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_students", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(tmp_path, text: str, *args: str) -> str:
    from io import StringIO

    path = tmp_path / "students.csv"
    path.write_text(text, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match=r"nothing was saved|چیزی ذخیره نشد"):
        call_command("import_students", str(path), *args, stdout=StringIO(), stderr=err)
    assert not Student.objects.filter(student_number__startswith="40312").exists()
    return err.getvalue()


def test_import_happy_path(catalogue, tmp_path):
    text = (
        HEADER
        + row()
        + row(
            number="4031200002",
            code=CODE_B,
            first="مريم",
            last="رضايي",
            birth="1403/12/30",
            term="14041",
            quota="0",
        )
    )
    out, _err = run(tmp_path, text, "--language", "en")
    assert "Imported 2 students" in out
    maryam = Student.objects.get(student_number="4031200002")
    assert maryam.person.first_name_fa == "مریم"
    assert maryam.person.birth_date == dt.date(2025, 3, 20)
    assert maryam.entry_term.code == 14041 and maryam.native_quota is False
    assert Student.objects.get(student_number="4031200001").native_quota is True


def test_dry_run_saves_nothing(catalogue, tmp_path):
    out, _err = run(tmp_path, HEADER + row(), "--dry-run", "--language", "en")
    assert "the 1 row is valid" in out
    assert Student.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.parametrize(
    ("bad_row", "expected"),
    [
        (row(number="4031200002", code=bad_check_digit(CODE_B)), "Line 3, column national_code"),
        (row(number="4031200002", code=CODE_B, birth="1404/12/30"), "Line 3, column birth_date_jalali"),
        (row(code=CODE_B), "Line 3, column student_number"),
        (row(number="4031200002", code=CODE_B, program="no-such"), "Line 3, column program_code"),
        (row(number="4031200002", code=CODE_B, term="13991"), "Line 3, column entry_term_code"),
        (row(number="4031200002", code=CODE_A), "Line 3, column national_code"),
    ],
    ids=["national-code", "impossible-date", "duplicate-number", "unknown-program", "unknown-term",
         "duplicate-national-code"],
)  # fmt: skip
def test_one_bad_row_rolls_back_the_whole_import(catalogue, tmp_path, bad_row, expected):
    err = run_failing(tmp_path, HEADER + row() + bad_row, "--language", "en")
    assert expected in err
    assert Student.objects.count() == 0 and Person.objects.count() == 0


def test_student_number_taken_in_database(catalogue, student_sara, tmp_path):
    err = run_failing(tmp_path, HEADER + row(number=student_sara.student_number), "--language", "en")
    assert "Line 2, column student_number: A student with number 4031100001 already exists." in err
    assert Student.objects.count() == 1


def test_every_error_is_reported_in_persian_by_default(catalogue, tmp_path):
    text = HEADER + row(code=bad_check_digit(CODE_A)) + row(number="4031200002", code=CODE_B, program="x")
    err = run_failing(tmp_path, text)
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("سطر ۲، ستون national_code")
    assert lines[1].startswith("سطر ۳، ستون program_code")


def test_a_rejected_row_is_still_checked_against_the_database(catalogue, student_sara, tmp_path):
    text = HEADER + row(number=student_sara.student_number, birth="1404/12/30", program="nope", term="13991")
    err = run_failing(tmp_path, text, "--language", "en")
    assert err.strip().splitlines() == [
        "Line 2, column student_number: A student with number 4031100001 already exists.",
        "Line 2, column birth_date_jalali: “1404/12/30” is not a Jalali date (YYYY/MM/DD) that exists.",
        "Line 2, column program_code: There is no program with code “nope”.",
        "Line 2, column entry_term_code: There is no term with code 13991.",
    ]


def test_engine_imports_no_django():
    import subprocess
    import sys

    code = (
        "import sys, shafa.people.importers.students; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
