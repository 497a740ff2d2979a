#!/usr/bin/env python
"""Registration-day benchmark: gunicorn on loopback against PostgreSQL, a load client alongside.

    STUDENTS=300 make bench-registration      # quick check (a couple of minutes)
    make bench-registration                   # 3000 students, 60 s overload

Each student registers 6 sections. SUBMIT=form (the default) sends them as a registration form,
one request `{"sections": [...]}` judged in one transaction, as a student submits the form on
registration day; SUBMIT=section sends one request per section. Rates are registrations a second
either way (a form's registered sections each count); latencies are per request.

Phases (one run, one server):
  bare      closed loop on a bare Django view (/academics/bench/bare/, SHAFA_BENCH=1): B
  rush      half of the cohort, closed loop, 6 registrations each: max committed/s = E
  paced     the other half, open loop at 70% of E: p50/p95/p99 latency
  hot       1000 concurrent attempts on one 30-seat section
  overload  open loop at 3×E for OVERLOAD_SECONDS: a reserve cohort (OVERLOAD_STUDENTS) registers
            its 6 sections, the same requests as the rush; a refused one comes back later.
            Goodput, 429 latency, then 50% of E until the server recovers (no 429, p95 ≤ 300 ms
            per second)
Then SQL checks: over-booked sections and lost registrations (the client's ledger of
acknowledged answers against the database). Writes bench/results/registration.json.

Environment: STUDENTS (3000), WORKERS (2), THREADS (8), MAX_INFLIGHT (per worker, 4),
RUSH_CLIENTS (closed-loop clients in the rush; 8 × WORKERS × MAX_INFLIGHT), SUBMIT (form or section),
PREPARE (1: credit limits prepared when the window is made, as the windows page does; 0: not),
OVERLOAD_SECONDS (60; 15 below 3000 students), RECOVERY_SECONDS (20; 10), OVERLOAD_STUDENTS (the
reserve cohort, 5 × STUDENTS), BARE_SECONDS (8), PORT (a free one), PROXY (nginx if installed, or none),
BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/shafa_bench), PROFILE=1 (py-spy, if installed).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import json
import math
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STUDENTS = int(os.environ.get("STUDENTS", "3000"))
WORKERS = int(os.environ.get("WORKERS", "2"))
THREADS = int(os.environ.get("THREADS", "8"))
MAX_INFLIGHT = int(os.environ.get("MAX_INFLIGHT", "4"))
QUEUE_MS = int(os.environ.get("QUEUE_MS", "15"))  # the gate's short wait for a slot (0: none)
RUSH_CLIENTS = int(os.environ.get("RUSH_CLIENTS", "0"))  # 0: eight per admission slot
# A quick run (fewer than 3000 students) defaults to a short overload, to finish in a few minutes.
OVERLOAD_SECONDS = float(os.environ.get("OVERLOAD_SECONDS", "60" if STUDENTS >= 3000 else "15"))
RECOVERY_SECONDS = float(os.environ.get("RECOVERY_SECONDS", "20" if STUDENTS >= 3000 else "10"))
# The overload offers the rush's own requests (fresh students registering their sections), so its
# goodput compares like with like against E; the reserve must outlast the overload and the recovery
# at the full rate (at 1,000 registrations/s, 60 + 20 s take ~12,000 forms).
OVERLOAD_STUDENTS = int(os.environ.get("OVERLOAD_STUDENTS", str(5 * STUDENTS)))
BARE_SECONDS = float(os.environ.get("BARE_SECONDS", "8"))
PORT = int(os.environ.get("PORT", "0"))  # 0: a free port chosen at start
# The reverse proxy in front of gunicorn, as in production: "nginx" (deploy/nginx, when the binary
# is installed) or "none" (the client talks to gunicorn directly).
PROXY = os.environ.get("PROXY", "nginx" if shutil.which("nginx") else "none")
PROXY_WORKERS = int(os.environ.get("PROXY_WORKERS", "1"))
GUNICORN_PORT = 0  # gunicorn's own port (PORT when there is no proxy)
RETRY_AFTER = 1
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shafa_bench")
PROFILE = os.environ.get("PROFILE") == "1"
COURSES = 6
SUBMIT = os.environ.get("SUBMIT", "form")  # "form": one request per student; "section": one per section
if SUBMIT not in ("form", "section"):
    raise SystemExit("SUBMIT is form or section")
PER_REQUEST = COURSES if SUBMIT == "form" else 1  # registrations asked by one request
# Credit limits prepared before the window opens (as the windows page does); PREPARE=0: each
# student's first registration works theirs out inside the rush.
PREPARE = os.environ.get("PREPARE", "1") == "1"
SECTION_SIZE = 50
HOT_CAPACITY = 30
HOT_ATTEMPTS = min(1000, STUDENTS)
RESULTS = ROOT / "bench" / "results" / "registration.json"
API = "/api/v1/academics"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", flush=True)


# --- database and dataset ------------------------------------------------------------------------


def create_database() -> None:
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()


def load_dataset() -> dict[str, Any]:
    """STUDENTS (+ OVERLOAD_STUDENTS in reserve) students with tokens and a personal slot; 6 courses
    with sections for everyone."""
    from django.core.management import call_command
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from shafa.academics.models import Course, Meeting, RegistrationWindow, Section, StudentTimeSlot
    from shafa.accounts.models import Role, RoleAssignment, User
    from shafa.core.validators import national_code_with_check_digit
    from shafa.institution.models import AcademicYear, Program, School, Term, University
    from shafa.people.models import Person, Student

    call_command("migrate", verbosity=0)
    university = University.objects.create(
        code="bench",
        name_fa="دانشگاه محک",
        founded_on=dt.date(1985, 1, 1),
        city_fa="قزوین",
        province_fa="قزوین",
    )
    school = School.objects.create(
        university=university, code="med", kind="medicine", name_fa="دانشکده پزشکی"
    )
    program = Program.objects.create(
        school=school,
        code="md",
        name_fa="پزشکی عمومی",
        degree_level="professional_doctorate",
        duration_terms=14,
        max_duration_terms=18,
        credits_required=290,
    )
    year = AcademicYear.objects.create(
        start_year=1404, start_date=dt.date(2025, 9, 23), end_date=dt.date(2026, 9, 22)
    )
    entry_year = AcademicYear.objects.create(
        start_year=1403, start_date=dt.date(2024, 9, 22), end_date=dt.date(2025, 9, 22)
    )
    term = Term.objects.create(
        academic_year=year,
        number=1,
        code=14041,
        start_date=dt.date(2025, 9, 23),
        end_date=dt.date(2026, 1, 20),
    )
    entry = Term.objects.create(
        academic_year=entry_year,
        number=1,
        code=14031,
        start_date=dt.date(2024, 9, 22),
        end_date=dt.date(2025, 1, 20),
    )

    users = User.objects.bulk_create(
        [
            User(username=f"bench{i:05d}", password="!", is_active=True)
            for i in range(STUDENTS + OVERLOAD_STUDENTS)
        ],
        batch_size=2000,
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=Role.STUDENT) for u in users], batch_size=2000
    )
    tokens = Token.objects.bulk_create(
        [Token(user=u, key=uuid.uuid4().hex[:40]) for u in users], batch_size=2000
    )
    persons = Person.objects.bulk_create(
        [
            Person(
                national_code=national_code_with_check_digit(f"{200000000 + i:09d}"),
                first_name_fa="دانشجو",
                last_name_fa=f"شماره {i}",
                sex="F" if i % 2 else "M",
                birth_date=dt.date(2005, 1, 1),
                user=u,
            )
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )
    students = Student.objects.bulk_create(
        [
            Student(person=p, student_number=f"403{i:07d}", program=program, entry_term=entry)
            for i, p in enumerate(persons)
        ],
        batch_size=2000,
    )

    slots = [(day, start) for day in range(5) for start in (8, 10, 13, 15)]
    courses = []
    for c in range(COURSES + 1):
        courses.append(
            Course(
                code=f"B-{c + 1:03d}",
                title_fa=f"درس محک {c + 1}",
                title_en=f"Bench course {c + 1}",
                course_type="core",
                theoretical_credits=3 if c < COURSES else 1,
            )
        )
    courses = Course.objects.bulk_create(courses)
    everyone = STUDENTS + OVERLOAD_STUDENTS
    per_course = math.ceil(everyone / SECTION_SIZE)
    capacity = math.ceil(everyone / per_course) + 2
    exam = timezone.make_aware(dt.datetime(2026, 1, 3, 9))
    sections = []
    for c, course in enumerate(courses[:COURSES]):
        for n in range(per_course):
            sections.append(
                Section(
                    term=term,
                    course=course,
                    number=n + 1,
                    capacity=capacity,
                    exam_at=exam + dt.timedelta(days=c),
                )
            )
    hot = Section(term=term, course=courses[COURSES], number=1, capacity=HOT_CAPACITY, waitlist_limit=50)
    sections = Section.objects.bulk_create([*sections, hot])
    hot = sections.pop()
    meetings = []
    for section in sections:
        index = courses.index(next(c for c in courses if c.pk == section.course_id))
        day, start = slots[index * 2]
        meetings.append(
            Meeting(
                section=section, weekday=day, start_time=dt.time(start), end_time=dt.time(start + 2), room="1"
            )
        )
    meetings.append(Meeting(section=hot, weekday=5, start_time=dt.time(8), end_time=dt.time(10), room="hot"))
    Meeting.objects.bulk_create(meetings)

    now = timezone.now()
    window = RegistrationWindow.objects.create(
        term=term,
        phase="main",
        entry_year=1403,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        uses_time_slots=True,
    )
    StudentTimeSlot.objects.bulk_create(
        [
            StudentTimeSlot(
                window=window,
                student=s,
                opens_at=now - dt.timedelta(minutes=30) + dt.timedelta(seconds=i % 60),
                closes_at=window.closes_at,
            )
            for i, s in enumerate(students)
        ],
        batch_size=2000,
    )
    if PREPARE:
        # As the registrar's windows page does for a new window (a background job there): every
        # student's credit limit worked out before the window opens.
        from shafa.academics.services.registration import ledgers_prepare

        started = time.monotonic()
        prepared = ledgers_prepare(term=term, window=window)
        log(f"  credit limits prepared for {prepared} students in {time.monotonic() - started:.1f} s")
    plan = []
    by_course = defaultdict(list)
    for section in sections:
        by_course[section.course_id].append(section.pk)
    for i, (student, token) in enumerate(zip(students, tokens, strict=True)):
        wanted = [by_course[course.pk][i % per_course] for course in courses[:COURSES]]
        plan.append({"student": student.pk, "token": token.key, "sections": wanted})
    # the first STUDENTS are the cohort (rush, paced, hot), the rest the overload's reserve
    return {"plan": plan[:STUDENTS], "reserve": plan[STUDENTS:], "hot": hot.pk, "sections": len(sections) + 1}


# --- HTTP client: asyncio, HTTP/1.1 keep-alive, loopback only --------------------------------------


class Connection:
    def __init__(self, port: int | None = None) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None):
        port = self.port or PORT
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Accept: application/json"]
        for key, value in (headers or {}).items():
            lines.append(f"{key}: {value}")
        if body:
            lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        response_headers = {}
        for line in header_lines:
            if ":" in line:
                key, value = line.split(":", 1)
                response_headers[key.strip().lower()] = value.strip()
        if "content-length" in response_headers:
            data = await self.reader.readexactly(int(response_headers["content-length"]))
        elif response_headers.get("transfer-encoding") == "chunked":
            data = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                data += chunk[:-2]
        else:
            data = await self.reader.read()
            response_headers["connection"] = "close"
        if response_headers.get("connection", "").lower() == "close":
            self.close()
        return status, response_headers, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Pool:
    def __init__(self, size: int, port: int | None = None) -> None:
        self.free: asyncio.Queue[Connection] = asyncio.Queue()
        for _ in range(size):
            self.free.put_nowait(Connection(port))

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None):
        connection = await self.free.get()
        try:
            for attempt in range(2):
                try:
                    return await connection.request(method, path, body, headers)
                except (ConnectionError, asyncio.IncompleteReadError, OSError):
                    connection.close()
                    if attempt:
                        return 599, {}, b""
            return 599, {}, b""
        finally:
            self.free.put_nowait(connection)


class Recorder:
    """Latencies and statuses of one phase; the ledger of acknowledged registrations is shared."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        # (status, latency, registrations it committed) by second of the phase
        self.by_second: dict[int, list[tuple[int, float, int]]] = defaultdict(list)
        self.statuses: Counter[int] = Counter()
        self.latency_429: list[float] = []
        self.started = time.monotonic()

    def add(self, status: int, latency: float, committed: int = 0) -> None:
        self.statuses[status] += 1
        self.by_second[int(time.monotonic() - self.started)].append((status, latency, committed))
        if status == 429:
            self.latency_429.append(latency)
        elif status < 500:
            self.latencies.append(latency)


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)


