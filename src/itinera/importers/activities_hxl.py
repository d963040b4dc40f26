"""Activity files: HXL-tagged 3W/4W (1.x and the pre-1.0 tags of 2014) and plain tables read
through a column mapping (an ActivityInfo export, a partner's spreadsheet).

HXL: the hashtag row is found among the first 25 rows; beta tags (``#lat_deg``,
``#period_date``, ``#activity_id`` …) become their 1.1 equivalents and columns left without a
hashtag are read by their text header, both through the legacy mapping of the reference data
(``activity_legacy_tags.yaml``). Table: the mapping names, for each text header, the hashtag it
stands for (``columns: {Partner: "#org+impl", ...}``). Either way each row goes to
``activities_rows.RowBuilder`` as ``{hashtag: text}``, so both read the same vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from itinera.domain.issues import Issue, Severity
from itinera.importers.activities_rows import ActivityRead, RowBuilder
from itinera.importers.table_files import TableFileError, open_table
from itinera.reference.activities import legacy_tags, sector_key

__all__ = ["normalise_activity_tag", "read_activities_hxl", "read_activities_table"]

_TAG = re.compile(r"^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$")
HEADER_SEARCH = 25
# A column whose hashtag has one of these attributes never stands for the bare hashtag
# (``#org+funder`` is not the implementing organisation).
_QUALIFYING = frozenset(
    [
        "funder",
        "prog",
        "code",
        "id",
        "url",
        "project",
        "start",
        "end",
        "period",
        "reported",
        "approved",
        "cumulative",
        "aggregation",
        "i_ar",
        "i_fr",
        "budget",
    ]
)


def normalise_activity_tag(cell: str) -> str | None:
    """``#Org +Impl`` → ``#org+impl``; beta tags → 1.1; ``None`` if not a hashtag."""
    text = cell.strip().lower().replace(" ", "")
    if not text or not _TAG.match(text):
        return None
    base, *attributes = text.split("+")
    base, *implied = legacy_tags().tags.get(base, base).split("+")
    return "+".join([base, *implied, *attributes])


def _keys(tag: str) -> list[str]:
    """The lookups a column answers: itself, each ``base+attribute``, and the bare base."""
    base, *attributes = tag.split("+")
    keys = [tag, *(f"{base}+{a}" for a in attributes)]
    if not _QUALIFYING & set(attributes):
        keys.append(base)
    return keys


def _read(path: Path, reader: str, tags_of: Any) -> ActivityRead:
    read = ActivityRead(reader)
    try:
        table = open_table(path)
    except TableFileError as error:
        read.issues.append(Issue(path.name, str(error)))
        return read
    read.issues.extend(table.issues)
    found = tags_of(table, read)
    if found is None:
        return read
    tags, labels, first_data = found
    builder = RowBuilder(read, path.name, labels)
    for number, cells in table.rows:
        if number < first_data:
            continue
        texts = ["" if c is None else str(c).strip() for c in cells]
        if not any(texts):
            continue
        row: dict[str, str] = {}
        for index, tag in enumerate(tags):
            if tag and index < len(texts) and texts[index]:
                for key in _keys(tag):
                    row.setdefault(key, texts[index])
        builder.add(number, row)
    return read


def _hxl_tags(
    table: Any, read: ActivityRead
) -> tuple[list[str | None], dict[str, str], int] | None:
    header: list[str] = list(table.header)
    candidates: list[tuple[int, list[str]]] = [(1, header)]
    buffered = []
    for number, cells in table.rows:
        buffered.append((number, cells))
        candidates.append((number, ["" if c is None else str(c) for c in cells]))
        if len(buffered) >= HEADER_SEARCH:
            break
    table.rows = iter([*buffered, *table.rows])
    for number, texts in candidates:
        tags = [normalise_activity_tag(c) for c in texts]
        if any(tags) and all(t or not c.strip() for t, c in zip(tags, texts, strict=False)):
            labels = header if number > 1 else [t or "" for t in tags]
            return (
                _untagged(tags, labels, read, table.name, number),
                _labels(tags, labels),
                number + 1,
            )
    read.issues.append(
        Issue(
            table.name,
            "no HXL hashtag row in the first 25 rows",
            suggestion="add a row of hashtags (#org, #sector, #adm1 …) under the header",
        )
    )
    return None


def _untagged(
    tags: list[str | None], header: list[str], read: ActivityRead, name: str, tag_row: int
) -> list[str | None]:
    """Untagged columns read by their header (legacy mapping); the others reported once."""
    known = legacy_tags().headers
    result, ignored = list(tags) + [None] * (len(header) - len(tags)), []
    for index, text in enumerate(header):
        if result[index] is None and text.strip():
            result[index] = known.get(sector_key(text))
            if result[index] is None:
                ignored.append(text)
    if ignored:
        read.issues.append(
            Issue(
                name,
                "columns without a hashtag, not read: " + ", ".join(ignored),
                row=None,
                severity=Severity.WARNING,
                suggestion="tag them, or add their header to the legacy tag mapping",
            )
        )
    return result


def _labels(tags: list[str | None], header: list[str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for index, tag in enumerate(tags):
        if tag and index < len(header):
            for key in _keys(tag):
                labels.setdefault(key, header[index] or tag)
    return labels


def read_activities_hxl(path: Path, **_options: Any) -> ActivityRead:
    return _read(path, "hxl", _hxl_tags)


def read_activities_table(
    path: Path, *, document: Mapping[str, Any], **_options: Any
) -> ActivityRead:
    columns = {sector_key(str(k)): str(v) for k, v in (document.get("columns") or {}).items()}

    def mapped(table: Any, read: ActivityRead) -> tuple[list[str | None], dict[str, str], int]:
        tags = [normalise_activity_tag(columns.get(sector_key(h), "")) for h in table.header]
        missing = [h for h, t in zip(table.header, tags, strict=True) if t is None and h]
        if missing:
            read.issues.append(
                Issue(
                    table.name,
                    "columns the mapping does not name, not read: " + ", ".join(missing),
                    severity=Severity.WARNING,
                    suggestion="add them to the mapping's columns",
                )
            )
        return tags, _labels(tags, list(table.header)), 2

    return _read(path, "table", mapped)
