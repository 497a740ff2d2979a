"""Transcripts: content from finalised grades, the Persian PDF's text in order, batches, exports."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from shafa.academics.models import BatchStatus, Transcript, TranscriptBatch
from shafa.academics.pdf import TranscriptRender, render_transcript
from shafa.academics.pdf.transcript import _reads_same_both_ways
from shafa.academics.selectors.transcripts import content_hash, transcript_content, transcript_get_by_code
from shafa.academics.services.grades import (
    GradingRefused,
    grade_enter,
    grade_sheet_finalise,
    grade_sheet_submit,
)
from shafa.academics.services.transcripts import (
    export_grade_sheet_csv,
    export_grade_sheet_xlsx,
    font_dir,
    transcript_batch_create,
    transcript_issue,
)

from .grades_fixtures import enrol, make_taught_section, term_of

GRADES = ["17.25", "9.50", "12.00", "19.75", "14.50", "20.00"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.SHAFA_JOBS_MODE = "sync"


@pytest.fixture
def graded_sara(db, student_sara, student_reza, faculty_tehrani, registrar_maryam):
    """Sara has six finalised grades over two terms (course codes sort in the order of GRADES)."""
    from .factories import CourseFactory

    terms = [term_of(1403, 1), term_of(1403, 2)]
    sections = []
    for index, value in enumerate(GRADES):
        course = CourseFactory(
            code=f"MD{index + 1:03d}", title_fa=f"فیزیولوژی {index + 1}", title_en=f"Physiology {index + 1}"
        )
        section = make_taught_section(terms[index // 3], faculty_tehrani, course=course)
        registration = enrol(student_sara, section)
        enrol(student_reza, section)
        grade_enter(actor=faculty_tehrani.person.user, registration=registration, value=value)
        grade_enter(
            actor=registrar_maryam, registration=section.registrations.get(student=student_reza), value="15"
        )
        grade_sheet_submit(actor=faculty_tehrani.person.user, section=section)
        grade_sheet_finalise(actor=registrar_maryam, section=section, reason="test")
        sections.append(section)
    return student_sara, sections


def test_content_lists_finalised_grades_by_term_with_gpas(graded_sara):
    student, _sections = graded_sara
    content = transcript_content(student)
    assert [t["code"] for t in content["terms"]] == [14031, 14032]
    assert [row["grade"] for t in content["terms"] for row in t["rows"]] == GRADES
    assert [row["passed"] for row in content["terms"][0]["rows"]] == [True, False, True]
    # (17.25 + 9.5 + 12) / 3 = 12.916… → 12.92
    assert content["terms"][0]["gpa"] == "12.92"
    assert content["credits_passed"] == "15.0"
    assert content_hash(content) == content_hash(dict(content))
    changed = {**content, "gpa": "20.00"}
    assert content_hash(changed) != content_hash(content)


def _persian_digit_runs(text: str) -> list[str]:
    return re.findall(r"[۰-۹]+(?:٫[۰-۹]+)?", text)


def test_persian_pdf_text_has_the_grades_in_order(graded_sara, registrar_maryam):
    student, _ = graded_sara
    transcript = transcript_issue(actor=registrar_maryam, student=student, language="fa")
    reader = PdfReader(transcript.pdf.path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Shaping and the font's ToUnicode map are right: the Persian words come back as letters.
    assert "کارنامه رسمی تحصیلی" in text
    assert "سارا محمدی" in text
    assert not re.search(r"\b1[0-9]\.[0-9]{2}\b", text), "grades must be printed in Persian digits"
    # pypdf returns runs of Arabic-block characters (Persian digits included) reversed, as if they
    # were drawn right to left; numbers are drawn left to right. The student number tells which
    # way this pypdf reads them, and the same reading must then give every grade in row order.
    number = "۴۰۳۱۱۰۰۰۰۱"
    runs = _persian_digit_runs(text)
    assert number in runs or number[::-1] in runs
    flip = number not in runs

    def oriented(grade: str) -> str:
        persian = grade.translate(str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫"))
        return persian[::-1] if flip else persian

    rows = [line for line in text.splitlines() if re.search(r"MD00[1-6]", line)]
    assert len(rows) == len(GRADES)
    # each course's row carries its own grade, and the grades follow one another in reading order
    for line, grade in zip(rows, GRADES, strict=True):
        assert oriented(grade) in line, (grade, line)
    position = 0
    for grade in GRADES:
        found = text.find(oriented(grade), position)
        assert found >= 0, grade
        position = found + len(grade)
    assert transcript.content_hash in text.replace("\n", "")


def test_english_pdf_has_ascii_grades_in_order(graded_sara, registrar_maryam):
    student, _ = graded_sara
    transcript = transcript_issue(actor=registrar_maryam, student=student, language="en")
    text = "\n".join(page.extract_text() for page in PdfReader(transcript.pdf.path).pages)
    assert "Official Academic Transcript" in text and "Sara Mohammadi" in text
    assert (
        re.findall(r"\b\d{1,2}\.\d{2}\b", " ".join(line for line in text.splitlines() if "MD00" in line))
        == GRADES
    )


def test_pdf_footer_has_one_line_per_item(graded_sara, registrar_maryam):
    """The verification code, the address to check it at and the content digest each take a line."""
    student, _ = graded_sara
    transcript = transcript_issue(actor=registrar_maryam, student=student, language="en")
    text = "\n".join(page.extract_text() for page in PdfReader(transcript.pdf.path).pages)
    lines = [line.strip() for line in text.splitlines()]
    code_line = next(line for line in lines if line.startswith("Verification code:"))
    assert "scan the QR code" not in code_line
    assert any(line.startswith("To check this transcript, scan the QR code") for line in lines)
    assert any(line.startswith("Content digest (SHA-256):") for line in lines)


def test_pdf_from_markup_that_is_not_xml(graded_sara):
    """A character XML forbids does not stop the PDF: WeasyPrint's HTML5 parser reads the page then."""
    student, _ = graded_sara
    content = transcript_content(student)
    content["student"]["name_en"] = "Sara\x0bMohammadi"
    render = TranscriptRender(
        code="ABCD-EFGH-JKLM", verify_url="http://testserver/v/", content_hash="0" * 64, font_dir=font_dir()
    )
    pdf = render_transcript(content, "en", render)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF") and "ABCD-EFGH-JKLM" in text and "http://testserver/v/" in text


