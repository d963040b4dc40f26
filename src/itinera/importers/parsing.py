"""Low-level cell parsers shared by every movement-data reader.

Each parser takes the text of one cell (or the value openpyxl gives for it) and returns a
Python value, ``None`` for a blank or a "not available" sentinel, or raises ``ValueError``
with a message that names the bad text. Readers turn that message into an ``Issue`` with the
file, row and column; the parsers themselves know nothing about files.

Blank is not zero: ``parse_count("")`` is ``None`` (unknown) and ``parse_count("0")`` is 0.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, datetime, timedelta

__all__ = [
    "SENTINELS",
    "clean_text",
    "parse_coordinates",
    "parse_count",
    "parse_date",
    "parse_month",
    "parse_number",
    "split_multi",
]

SENTINELS = frozenset({"", "na", "n/a", "n.a.", "not available", "null", "none", "nan", "-", ".."})
"""Cell texts meaning "no figure" (compared case-insensitively, after trimming)."""

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_COMMA_GROUPS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPACE_GROUPS = re.compile(r"^[+-]?\d{1,3}( \d{3})+([.,]\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "janvier", "janv"),
            ("february", "feb", "février", "fevrier", "févr", "fev"),
            ("march", "mar", "mars"),
            ("april", "apr", "avril", "avr"),
            ("may", "mai"),
            ("june", "jun", "juin"),
            ("july", "jul", "juillet", "juil"),
            ("august", "aug", "août", "aout"),
            ("september", "sep", "sept", "septembre"),
            ("october", "oct", "octobre"),
            ("november", "nov", "novembre"),
            ("december", "dec", "décembre", "decembre", "déc"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EXCEL_EPOCH = date(1899, 12, 30)
_WEEKDAY_DATE = re.compile(
    r"^([A-Za-z]{3})[a-z]*,?\s+"
    r"(\d{1,2})/(\d{1,2})/(\d{4})(\s*-?\s*[\d:]+)?$"
)


def clean_text(value: object) -> str | None:
    """The cell as trimmed text with inner runs of spaces collapsed; ``None`` when blank."""
    if value is None:
        return None
    text = _SPACES.sub(" ", str(value)).strip()
    return text or None


def _is_sentinel(text: str) -> bool:
    return text.strip().lower() in SENTINELS


def parse_number(value: object) -> float | None:
    """A number written with or without thousands separators (``1,234``, ``1 234``,
    ``2014.0``); ``None`` for blank and sentinels (NA, N/A, Not available…)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{value!r} is not a finite number")
        return float(value)
    text = str(value).strip()
    if _is_sentinel(text):
        return None
    compact = _SPACES.sub(" ", text)
    if _COMMA_GROUPS.match(compact):
        return float(compact.replace(",", ""))
    if _SPACE_GROUPS.match(compact):
        return float(compact.replace(" ", "").replace(",", "."))
    if _PLAIN.match(compact):
        return float(compact)
    raise ValueError(f"{text!r} is not a number")


def parse_count(value: object) -> int | None:
    """A whole, non-negative number of people or events; ``None`` for blank and sentinels."""
    number = parse_number(value)
    if number is None:
        return None
    if number < 0:
        raise ValueError(f"{value!r} is negative; a count cannot be below zero")
    if number != int(number):
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def _weekday_matches(day: date, name: str) -> bool:
    return _WEEKDAYS[day.weekday()] == name[:3].lower()


