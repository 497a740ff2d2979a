#!/usr/bin/env python
"""Transcript batch benchmark: 1,000 official Persian transcripts (PDF) generated as one batch.

    .venv/bin/python bench/transcripts.py                  # 1000 students, 2 worker processes
    STUDENTS=100 WORKERS=1 .venv/bin/python bench/transcripts.py

Builds a throw-away test database (SQLite in memory, or PostgreSQL with DATABASE_URL) with
STUDENTS students, each with TERMS terms of COURSES finalised grades, queues a `TranscriptBatch`
and times `transcript_batch_run` — the same service the background job runs: content from the
database, hash, verification code, QR and PDF (WeasyPrint, in a pool of WORKERS processes), file
saved and progress committed per chunk. Prints one JSON object (and writes it to OUT if set).

Environment: STUDENTS (1000), WORKERS (2), TERMS (4), COURSES (6), TRANSCRIPT_LANG (fa),
CHUNK (50), OUT (bench/results/transcripts.json; empty: print only), PROFILE=1 (profile a
single-process run of 20 first: pyinstrument if installed, else cProfile).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

STUDENTS = int(os.environ.get("STUDENTS", "1000"))
WORKERS = int(os.environ.get("WORKERS", "2"))
TERMS = int(os.environ.get("TERMS", "4"))
COURSES = int(os.environ.get("COURSES", "6"))
LANG = os.environ.get("TRANSCRIPT_LANG", "fa")
CHUNK = int(os.environ.get("CHUNK", "50"))
OUT = os.environ.get("OUT", str(ROOT / "bench" / "results" / "transcripts.json"))
LOAD_AT_START = list(os.getloadavg())


def seed(students: int, terms: int, courses: int) -> tuple[list[int], Any]:
    """Students with finalised grades, written in bulk (the grading services are tested elsewhere)."""
    import random

    from django.utils import timezone

    from shafa.academics.models import (
        Course,
        Grade,
        GradeSheet,
        GradeSheetStatus,
        Registration,
        RegistrationStatus,
        Section,
    )
    from shafa.accounts.models import User
    from shafa.core.validators import national_code_with_check_digit
    from shafa.institution.tests.factories import AcademicYearFactory, ProgramFactory, TermFactory
    from shafa.people.models import Person, Student

    rng = random.Random(1363)
    registrar = User.objects.create(username="bench-registrar")
    program = ProgramFactory()
    term_rows = [
        TermFactory(academic_year=AcademicYearFactory(start_year=1400 + index // 2), number=1 + index % 2)
        for index in range(terms)
    ]
    titles = [
        "آناتومی",
        "فیزیولوژی",
        "بیوشیمی",
        "بافت‌شناسی",
        "ایمنی‌شناسی",
        "میکروب‌شناسی",
        "ژنتیک",
        "اخلاق پزشکی",
    ]
    sections = []
    for t_index, term in enumerate(term_rows):
        for c_index in range(courses):
            course = Course.objects.create(
                code=f"MD{t_index + 1}{c_index + 1:02d}",
                title_fa=f"{titles[c_index % len(titles)]} {t_index + 1}",
                title_en=f"Course {t_index + 1}.{c_index + 1}",
                course_type="core",
                theoretical_credits=Decimal(rng.choice([1, 2, 2, 3, 3, 4])),
            )
            sections.append(Section.objects.create(term=term, course=course, number=1, capacity=students + 1))
    now = timezone.now()
    people = Person.objects.bulk_create(
        [
            Person(
                national_code=national_code_with_check_digit(f"{100000000 + n:09d}"),
                first_name_fa=rng.choice(["سارا", "رضا", "مریم", "علی", "زهرا", "محمد"]),
                last_name_fa=rng.choice(["محمدی", "کریمی", "حسینی", "رضایی", "احمدی"]),
                first_name_en="Test",
                last_name_en=f"Student {n}",
                sex=rng.choice(["F", "M"]),
                birth_date=dt.date(2004, 1, 1),
            )
            for n in range(students)
        ]
    )
    student_rows = Student.objects.bulk_create(
        [
            Student(person=person, student_number=f"4001{n:06d}", program=program, entry_term=term_rows[0])
            for n, person in enumerate(people)
        ]
    )
    sheets = {
        section.pk: GradeSheet.objects.create(
            section=section,
            status=GradeSheetStatus.FINALISED,
            submitted_at=now,
            appeal_deadline=now,
            finalised_at=now,
        )
        for section in sections
    }
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                student=student,
                section=section,
                term=section.term,
                course=section.course,
                status=RegistrationStatus.REGISTERED,
                credits=section.course.credits,
                registered_at=now,
            )
            for student in student_rows
            for section in sections
        ],
        batch_size=2000,
    )
    Grade.objects.bulk_create(
        [
            Grade(
                registration=registration,
                sheet=sheets[registration.section_id],
                student_id=registration.student_id,
                value=Decimal(rng.randint(28, 80)) / 4,
                entered_by=registrar,
            )
            for registration in registrations
        ],
        batch_size=2000,
    )
    return [student.pk for student in student_rows], registrar


def profile_sample(ids: list[int], registrar: Any) -> None:
    """Profile a single-process batch of a few transcripts (pyinstrument if installed, else cProfile)."""
    from shafa.academics.models import Transcript, TranscriptBatch
    from shafa.academics.services.transcripts import transcript_batch_run

    batch = TranscriptBatch.objects.create(
        requested_by=registrar, language=LANG, student_ids=ids, total=len(ids)
    )
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(transcript_batch_run, batch.pk, workers=1, chunk=CHUNK)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    else:
        sampler = Profiler()
        sampler.start()
        transcript_batch_run(batch.pk, workers=1, chunk=CHUNK)
        sampler.stop()
        print(sampler.output_text(unicode=True, color=False)[:8000], file=sys.stderr)
    Transcript.objects.filter(batch=batch).delete()


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import weasyprint

    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "weasyprint": weasyprint.__version__,
        "platform": platform.platform(),
        "load_average_at_start": LOAD_AT_START,
        "load_average_at_end": list(os.getloadavg()),
    }


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import get_runner

    media = tempfile.mkdtemp(prefix="shafa-bench-transcripts-")
    settings.MEDIA_ROOT = media
    settings.SHAFA_JOBS_MODE = "sync"
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        from shafa.academics.models import Transcript, TranscriptBatch
        from shafa.academics.services.transcripts import transcript_batch_run

        started = time.perf_counter()
        ids, registrar = seed(STUDENTS, TERMS, COURSES)
        seed_seconds = time.perf_counter() - started

        if os.environ.get("PROFILE") == "1":
            profile_sample(ids[:20], registrar)

        batch = TranscriptBatch.objects.create(
            requested_by=registrar, language=LANG, student_ids=ids, total=len(ids)
        )
        cpu0 = time.process_time()
        children0 = os.times().children_user + os.times().children_system
        started = time.perf_counter()
        batch = transcript_batch_run(batch.pk, workers=WORKERS, chunk=CHUNK)
        elapsed = time.perf_counter() - started
        cpu_main = time.process_time() - cpu0
        cpu_children = os.times().children_user + os.times().children_system - children0
        count = Transcript.objects.filter(batch=batch).count()
        sizes = [
            Path(media, name).stat().st_size
            for name in Transcript.objects.filter(batch=batch).values_list("pdf", flat=True)[:50]
        ]
        result = {
            "transcripts": count,
            "batch_status": batch.status,
            "elapsed_s": round(elapsed, 2),
            "transcripts_per_s": round(count / elapsed, 2) if elapsed else None,
            "target": "1000 in < 60 s",
            "meets_target": bool(count >= 1000 and elapsed < 60 * count / 1000),
            "cpu_s_main": round(cpu_main, 2),
            "cpu_s_workers": round(cpu_children, 2),
            "cpu_ms_per_transcript": round(1000 * (cpu_main + cpu_children) / max(count, 1), 1),
            # What the same CPU work takes on this machine when nothing else runs: the CPU seconds
            # spread over min(workers + 1, cores) (the benchmark machine is shared with other jobs).
            "projected_idle_elapsed_s": round(
                (cpu_main + cpu_children) / min(WORKERS + 1, os.cpu_count() or 1), 1
            ),
            "workers": WORKERS,
            "language": LANG,
            "terms_per_transcript": TERMS,
            "courses_per_term": COURSES,
            "pdf_kb_avg": round(sum(sizes) / len(sizes) / 1024, 1) if sizes else None,
            "seed_s": round(seed_seconds, 1),
            "database": connection.vendor,
            "machine": machine(),
        }
    finally:
        runner.teardown_databases(old_config)
        shutil.rmtree(media, ignore_errors=True)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if OUT:
        Path(OUT).parent.mkdir(parents=True, exist_ok=True)
        Path(OUT).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
