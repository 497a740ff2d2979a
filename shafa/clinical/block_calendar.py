"""The block calendar of a clinical year: block dates and the official holidays (plain Python)."""

from __future__ import annotations

import datetime as dt

from shafa.core.jalali import from_gregorian, to_gregorian

# The official holidays fixed in the solar Hijri calendar: (month, day, Persian, English).  The
# lunar ones (Tasua, Ashura, the two Eids, ...) move every year; the coordinator adds them.
SOLAR_HOLIDAYS = [
    (11, 22, "سالروز پیروزی انقلاب اسلامی", "Islamic Revolution Day"),
    (12, 29, "روز ملی شدن صنعت نفت", "Oil Nationalisation Day"),
    (1, 1, "نوروز", "Nowruz"),
    (1, 2, "نوروز", "Nowruz"),
    (1, 3, "نوروز", "Nowruz"),
    (1, 4, "نوروز", "Nowruz"),
    (1, 12, "روز جمهوری اسلامی", "Islamic Republic Day"),
    (1, 13, "روز طبیعت", "Nature Day"),
    (3, 14, "رحلت امام خمینی", "Death of Imam Khomeini"),
    (3, 15, "قیام ۱۵ خرداد", "15 Khordad Uprising"),
]


def block_dates(first_day: dt.date, n_blocks: int, block_days: int) -> list[tuple[dt.date, dt.date]]:
    """`n_blocks` back-to-back blocks of `block_days` days from `first_day`: (first, last) each."""
    return [
        (
            first_day + dt.timedelta(days=block_days * i),
            first_day + dt.timedelta(days=block_days * (i + 1) - 1),
        )
        for i in range(n_blocks)
    ]


def official_holidays(first: dt.date, last: dt.date) -> list[tuple[dt.date, str, str]]:
    """The solar official holidays from `first` to `last` inclusive, in date order."""
    found = []
    for jy in range(from_gregorian(first).year, from_gregorian(last).year + 1):
        for month, day, fa, en in SOLAR_HOLIDAYS:
            date = to_gregorian(jy, month, day)
            if first <= date <= last:
                found.append((date, fa, en))
    return sorted(found)
