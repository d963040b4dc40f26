"""Any HXL-tagged CSV: hashtag row first, second (after a human header), or lower.

Two shapes are read, both streaming (one row in memory at a time):
- *long*: an ``#indicator+code`` column names the indicator and ``#indicator+value`` holds
  the figure (Itinera's own HXL export is this shape);
- *wide*: each column whose hashtag the indicator dictionary knows (``#affected+dead``,
  ``#affected+arrivals+sea+f`` …) is one figure per row; ``+f``/``+m`` give the sex and
  ``+children``/``+adults`` the age group.
Other columns: ``#date`` (a period code or a date), ``#country`` (+code: ISO3, else a name),
``#region+route`` (+code: a route id, else a publisher's name), ``#loc``, any tag with
``+nationality``, ``#meta+sex``, ``#meta+age``, ``#meta+border``, ``#indicator+unit``, and
``#meta+route+method`` / ``#meta+route+distance`` (how Itinera's export placed the figure on its
route: read back, the figure keeps that route and method instead of being attributed again).

Admin levels: a file that mixes a country's total with its admin areas' figures (DTM on HDX:
levels 0, 1 and 2 in one table) must not be summed across levels. Each figure gets its
``admin_level``: the ``#adm+level`` cell when there is one, else the deepest of ``#adm1``,
``#adm2``, ``#adm3`` that is filled (a cell reading "Total" or "All" counts as empty: the
row is the total of the level above), else 0; its ``place`` is that area's name (or code).
``+origin`` admin columns describe where people came from, not where they are counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from itinera.domain.indicator import HxlTag
from itinera.domain.issues import Issue
from itinera.domain.observation import AgeGroup, Sex
from itinera.importers.base import (
    DatasetInfo,
    ImportResult,
    ReaderSpec,
    unflatten,
)
from itinera.importers.hxl_plan import Layout, RowPlan
from itinera.importers.textfile import UTF8, detect_encoding, read_rows
from itinera.reference.indicators import packaged_indicators

__all__ = ["read_hxl"]

HEADER_SEARCH = 25
_SEX = {"f": Sex.FEMALE, "m": Sex.MALE}
_AGE = {"children": AgeGroup.CHILD, "adults": AgeGroup.ADULT}
_ADMIN_AREAS = ("adm1", "adm2", "adm3")


def _hxl_row(cells: list[str]) -> list[HxlTag | None] | None:
    """The parsed tags when ``cells`` is a hashtag row, else None."""
    filled = [c.strip() for c in cells if c.strip()]
    if not filled or not all(c.startswith("#") for c in filled):
        return None
    try:
        return [HxlTag.parse(c) if c.strip() else None for c in cells]
    except ValueError:
        return None


def _layout(tags: list[HxlTag | None], name: str, issues: list[Issue]) -> Layout | None:
    dictionary = packaged_indicators()
    layout = Layout()
    seen: dict[str, int] = {}
    for index, tag in enumerate(tags):
        if tag is None:
            continue
        text = str(tag)
        if text in seen:
            issues.append(
                Issue(
                    name,
                    f"the hashtag {text} heads two columns ({seen[text] + 1} "
                    f"and {index + 1}); the file is ambiguous",
                    row=None,
                    tag=text,
                    suggestion="remove or rename one of the columns",
                )
            )
            return None
        seen[text] = index
        role = _dimension(tag)
        if role is not None:
            layout.dims.setdefault(role, index)
            continue
        indicator = dictionary.for_tag(tag)
        if indicator is not None:
            sex = next((_SEX[a] for a in tag.attributes if a in _SEX), None)
            age = next((_AGE[a] for a in tag.attributes if a in _AGE), None)
            layout.values[index] = (indicator.code, sex, age)
    long_form = "indicator" in layout.dims and "value" in layout.dims
    if not layout.values and not long_form:
        issues.append(
            Issue(
                name,
                "no column holds a figure the indicator dictionary knows",
                suggestion="tag figures like #affected+dead or give #indicator+code "
                "and #indicator+value columns",
            )
        )
        return None
    if "period" not in layout.dims:
        hint = "add a #date column (2023-05, 2023, 2023-05-14 …)"
        issues.append(Issue(name, "no #date column: figures need a period", suggestion=hint))
        return None
    return layout


def _dimension(tag: HxlTag) -> str | None:
    a, h = tag.attributes, tag.hashtag
    table = [
        (h == "indicator" and bool(a & {"code", "name"}), "indicator"),
        (h == "indicator" and "unit" in a, "unit"),
        (h == "indicator" and bool(a & {"value", "num"}), "value"),
        (h == "date", "period"),
        (h in _ADMIN_AREAS and "origin" not in a and "code" in a, f"{h}_code"),
        (h in _ADMIN_AREAS and "origin" not in a, h),
        (h in ("adm", "meta") and "level" in a, "admin_level"),
        (h == "meta" and "correction" in a, "correction"),
        (h == "meta" and "route" in a and "method" in a, "route_method"),
        (h == "meta" and "route" in a and "distance" in a, "route_distance"),
        (h == "country" and "nationality" not in a, "country"),
        (h == "region" and "route" in a and "code" in a, "route_id"),
        (h == "region" and "route" in a, "route_name"),
        (h == "loc", "place"),
        ("nationality" in a, "nationality"),
        (h == "meta" and "sex" in a, "sex"),
        (h == "meta" and "age" in a, "age_group"),
        (h == "meta" and "border" in a, "border_type"),
        (h == "meta" and "source" in a and "row" not in a, "source"),
    ]
    return next((role for matched, role in table if matched), None)


def read_hxl(path: Path, *, source: str | None = None, **_options: Any) -> ImportResult:
    name = path.name
    result = ImportResult(
        DatasetInfo(
            source or f"hxl:{path.stem}",
            source or "HXL dataset",
            f"HXL-tagged CSV {name}",
            None,
            "hxl",
        )
    )
    if path.stat().st_size == 0:  # say so plainly rather than "no hashtag row"
        result.issues.append(Issue(name, "the file is empty", suggestion="export it again"))
        return result
    result.flat = _flat(path, name, result)
    result.columns = _flat(path, name, result, columnar=True)
    result.observations = map(unflatten, _flat(path, name, result))
    return result


def _flat(path: Path, name: str, result: ImportResult, *, columnar: bool = False) -> Iterator[Any]:
    """The figures row by row (``FlatObservation``), or with ``columnar`` in chunks of
    ``FlatColumns`` wherever the columns settle the rows (``hxl_columns``)."""
    encoding = detect_encoding(path)
    rows: Iterator[tuple[int, list[str]]] = read_rows(path, result.issues, name, encoding)
    layout = None
    for number, cells in rows:
        tags = _hxl_row(cells)
        if tags is not None:
            layout = _layout(tags, name, result.issues)
            if layout is None:
                return
            header, width = number, len(cells)
            break
        if number >= HEADER_SEARCH:
            break
    if layout is None:
        if not any(i.row is not None for i in result.issues):
            message = (
                f"no HXL hashtag row (#country, #affected+dead …) in the first {HEADER_SEARCH} rows"
            )
            hint = "add a row of HXL hashtags above the data"
            result.issues.append(Issue(name, message, row=1, suggestion=hint))
        return
    plan = RowPlan(layout, name)
    # Levelled files (DTM) and Itinera's own exports (each figure's route method read back)
    # stay row by row: the column path settles neither.
    settled_by_columns = not plan.levelled and plan.route_method < 0
    if columnar and encoding == UTF8 and settled_by_columns and plain_csv(path):
        from itinera.importers.hxl_columns import read_columns

        consumed = yield from read_columns(path, plan, result, header, width)
        if consumed < 0:
            return
        rows = islice(rows, consumed, None)  # what pyarrow left, read as the csv module does
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        result.rows_read += 1
        records, problems = plan.parse(cells, number)
        if problems:
            result.issues.extend(problems)
            result.rows_rejected += 1
            continue
        yield from records


def plain_csv(path: Path) -> bool:
    """``hxl_columns.plain_csv``, imported on first use: pyarrow and NumPy only then."""
    from itinera.importers import hxl_columns

    return hxl_columns.plain_csv(path)


SPEC = ReaderSpec("hxl", read_hxl, "any HXL-tagged CSV (hashtag row first, second or only)")