# ledger[(student, section)] = last acknowledged state: "active" or "dropped"
ledger: dict[tuple[int, int], str] = {}


async def register(
    pool: Pool, rec: Recorder, who: dict[str, Any], section: int, *, retry: bool = True
) -> int:
    """POST one section (whatever SUBMIT says), retrying 429s as `send` does; the final status."""
    status, _committed = await send(pool, rec, who, [section], retry=retry, form=False)
    return status


def acknowledged(who: dict[str, Any], status: int, data: bytes) -> int:
    """Enter an answer's registrations in the client's ledger; how many it registered."""
    if status in (201, 202):
        replies = [json.loads(data)]
    elif status == 200:
        replies = json.loads(data)["results"]
    else:
        return 0
    registered = 0
    for reply in replies:
        if reply["status"] in ("registered", "waitlisted"):
            ledger[(who["student"], reply["section"])] = "active"
            registered += reply["status"] == "registered"
    return registered


async def send(
    pool: Pool,
    rec: Recorder,
    who: dict[str, Any],
    sections: list[int],
    *,
    retry: bool = True,
    form: bool | None = None,
) -> tuple[int, int]:
    """POST a form of sections, or one section (SUBMIT=section, or form=False), retrying 429s after
    Retry-After with the same Idempotency-Key; the final status and the registrations it committed."""
    key = f"{who['student']}-{'-'.join(map(str, sections))}-{uuid.uuid4().hex[:8]}"
    as_form = SUBMIT == "form" if form is None else form
    body = json.dumps({"sections": sections} if as_form else {"section": sections[0]}).encode()
    headers = {"Authorization": f"Token {who['token']}", "Idempotency-Key": key}
    while True:
        start = time.monotonic()
        status, response_headers, data = await pool.request("POST", f"{API}/registrations/", body, headers)
        latency = time.monotonic() - start
        committed = acknowledged(who, status, data)
        rec.add(status, latency, committed)
        if status == 429 and retry:
            # As a well-behaved client does: wait Retry-After, stretched by a random 0–100% so a
            # burst's retries spread out instead of coming back together (an eager retry loop turns
            # a busy second into a retry storm). The clients are a closed loop (a fixed number),
            # so no more retries than clients can be outstanding; a client that also doubled its
            # wait on each further 429 sat asleep while admission slots stood free, and the rush
            # then measured the clients' sleep, not the server (docs/benchmarks.md).
            retry_after = float(response_headers.get("retry-after", "1"))
            await asyncio.sleep(retry_after * random.uniform(1.0, 2.0))
            continue
        return status, committed


