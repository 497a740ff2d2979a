"""Transcripts: issue one (content, hash, verification code, PDF), batches in the background, exports."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shafa.academics.models import BatchStatus, Transcript, TranscriptBatch, TranscriptLanguage
from shafa.academics.pdf import TranscriptRender, render_job, render_many
from shafa.academics.pdf.transcript import prepare_worker
from shafa.academics.selectors.transcripts import content_hash, roster_rows, transcript_content
from shafa.academics.services.grades import GradingRefused, is_registrar_office
from shafa.core.audit import audit_record
from shafa.core.jobs import run_after_commit
from shafa.people.models import Student

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def verify_url(code: str) -> str:
    """The public URL that checks a transcript (the QR code points here)."""
    base = getattr(settings, "SHAFA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    try:
        path = reverse("verify:transcript", args=[code])
    except NoReverseMatch:
        path = reverse("academics:transcript_verify", args=[code])
    return base + path


def font_dir() -> str:
    default = settings.BASE_DIR / "node_modules" / "vazirmatn" / "fonts" / "ttf"
    return str(getattr(settings, "SHAFA_PDF_FONT_DIR", default))


def _prepare(student: Student, language: str) -> tuple[dict[str, Any], str, TranscriptRender]:
    content = transcript_content(student)
    digest = content_hash(content)
    code = new_code()
    return (
        content,
        digest,
        TranscriptRender(
            code=format_code(code), verify_url=verify_url(code), content_hash=digest, font_dir=font_dir()
        ),
    )


def _save(
    student: Student,
    language: str,
    actor: Any,
    content: dict[str, Any],
    render: TranscriptRender,
    pdf: bytes,
    batch: TranscriptBatch | None = None,
) -> Transcript:
    code = render.code.replace("-", "")
    transcript = Transcript(
        student=student,
        language=language,
        code=code,
        issued_at=timezone.now(),
        issued_by=actor,
        content=content,
        content_hash=render.content_hash,
        batch=batch,
    )
    transcript.pdf.save(f"{student.student_number}-{language}-{code}.pdf", ContentFile(pdf), save=False)
    transcript.save()
    return transcript


def may_issue(actor: Any, student: Student) -> bool:
    """The registrar's office issues any transcript; a student their own."""
    return is_registrar_office(actor) or student.person.user_id == getattr(actor, "pk", None)


def transcript_issue(
    *, actor: Any, student: Student, language: str = TranscriptLanguage.PERSIAN
) -> Transcript:
    """Issue one official transcript: content from finalised grades, its hash, a code and the PDF."""
    if not may_issue(actor, student):
        raise GradingRefused("forbidden")
    if language not in TranscriptLanguage.values:
        language = TranscriptLanguage.PERSIAN
    content, _digest, render = _prepare(student, language)
    pdf = next(iter(render_many([(content, language, render)])))
    with transaction.atomic():
        transcript = _save(student, language, actor, content, render, pdf)
        audit_record(action="create", instance=transcript, changes={"code": [None, transcript.code]})
    return transcript


def transcript_batch_create(
    *, actor: Any, language: str, student_ids: Iterable[int] | None = None, program: Any = None
) -> TranscriptBatch:
    """Queue transcripts for many students (a program's, or a list); runs in the background."""
    if not is_registrar_office(actor):
        raise GradingRefused("forbidden")
    students = Student.objects.all()
    if student_ids is not None:
        students = students.filter(pk__in=list(student_ids))
    if program is not None:
        students = students.filter(program=program)
    ids = list(students.order_by("student_number").values_list("pk", flat=True))
    with transaction.atomic():
        batch = TranscriptBatch.objects.create(
            requested_by=actor, language=language, program=program, student_ids=ids, total=len(ids)
        )
        audit_record(action="create", instance=batch, changes={"total": [None, len(ids)]})
        enqueue_batch(batch.pk)
    return batch