def parse_date(value: object) -> date:
    """A calendar date from ``YYYY-MM-DD`` (optionally with a time), ``January 05, 2020``,
    ``5 January 2020``, ``Thu, 01/01/2026 - 12:00`` (US month/day, checked against the
    weekday), ``dd/mm/yyyy``, a ``date``/``datetime`` or an Excel serial number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel serial day numbers up to 9999-12-31
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(f"{value!r} is not a date")
    text = clean_text(value) or ""
    try:
        parsed = _parse_date_text(text)
    except ValueError as error:  # e.g. 2023-02-30
        raise ValueError(f"{text!r} is not a valid date ({error})") from None
    if parsed is None:
        raise ValueError(
            f"{text!r} is not a date (expected YYYY-MM-DD, dd/mm/yyyy or 'January 05, 2020')"
        )
    return parsed


def _parse_date_text(text: str) -> date | None:
    if match := re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$", text):
        return date(*map(int, match.groups()))
    if match := _WEEKDAY_DATE.match(text):
        weekday, first, second, year = match.group(1), *map(int, match.groups()[1:4])
        candidates = [(first, second), (second, first)]  # US order first
        for month, day in candidates:
            if month <= 12 and day <= 31:
                try:
                    found = date(year, month, day)
                except ValueError:
                    continue
                if _weekday_matches(found, weekday):
                    return found
        raise ValueError(f"the weekday {weekday!r} matches neither month/day nor day/month")
    if match := re.match(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$", text):
        day, month, year = map(int, match.groups())
        return date(year, month, day)
    if match := re.match(r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})$", text):
        named = _MONTHS.get(match.group(1).lower())
        return date(int(match.group(3)), named, int(match.group(2))) if named else None
    if match := re.match(r"^(\d{1,2})\s+([^\W\d_]+)\.?,?\s+(\d{4})$", text):
        named = _MONTHS.get(match.group(2).lower())
        return date(int(match.group(3)), named, int(match.group(1))) if named else None
    return None


def parse_month(value: object) -> tuple[int, int]:
    """``(year, month)`` from ``2014-01``, ``Jan-2014``, ``JAN2009``, ``January 2014``,
    ``Septembre 2012``, ``01/2014`` or a date."""
    if isinstance(value, date):
        return value.year, value.month
    text = clean_text(value) or ""
    if match := re.match(r"^(\d{4})-(\d{1,2})$", text):
        year, month = map(int, match.groups())
    elif match := re.match(r"^(\d{1,2})/(\d{4})$", text):
        month, year = map(int, match.groups())
    elif match := re.match(r"^([^\W\d_]+)\.?[\s-]*(\d{4})$", text):
        month = _MONTHS.get(match.group(1).lower(), 0)
        year = int(match.group(2))
    elif match := re.match(r"^(\d{4})[\s-]*([^\W\d_]+)$", text):
        month = _MONTHS.get(match.group(2).lower(), 0)
        year = int(match.group(1))
    else:
        raise ValueError(f"{text!r} is not a month (expected YYYY-MM or 'Jan-2014')")
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} is not a month (expected YYYY-MM or 'Jan-2014')")
    return year, month


def parse_coordinates(value: object) -> tuple[float, float] | None:
    """``(lat, lon)`` from a ``"lat, lon"`` cell; ``None`` when blank. Raises on a value
    out of range or on lat == lon, which in publishers' files marks a garbage copy."""
    text = clean_text(value)
    if text is None or _is_sentinel(text):
        return None
    parts = [part.strip() for part in re.split(r"[,;]", text)]
    if len(parts) != 2:
        raise ValueError(f"{text!r} is not a 'lat, lon' pair")
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        raise ValueError(f"{text!r} is not a 'lat, lon' pair of numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{text!r} is out of range (latitude -90..90, longitude -180..180)")
    if lat == lon:
        raise ValueError(f"{text!r} has latitude equal to longitude, a known garbage value")
    return lat, lon


def split_multi(value: object, vocabulary: Collection[str] | None = None) -> tuple[str, ...]:
    """The items of a multi-valued cell. Items are separated by ``,`` not followed by a space,
    so a single name containing ``", "`` stays whole. With a ``vocabulary``, a chunk that is
    not a known name but whose ``", "``-separated pieces all are is split into them."""
    text = clean_text(value)
    if text is None:
        return ()
    items = [item.strip() for item in re.split(r",(?! )", text)]
    items = [item for item in items if item]
    if vocabulary is None:
        return tuple(items)
    known = {name.casefold() for name in vocabulary}
    result: list[str] = []
    for item in items:
        pieces = [piece.strip() for piece in item.split(", ")]
        if item.casefold() not in known and all(p.casefold() in known for p in pieces):
            result.extend(pieces)
        else:
            result.append(item)
    return tuple(result)