def requests_of(who: dict[str, Any]) -> list[list[int]]:
    """A student's requests: one form of all their sections, or one request per section."""
    sections = who["sections"]
    return [sections] if SUBMIT == "form" else [[section] for section in sections]


async def phase_bare(pool: Pool, concurrency: int) -> float:
    done = 0
    deadline = time.monotonic() + BARE_SECONDS

    async def loop() -> None:
        nonlocal done
        while time.monotonic() < deadline:
            status, _h, _d = await pool.request("GET", "/academics/bench/bare/")
            if status == 200:
                done += 1

    start = time.monotonic()
    await asyncio.gather(*(loop() for _ in range(concurrency)))
    return done / (time.monotonic() - start)


async def phase_rush(pool: Pool, students: list[dict[str, Any]], concurrency: int) -> tuple[float, Recorder]:
    rec = Recorder()
    queue = list(students)
    committed = 0

    async def loop() -> None:
        nonlocal committed
        while queue:
            who = queue.pop()
            for sections in requests_of(who):
                # (await first: `committed += await …` would read the total before the wait)
                _status, done = await send(pool, rec, who, sections)
                committed += done

    start = time.monotonic()
    await asyncio.gather(*(loop() for _ in range(concurrency)))
    return committed / (time.monotonic() - start), rec


