"""iCalendar (RFC 5545) export of a learner's published rotations, written by hand.

All-day events: DTSTART;VALUE=DATE is the block's first day, DTEND;VALUE=DATE the day after the
last (exclusive, as the RFC says). Lines are CRLF-terminated and folded at 75 octets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone


def _escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = char, width, 74  # continuation lines start with a space
        else:
            current += char
            size += width
    parts.append(current)
    return "\r\n ".join(parts)


def calendar_ics(events: Iterable[dict[str, Any]], *, name: str, domain: str = "shafa") -> str:
    """events: {uid, summary, location, description, start (date), end (date, inclusive)}."""
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Shafa//Clinical rotations//FA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for event in events:
        end_exclusive = event["end"] + dt.timedelta(days=1)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event['uid']}@{domain}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event['start']:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end_exclusive:%Y%m%d}",
            f"SUMMARY:{_escape(event['summary'])}",
            f"LOCATION:{_escape(event.get('location', ''))}",
            f"DESCRIPTION:{_escape(event.get('description', ''))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def learner_calendar(rows: list[dict[str, Any]], *, learner_name: str) -> str:
    """The .ics of `my_schedule` rows (published placements with their dates)."""
    events = []
    for row in rows:
        a = row["assignment"]
        if row["starts"] is None or row["ends"] is None:
            continue
        events.append(
            {
                "uid": f"clinical-assignment-{a.pk}-run-{a.run_id}",
                "summary": f"{a.rotation.name_fa}"
                + (f" / {a.rotation.name_en}" if a.rotation.name_en else ""),
                "location": f"{a.site.name_fa}" + (f" / {a.site.name_en}" if a.site.name_en else ""),
                "description": f"Blocks {a.start}-{a.end}",
                "start": row["starts"],
                "end": row["ends"],
            }
        )
    return calendar_ics(events, name=learner_name)