def enqueue_batch(batch_id: int) -> None:
    """Run the batch after the current transaction commits: Celery, a thread, or inline (tests)."""

    def task() -> Any:
        from shafa.academics.grades_tasks import transcript_batch_execute

        return transcript_batch_execute

    run_after_commit(transcript_batch_run, batch_id, task=task, name=f"shafa-transcripts-{batch_id}")


def transcript_batch_run(batch_id: int, *, workers: int | None = None, chunk: int = 50) -> TranscriptBatch:
    """Generate a batch's transcripts, committing progress chunk by chunk; idempotent on re-run.

    With `workers` > 1 the PDFs are rendered in a process pool (the PDF engine is plain Python)
    while this process reads the next chunk's content from the database: a pipeline.
    """
    claimed = TranscriptBatch.objects.filter(pk=batch_id, status=BatchStatus.QUEUED).update(
        status=BatchStatus.RUNNING, started_at=timezone.now()
    )
    batch = TranscriptBatch.objects.select_related("requested_by").get(pk=batch_id)
    if not claimed:
        return batch
    workers = workers or int(getattr(settings, "SHAFA_PDF_WORKERS", 1))
    language = batch.language
    done_ids = set(batch.transcripts.values_list("student_id", flat=True))
    pending = [pk for pk in batch.student_ids if pk not in done_ids]
    pool = None
    if workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=prepare_worker
        )
    try:
        previous: tuple[list[Any], list[Any]] | None = None
        for start in range(0, len(pending), chunk):
            prepared = _prepare_chunk(pending[start : start + chunk], language)
            futures = [pool.submit(render_job, (c, language, r)) for _s, c, _d, r in prepared] if pool else []
            if previous is not None:
                _save_chunk(batch, *previous)
            previous = (prepared, futures)
        if previous is not None:
            _save_chunk(batch, *previous)
        TranscriptBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.DONE, finished_at=timezone.now(), done=F("total")
        )
    except Exception as error:
        TranscriptBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    batch.refresh_from_db()
    return batch


def _prepare_chunk(ids: list[int], language: str) -> list[Any]:
    students = {
        s.pk: s
        for s in Student.objects.filter(pk__in=ids).select_related("person", "program__school__university")
    }
    return [(students[pk], *_prepare(students[pk], language)) for pk in ids if pk in students]


def _save_chunk(batch: TranscriptBatch, prepared: list[Any], futures: list[Any]) -> None:
    if futures:
        pdfs = [future.result() for future in futures]
    else:
        pdfs = list(render_many([(c, batch.language, r) for _s, c, _d, r in prepared]))
    with transaction.atomic():
        for (student, content, _digest, render), pdf in zip(prepared, pdfs, strict=True):
            _save(student, batch.language, batch.requested_by, content, render, pdf, batch=batch)
        TranscriptBatch.objects.filter(pk=batch.pk).update(done=F("done") + len(prepared))


EXPORT_COLUMNS = ("student_number", "name_fa", "name_en", "program", "credits", "grade", "pass")


def _headers() -> list[str]:
    return [
        _("Student number"),
        _("Name (Persian)"),
        _("Name (English)"),
        _("Program"),
        _("Credits"),
        _("Grade"),
        _("Pass/fail"),
    ]


def _cell(row: dict[str, Any], key: str) -> Any:
    value = row[key]
    if key == "pass":
        return "" if value is None else (_("Pass") if value else _("Fail"))
    if key == "grade":
        return "" if value is None else float(value)
    if key == "credits":
        return float(value)
    return value


def export_grade_sheet_csv(section: Any) -> bytes:
    """The section's roster with grades as CSV (UTF-8 with BOM so spreadsheet programs read Persian)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headers())
    for row in roster_rows(section):
        writer.writerow([_cell(row, key) for key in EXPORT_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_grade_sheet_xlsx(section: Any) -> bytes:
    """The section's roster with grades as an Excel workbook (right-to-left sheet)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(section.course.code)[:31]
    sheet.sheet_view.rightToLeft = True
    sheet.append([f"{section.course.code} — {section.course.title_fa}", "", "", str(section.term.code)])
    sheet.append(_headers())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in roster_rows(section):
        sheet.append([_cell(row, key) for key in EXPORT_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