async def open_loop(rate: float, seconds: float | None, jobs: Any, rec_tasks: list[asyncio.Task]) -> None:
    """Start one job every 1/rate seconds (Poisson arrivals) until time or jobs run out."""
    start = time.monotonic()
    next_at = start
    for job in jobs:
        if seconds is not None and time.monotonic() - start >= seconds:
            break
        next_at += random.expovariate(rate)
        delay = next_at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        rec_tasks.append(asyncio.create_task(job()))


async def phase_paced(pool: Pool, students: list[dict[str, Any]], rate: float) -> Recorder:
    """Requests at `rate` registrations a second (a form asks for COURSES of them)."""
    rec = Recorder()
    tasks: list[asyncio.Task] = []
    jobs = (
        (lambda who=who, sections=sections: send(pool, rec, who, sections))
        for k in range(COURSES // PER_REQUEST)
        for who in students
        for sections in requests_of(who)[k : k + 1]
    )
    await open_loop(rate / PER_REQUEST, None, jobs, tasks)
    await asyncio.gather(*tasks)
    return rec


async def phase_hot(pool: Pool, students: list[dict[str, Any]], hot: int) -> Recorder:
    rec = Recorder()
    await asyncio.gather(*(register(pool, rec, who, hot) for who in students[:HOT_ATTEMPTS]))
    return rec


def overload_queue(students: list[dict[str, Any]]) -> collections.deque[tuple[dict[str, Any], list[int]]]:
    """The reserve cohort's requests, a course at a time across the students (as `phase_paced`)."""
    return collections.deque(
        (who, sections)
        for k in range(COURSES // PER_REQUEST)
        for who in students
        for sections in requests_of(who)[k : k + 1]
    )


async def phase_overload(
    pool: Pool,
    pending: collections.deque[tuple[dict[str, Any], list[int]]],
    rate: float,
    seconds: float,
    rec: Recorder,
) -> None:
    """Offer `rate` registrations a second (open loop); a request refused with 429 comes back at the
    end of the queue, as a student told to retry later does."""
    tasks: list[asyncio.Task] = []

    async def job() -> None:
        if not pending:
            rec.statuses[0] += 1  # the client ran out of registrations to offer (not the server's fault)
            return
        who, sections = pending.popleft()
        if (await send(pool, rec, who, sections, retry=False))[0] == 429:
            pending.append((who, sections))

    def jobs():
        while True:
            yield job

    await open_loop(rate / PER_REQUEST, seconds, jobs(), tasks)
    await asyncio.gather(*tasks)


# --- server CPU accounting (load-independent cost of one registration) ------------------------------


def server_cpu_seconds(server_pids: list[int]) -> float:
    """CPU seconds used so far by the server's processes (gunicorn's and the proxy's masters and
    their workers) and the bench database's backends."""
    ticks = os.sysconf("SC_CLK_TCK")
    db_name = urlparse(DATABASE_URL).path.lstrip("/")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        parent, utime, stime = int(fields[1]), int(fields[11]), int(fields[12])
        if (
            int(entry.name) in server_pids
            or parent in server_pids
            or (cmdline.startswith("postgres:") and f" {db_name} " in cmdline)
        ):
            total += utime + stime
    return total / ticks


# --- checks --------------------------------------------------------------------------------------


def verify() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM academics_section s
            WHERE s.seats_taken > s.capacity
               OR (SELECT count(*) FROM academics_registration r
                   WHERE r.section_id = s.id AND r.status = 'registered') > s.capacity
            """
        )
        overbooked = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT count(*) FROM academics_section s
            WHERE s.seats_taken <> (SELECT count(*) FROM academics_registration r
                                    WHERE r.section_id = s.id AND r.status = 'registered')
            """
        )
        counter_mismatch = cursor.fetchone()[0]
        cursor.execute("SELECT student_id, section_id, status FROM academics_registration")
        rows = {(student, section): status for student, section, status in cursor.fetchall()}
    lost = 0
    for key, state in ledger.items():
        status = rows.get(key)
        if state == "active" and status not in ("registered", "waitlisted"):
            lost += 1
        if state == "dropped" and status in ("registered", "waitlisted"):
            lost += 1  # an acknowledged drop that did not stick
    return {
        "overbooked_sections": overbooked,
        "lost_registrations": lost,
        "seat_counter_mismatches": counter_mismatch,
    }


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    with contextlib.suppress(OSError):
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory": memory,
        "python": platform.python_version(),
        "postgresql": pg,
        "platform": platform.platform(),
        "load_average_at_end": list(os.getloadavg()),
        "load_average_at_start": LOAD_AT_START,
        "note": "the client, gunicorn and PostgreSQL share these CPUs",
    }