@pytest.mark.parametrize(
    ("text", "same"),
    [
        ("MD101", True),
        ("۱۷٫۲۵", True),
        ("17.25", True),
        ("۹٫۵۰ (مردود)", False),
        ("MD 101", False),
        ("قبول", False),
        ("1.", False),
        ("", False),
    ],
)
def test_only_cells_that_read_the_same_both_ways_are_laid_out_left_to_right(text, same):
    assert _reads_same_both_ways(text) is same


def test_transcript_has_code_hash_and_is_found_by_code(graded_sara, registrar_maryam, student_reza):
    student, _ = graded_sara
    transcript = transcript_issue(actor=registrar_maryam, student=student, language="fa")
    assert len(transcript.code) == 12 and transcript.content_hash == content_hash(transcript.content)
    spaced = "-".join(transcript.code[i : i + 4] for i in range(0, 12, 4)).lower()
    assert transcript_get_by_code(spaced) == transcript
    with pytest.raises(GradingRefused):
        transcript_issue(actor=student_reza.person.user, student=student)
    assert transcript_issue(actor=student.person.user, student=student).student == student


def test_batch_generates_every_transcript_with_progress(
    graded_sara, registrar_maryam, student_reza, django_capture_on_commit_callbacks
):
    student, _ = graded_sara
    with django_capture_on_commit_callbacks(execute=True):
        batch = transcript_batch_create(
            actor=registrar_maryam, language="fa", student_ids=[student.pk, student_reza.pk]
        )
    batch = TranscriptBatch.objects.get(pk=batch.pk)
    assert batch.status == BatchStatus.DONE and batch.done == batch.total == 2 and batch.progress == 100
    assert Transcript.objects.filter(batch=batch).count() == 2
    with pytest.raises(GradingRefused):
        transcript_batch_create(actor=student.person.user, language="fa")


def test_grade_sheet_exports(graded_sara):
    from openpyxl import load_workbook

    _student, sections = graded_sara
    section = sections[0]
    rows = list(csv.reader(io.StringIO(export_grade_sheet_csv(section).decode("utf-8-sig"))))
    assert len(rows) == 3
    by_number = {row[0]: row for row in rows[1:]}
    assert Decimal(by_number["4031100001"][5]) == Decimal("17.25")
    assert by_number["4031100001"][1] == "سارا محمدی"
    workbook = load_workbook(io.BytesIO(export_grade_sheet_xlsx(section)))
    sheet = workbook.active
    assert sheet.sheet_view.rightToLeft
    values = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert {(v[0], v[5]) for v in values} == {("4031100001", 17.25), ("4031100002", 15.0)}
