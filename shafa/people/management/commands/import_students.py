"""`shafa import_students FILE.csv`: admit students from a CSV — all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shafa.core.audit import audit_context
from shafa.core.text import digits_to_persian
from shafa.institution.models import Program, Term
from shafa.people.importers.students import (
    COLUMNS,
    ErrorCode,
    RejectedRow,
    RowError,
    StudentRow,
    read_students,
)
from shafa.people.models import Person, Student
from shafa.people.services.persons import student_create

# Service field → CSV column, so a service's error points at the cell the user typed.
FIELD_COLUMNS = {
    "birth_date": "birth_date_jalali",
    "program": "program_code",
    "entry_term": "entry_term_code",
    "__all__": "",
}


def error_message(error: RowError) -> str:
    """The error in the active language."""
    params = {"value": error.value, "number": error.value, **error.params}
    messages = {
        ErrorCode.EMPTY_FILE: _("The file has no rows."),
        ErrorCode.MISSING_COLUMNS: _("Required columns are missing: %(columns)s"),
        ErrorCode.REQUIRED: _("This value is required."),
        ErrorCode.NATIONAL_CODE: _(
            "“%(value)s” is not a valid national code: it must be 10 digits with a correct check digit."
        ),
        ErrorCode.STUDENT_NUMBER: _("“%(value)s” is not a student number: it must be 6 to 20 digits."),
        ErrorCode.SEX: _("“%(value)s” is not a sex: write F or M."),
        ErrorCode.DATE: _("“%(value)s” is not a Jalali date (YYYY/MM/DD) that exists."),
        ErrorCode.DATE_FUTURE: _("The birth date %(value)s is in the future."),
        ErrorCode.BOOLEAN: _("“%(value)s” is not yes or no: write 1 or 0."),
        ErrorCode.TERM_CODE: _("“%(value)s” is not a term code such as 14041."),
        ErrorCode.DUPLICATE_IN_FILE: _(
            "%(value)s appears again in this file (first on line %(other_line)s)."
        ),
        ErrorCode.UNKNOWN_PROGRAM: _("There is no program with code “%(value)s”."),
        ErrorCode.UNKNOWN_TERM: _("There is no term with code %(value)s."),
        ErrorCode.NUMBER_TAKEN: _("A student with number %(number)s already exists."),
        ErrorCode.NATIONAL_CODE_TAKEN: _("A person with national code %(value)s is already registered."),
    }
    if error.code == ErrorCode.INVALID:
        return str(error.params.get("message", ""))
    return messages[error.code] % params


def error_line(error: RowError) -> str:
    if error.line == 0:
        text = _("File: %(message)s") % {"message": error_message(error)}
    elif error.column:
        text = _("Line %(line)s, column %(column)s: %(message)s") % {
            "line": error.line,
            "column": error.column,
            "message": error_message(error),
        }
    else:
        text = _("Line %(line)s: %(message)s") % {"line": error.line, "message": error_message(error)}
    return digits_to_persian(text) if translation.get_language() == "fa" else text


class RollBack(Exception):
    """Raised inside the transaction to undo the whole import."""


def check_rejected(rejected: list[RejectedRow]) -> list[RowError]:
    """Rows that failed reading are not admitted, but their codes are still checked, so that
    one run reports every error in the file."""
    programs = set(
        Program.objects.filter(code__in={r.program_code for r in rejected}).values_list("code", flat=True)
    )
    terms = set(
        Term.objects.filter(code__in={r.entry_term_code for r in rejected}).values_list("code", flat=True)
    )
    numbers = set(
        Student.objects.filter(student_number__in={r.student_number for r in rejected}).values_list(
            "student_number", flat=True
        )
    )
    codes = set(
        Person.objects.filter(national_code__in={r.national_code for r in rejected}).values_list(
            "national_code", flat=True
        )
    )
    errors = []
    for row in rejected:
        if row.student_number in numbers:
            errors.append(RowError(row.line, "student_number", ErrorCode.NUMBER_TAKEN, row.student_number))
        if row.national_code in codes:
            errors.append(
                RowError(row.line, "national_code", ErrorCode.NATIONAL_CODE_TAKEN, row.national_code)
            )
        if row.program_code and row.program_code not in programs:
            errors.append(RowError(row.line, "program_code", ErrorCode.UNKNOWN_PROGRAM, row.program_code))
        if row.entry_term_code and row.entry_term_code not in terms:
            errors.append(
                RowError(row.line, "entry_term_code", ErrorCode.UNKNOWN_TERM, str(row.entry_term_code))
            )
    return errors


def import_rows(rows: list[StudentRow]) -> tuple[int, list[RowError]]:
    """Admit each row through `student_create`; return (admitted, errors). The caller rolls back."""
    programs = {p.code: p for p in Program.objects.filter(code__in={row.program_code for row in rows})}
    terms = {t.code: t for t in Term.objects.filter(code__in={row.entry_term_code for row in rows})}
    errors: list[RowError] = []
    admitted = 0
    for row in rows:
        program = programs.get(row.program_code)
        term = terms.get(row.entry_term_code)
        if program is None:
            errors.append(RowError(row.line, "program_code", ErrorCode.UNKNOWN_PROGRAM, row.program_code))
        if term is None:
            errors.append(
                RowError(row.line, "entry_term_code", ErrorCode.UNKNOWN_TERM, str(row.entry_term_code))
            )
        if program is None or term is None:
            continue
        try:
            with transaction.atomic():
                student_create(
                    student_number=row.student_number,
                    program=program,
                    entry_term=term,
                    native_quota=row.native_quota,
                    national_code=row.national_code,
                    first_name_fa=row.first_name_fa,
                    last_name_fa=row.last_name_fa,
                    first_name_en=row.first_name_en,
                    last_name_en=row.last_name_en,
                    sex=row.sex,
                    birth_date=row.birth_date,
                )
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                column = FIELD_COLUMNS.get(field_name, field_name if field_name in COLUMNS else "")
                for message in messages:
                    errors.append(RowError(row.line, column, ErrorCode.INVALID, params={"message": message}))
        else:
            admitted += 1
    return admitted, errors


class Command(BaseCommand):
    help = "Admit students from a CSV file; any bad row rolls back the whole import."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV (UTF-8) with columns: " + ", ".join(COLUMNS))
        parser.add_argument("--dry-run", action="store_true", help="Check every row, save nothing.")
        parser.add_argument(
            "--language",
            choices=["fa", "en"],
            default="fa",
            help="Language of the messages (default: Persian).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc}) from exc
        result = read_students(text)
        errors = list(result.errors)
        admitted = 0
        try:
            with transaction.atomic(), audit_context(reason=f"import_students {path.name}"):
                errors += check_rejected(result.rejected)
                admitted, db_errors = import_rows(result.rows)
                errors += db_errors
                if errors or options["dry_run"]:
                    raise RollBack
        except RollBack:
            pass
        if errors:
            errors.sort(key=lambda e: (e.line, COLUMNS.index(e.column) if e.column in COLUMNS else 99))
            for error in errors:
                self.stderr.write(error_line(error))
            count = len(errors)
            raise CommandError(
                self.digits(
                    ngettext(
                        "Import failed: %(count)s error; nothing was saved.",
                        "Import failed: %(count)s errors; nothing was saved.",
                        count,
                    )
                    % {"count": count}
                )
            )
        if options["dry_run"]:
            message = ngettext(
                "Dry run: the %(count)s row is valid; nothing was saved.",
                "Dry run: all %(count)s rows are valid; nothing was saved.",
                admitted,
            )
            self.stdout.write(self.digits(message % {"count": admitted}))
        else:
            message = ngettext("Imported %(count)s student.", "Imported %(count)s students.", admitted)
            self.stdout.write(self.style.SUCCESS(self.digits(message % {"count": admitted})))

    @staticmethod
    def digits(text: str) -> str:
        return digits_to_persian(text) if translation.get_language() == "fa" else text