# --- main ----------------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server() -> subprocess.Popen:
    global PORT, GUNICORN_PORT
    if not PORT:
        PORT = free_port()
    GUNICORN_PORT = free_port() if PROXY == "nginx" else PORT
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="bench-only-secret-key-not-for-production-use-0123456789",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=DATABASE_URL,
        DB_CONN_MAX_AGE="600",
        SHAFA_BENCH="1",
        SHAFA_REGISTRATION_MAX_INFLIGHT=str(MAX_INFLIGHT),
        SHAFA_REGISTRATION_QUEUE_MS=str(QUEUE_MS),
        SHAFA_REGISTRATION_RETRY_AFTER=str(RETRY_AFTER),
        LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{GUNICORN_PORT}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "gthread",
        "--threads",
        str(THREADS),
        "--backlog",
        "4096",
        "--keep-alive",
        "75",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    if not wait_until_serving(GUNICORN_PORT):
        stop_server(server)
        raise SystemExit("gunicorn did not start")
    return server


def wait_until_serving(port: int) -> bool:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            url = f"http://127.0.0.1:{port}/academics/bench/bare/"
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def start_proxy() -> subprocess.Popen | None:
    """nginx with the production template (deploy/nginx/shafa.conf.template) in front of gunicorn."""
    if PROXY != "nginx":
        return None
    import tempfile

    from shafa.academics.proxy import render_nginx_config, standalone_nginx_config

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    prefix = Path(tempfile.mkdtemp(prefix="shafa-bench-nginx-"))
    rendered = render_nginx_config(
        listen=f"127.0.0.1:{PORT} backlog=4096",
        upstream=f"127.0.0.1:{GUNICORN_PORT}",
        workers=WORKERS,
        slots_per_worker=MAX_INFLIGHT,
        retry_after=RETRY_AFTER,
    )
    (prefix / "shafa.conf").write_text(rendered, encoding="utf-8")
    (prefix / "nginx.conf").write_text(
        standalone_nginx_config(prefix, prefix / "shafa.conf", worker_processes=PROXY_WORKERS),
        encoding="utf-8",
    )
    command = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
    proxy = subprocess.Popen(command, start_new_session=True)
    if not wait_until_serving(PORT):
        stop_server(proxy)
        raise SystemExit(f"nginx did not start (see {prefix / 'error.log'})")
    PROXY_DIRS.append(prefix)
    return proxy


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def start_profiler(server: subprocess.Popen) -> subprocess.Popen | None:
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not PROFILE or not Path(py_spy).exists():
        return None
    out = ROOT / "bench" / "results" / "registration-profile.svg"
    return subprocess.Popen(
        [py_spy, "record", "--pid", str(server.pid), "--subprocesses", "--output", str(out), "--rate", "50"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def run_load(data: dict[str, Any]) -> dict[str, Any]:
    plan = data["plan"]
    half = len(plan) // 2
    inflight = WORKERS * MAX_INFLIGHT
    pool = Pool(512)
    result: dict[str, Any] = {}

    log("warm-up")
    for who in plan[:2]:
        await pool.request("GET", f"{API}/registrations/", headers={"Authorization": f"Token {who['token']}"})
    await phase_bare(pool, 4)

    log(f"bare view, {BARE_SECONDS:.0f} s")
    result["bare_per_s"] = round(await phase_bare(pool, inflight * 2), 1)
    log(f"  bare: {result['bare_per_s']}/s")
    if GUNICORN_PORT != PORT:
        # the same view straight to gunicorn, for the ratio without the proxy's hop
        direct = Pool(inflight * 2, port=GUNICORN_PORT)
        result["bare_direct_per_s"] = round(await phase_bare(direct, inflight * 2), 1)
        log(f"  bare, straight to gunicorn: {result['bare_direct_per_s']}/s")

    # Closed loop: a client answered 429 sleeps for Retry-After (1–2 s, ~50 forms' time), so at any
    # moment many of them are asleep; eight clients per admission slot keep every slot busy (three
    # left slots idle and measured the clients' sleep).
    concurrency = RUSH_CLIENTS or 8 * inflight
    log(f"cohort rush (max rate): {half} students × {COURSES}, {concurrency} clients")
    cpu_before, client_before = server_cpu_seconds(SERVER_PID), time.process_time()
    committed_per_s, rush = await phase_rush(pool, plan[:half], concurrency)
    cpu_used = server_cpu_seconds(SERVER_PID) - cpu_before
    client_used = time.process_time() - client_before
    result["server_cpu_ms_per_registration"] = round(cpu_used / (half * COURSES) * 1000, 2)
    # The load client shares the CPUs: its cost per registration (429 retries included).
    result["client_cpu_ms_per_registration"] = round(client_used / (half * COURSES) * 1000, 2)
    result["idle_machine_estimate_per_s"] = round((os.cpu_count() or 1) / (cpu_used / (half * COURSES)), 1)
    result["committed_per_s"] = round(committed_per_s, 1)
    result["rush"] = {
        "statuses": dict(rush.statuses),
        "p50_ms": pct(rush.latencies, 0.50),
        "p95_ms": pct(rush.latencies, 0.95),
        "p99_ms": pct(rush.latencies, 0.99),
    }
    log(
        f"  committed: {committed_per_s:.1f}/s {dict(rush.statuses)};"
        f" server CPU {result['server_cpu_ms_per_registration']} ms per registration,"
        f" client CPU {result['client_cpu_ms_per_registration']} ms"
    )

    paced_rate = 0.7 * committed_per_s
    log(f"cohort rush at 70% ({paced_rate:.0f}/s): {len(plan) - half} students × {COURSES}")
    paced = await phase_paced(pool, plan[half:], paced_rate)
    result.update(
        p50_ms=pct(paced.latencies, 0.50),
        p95_ms=pct(paced.latencies, 0.95),
        p99_ms=pct(paced.latencies, 0.99),
    )
    result["paced"] = {"rate_per_s": round(paced_rate, 1), "statuses": dict(paced.statuses)}
    log(f"  p50/p95/p99: {result['p50_ms']}/{result['p95_ms']}/{result['p99_ms']} ms {dict(paced.statuses)}")

    log(f"hot section: {HOT_ATTEMPTS} concurrent attempts on {HOT_CAPACITY} seats")
    hot = await phase_hot(pool, plan, data["hot"])
    result["hot"] = {"statuses": dict(hot.statuses), "p95_ms": pct(hot.latencies, 0.95)}
    log(f"  {dict(hot.statuses)}")

    overload_rate = 3 * committed_per_s
    log(f"overload: {overload_rate:.0f}/s for {OVERLOAD_SECONDS:.0f} s, then {0.5 * committed_per_s:.0f}/s")
    rec = Recorder()
    cpu_before, client_before = server_cpu_seconds(SERVER_PID), time.process_time()
    pending = overload_queue(data["reserve"])
    await phase_overload(pool, pending, overload_rate, OVERLOAD_SECONDS, rec)
    overload_cpu = server_cpu_seconds(SERVER_PID) - cpu_before
    overload_client_cpu = time.process_time() - client_before
    overload_end = int(time.monotonic() - rec.started)
    await phase_overload(pool, pending, 0.5 * committed_per_s, RECOVERY_SECONDS, rec)
    seconds = sorted(rec.by_second)
    # Recovered: a whole second without 429 whose p95 is back to normal (300 ms, or the paced
    # phase's p95 if this machine is slower than that even before the overload).
    normal_p95 = max(300.0, result["p95_ms"] or 0)
    during = [s for s in seconds if s < OVERLOAD_SECONDS]
    good = sum(committed for s in during for _status, _l, committed in rec.by_second[s])
    goodput = good / OVERLOAD_SECONDS
    recovery = None
    for s in seconds:
        if s < overload_end:
            continue
        sample = rec.by_second[s]
        latencies = [latency for status, latency, _c in sample if status != 429]
        if (
            sample
            and all(status != 429 for status, _l, _c in sample)
            and (pct(latencies, 0.95) or 0) <= normal_p95
        ):
            recovery = s - overload_end
            break
    result.update(
        overload_goodput_per_s=round(goodput, 1),
        overload_goodput_ratio=round(goodput / committed_per_s, 3) if committed_per_s else None,
        overload_429_p95_ms=pct(rec.latency_429, 0.95),
        overload_recovery_s=recovery,
        overload_recovery_p95_threshold_ms=normal_p95,
        overload={
            "offered_per_s": round(overload_rate, 1),
            "requests": "registrations of a reserve cohort of fresh students, as in the rush",
            "reserve_students": len(data["reserve"]),
            "reserve_exhausted": rec.statuses.get(0, 0),
            "statuses": dict(rec.statuses),
            "admitted_p95_ms": pct(rec.latencies, 0.95),
            # where the CPU went while overloaded (server: gunicorn + PostgreSQL; client: this)
            "server_cpu_s": round(overload_cpu, 1),
            "client_cpu_s": round(overload_client_cpu, 1),
            "server_cpu_ms_per_good": round(overload_cpu / good * 1000, 2) if good else None,
        },
    )
    log(
        f"  goodput {goodput:.1f}/s ({result['overload_goodput_ratio']}),"
        f" 429 p95 {result['overload_429_p95_ms']} ms,"
        f" recovery {recovery} s, {dict(rec.statuses)}"
    )
    all_statuses = rush.statuses + paced.statuses + hot.statuses + rec.statuses
    result["errors_5xx"] = sum(n for status, n in all_statuses.items() if status >= 500)
    return result


LOAD_AT_START: list[float] = []
SERVER_PID: list[int] = []
PROXY_DIRS: list[Path] = []  # nginx's prefix directories, removed at the end


def transcripts_per_s() -> float | None:
    """Run the transcript batch benchmark (bench/transcripts.py) in the same run; TRANSCRIPTS=0 skips."""
    if os.environ.get("TRANSCRIPTS", "1") == "0":
        return None
    out = ROOT / "bench" / "results" / "transcripts.json"
    log("transcripts: 1,000 PDFs in a batch (bench/transcripts.py)")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "transcripts.py")],
        check=True,
        env={**os.environ, "OUT": str(out), "STUDENTS": os.environ.get("TRANSCRIPTS_COUNT", "1000")},
        stdout=subprocess.DEVNULL,
    )
    return json.loads(out.read_text(encoding="utf-8")).get("transcripts_per_s")


