"""Opening hours as service lists write them (a subset of OpenStreetMap's ``opening_hours``):
whether a service is open at a local time, when it closes, when it opens next.

Understood: ``24/7``; rules separated by ``;``, each ``<days> <ranges>`` or ``<days> off``, where
days are ``Mo Tu We Th Fr Sa Su`` as ranges (``Mo-Fr``, ``Sa-Mo``) or lists (``Mo,We``) and
``PH`` names public holidays; ranges ``09:00-12:00,14:00-17:00`` (``24:00`` ends a day). A
later rule replaces earlier ones for the days it names, as in OpenStreetMap. On a public holiday
a service is closed unless a ``PH`` rule says otherwise. Anything else is not understood: the
text is still shown, without "open now".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

__all__ = ["OpeningState", "WeeklyHours", "opening_state", "parse_opening_hours"]

_DAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
_HOLIDAY = 7  # the "day" a PH rule sets
_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
Minutes = tuple[int, int]  # from, to: minutes since midnight, to ≤ 1440


@dataclass(frozen=True)
class WeeklyHours:
    by_day: tuple[tuple[Minutes, ...], ...]  # Monday … Sunday, then public holidays


@dataclass(frozen=True)
class OpeningState:
    open_now: bool
    closes_at: time | None = None  # today, when open now (None: open past midnight)
    opens_day: int | None = None  # 0 = Monday, when closed now and it opens within a week
    opens_at: time | None = None


def _days(text: str) -> list[int] | None:
    found: list[int] = []
    for part in text.lower().split(","):
        if part == "ph":
            found.append(_HOLIDAY)
            continue
        ends = part.split("-")
        if not all(e in _DAYS for e in ends) or len(ends) > 2:
            return None
        first, last = _DAYS.index(ends[0]), _DAYS.index(ends[-1])
        found.extend((first + i) % 7 for i in range((last - first) % 7 + 1))
    return found


def _ranges(text: str) -> list[Minutes] | None:
    found: list[Minutes] = []
    for part in text.split(","):
        match = _RANGE.match(part.strip())
        if not match:
            return None
        h1, m1, h2, m2 = map(int, match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if m1 > 59 or m2 > 59 or not 0 <= start < end <= 24 * 60:
            return None
        found.append((start, end))
    return sorted(found)


def parse_opening_hours(text: str | None) -> WeeklyHours | None:
    """The weekly hours, or None when the text is empty or not understood."""
    if not text or not text.strip():
        return None
    if text.strip() == "24/7":
        return WeeklyHours(tuple(((0, 1440),) for _ in range(8)))
    week: list[tuple[Minutes, ...]] = [() for _ in range(8)]
    for rule in filter(None, (r.strip() for r in text.split(";"))):
        words = rule.split(None, 1)
        days = _days(words[0]) if len(words) == 2 else list(range(7))
        hours_text = words[1] if len(words) == 2 else rule
        if days is None:
            return None
        hours = [] if hours_text.strip().lower() in ("off", "closed") else _ranges(hours_text)
        if hours is None:
            return None
        for day in days:
            week[day] = tuple(hours)
    return WeeklyHours(tuple(week))


def opening_state(hours: WeeklyHours, local: datetime, holiday: bool) -> OpeningState:
    """Open or closed at ``local`` (the place's own time), and when that changes."""
    minute = local.hour * 60 + local.minute
    today = hours.by_day[_HOLIDAY if holiday else local.weekday()]
    for start, end in today:
        if start <= minute < end:
            closes = None if end >= 1440 else time(end // 60, end % 60)
            return OpeningState(True, closes_at=closes)
    for offset in range(8):  # today later on, then the coming days (not knowing their holidays)
        day = local + timedelta(days=offset)
        ranges = today if offset == 0 else hours.by_day[day.weekday()]
        for start, _ in ranges:
            if offset > 0 or start > minute:
                return OpeningState(
                    False, opens_day=day.weekday(), opens_at=time(start // 60, start % 60)
                )
    return OpeningState(False)