def main() -> None:
    started = time.time()
    LOAD_AT_START.extend(os.getloadavg())
    log(f"fresh database {urlparse(DATABASE_URL).path.lstrip('/')}")
    create_database()
    setup_django()
    log(f"migrate and load {STUDENTS} students")
    data = load_dataset()
    log(
        f"gunicorn: {WORKERS} workers × {THREADS} threads,"
        f" {MAX_INFLIGHT} registration writes in flight per worker"
    )
    server = start_server()
    SERVER_PID.append(server.pid)
    proxy = None
    try:
        proxy = start_proxy()
        if proxy is not None:
            SERVER_PID.append(proxy.pid)
            log(
                f"nginx in front ({PROXY_WORKERS} worker process),"
                f" {WORKERS * MAX_INFLIGHT} registration writes admitted at once"
            )
        profiler = start_profiler(server)
        try:
            result = asyncio.run(run_load(data))
        finally:
            if profiler is not None:
                profiler.send_signal(signal.SIGINT)
                profiler.wait(timeout=60)
    finally:
        if proxy is not None:
            stop_server(proxy)
        stop_server(server)
        for prefix in PROXY_DIRS:
            shutil.rmtree(prefix, ignore_errors=True)
    from django.db import connection

    connection.close()
    result.update(verify())
    from shafa.academics.models import Registration

    result["hot_section_registered"] = Registration.objects.filter(
        section_id=data["hot"], status="registered"
    ).count()
    result["ratio"] = (
        round(result["committed_per_s"] / result["bare_per_s"], 3) if result["bare_per_s"] else None
    )
    if result.get("bare_direct_per_s"):
        result["ratio_to_bare_direct"] = round(result["committed_per_s"] / result["bare_direct_per_s"], 3)
    result["transcripts_per_s"] = transcripts_per_s()
    result["machine"] = machine()
    result["settings"] = {
        "students": STUDENTS,
        "registrations_per_student": COURSES,
        "credit_limits_prepared": PREPARE,
        "submit": (
            "form: each student's 6 sections in one request (POST {sections: [...]})"
            if SUBMIT == "form"
            else "section: one request per section (POST {section: id})"
        ),
        "gunicorn": {"workers": WORKERS, "worker_class": "gthread", "threads": THREADS},
        "proxy": (
            {
                "server": "nginx",
                "worker_processes": PROXY_WORKERS,
                "config": "deploy/nginx/shafa.conf.template",
                "registration_slots": WORKERS * MAX_INFLIGHT,
            }
            if PROXY == "nginx"
            else None
        ),
        "registration_max_inflight_per_worker": MAX_INFLIGHT,
        "registration_queue_ms": QUEUE_MS,
        "rush_clients": RUSH_CLIENTS or 8 * WORKERS * MAX_INFLIGHT,
        "overload_seconds": OVERLOAD_SECONDS,
        "recovery_seconds": RECOVERY_SECONDS,
        "bare_seconds": BARE_SECONDS,
        "database": "PostgreSQL on loopback, fresh database " + urlparse(DATABASE_URL).path.lstrip("/"),
        "client": "asyncio HTTP/1.1 keep-alive, same machine",
        "duration_s": round(time.time() - started, 1),
    }
    keys = [
        "committed_per_s",
        "bare_per_s",
        "ratio",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "errors_5xx",
        "overbooked_sections",
        "lost_registrations",
        "hot_section_registered",
        "overload_goodput_ratio",
        "overload_429_p95_ms",
        "transcripts_per_s",
    ]
    ordered = {key: result.pop(key) for key in keys} | result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(ordered, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({key: ordered[key] for key in keys}, indent=2))
    log(f"report: {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
