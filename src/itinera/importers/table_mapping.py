"""A saved column mapping for the ``table`` reader: YAML checked against a JSON schema.

The mapping says which column of a publisher's CSV/XLSX holds each part of a figure
(``columns``), what is the same on every row (``constants``), how a publisher's codes
translate (``values``: ``"F" → female``), which columns are figures in a wide table
(``figures``, or ``period_columns`` for one column per month), which rows to keep
(``where``) and, for a two-row header, the row of group labels above the column row
(``group_row``: the columns are then named ``"Group / Column"``), and which cells may
hold a list (``split``: ``{nationality: ","}``), and which figure columns carry the
publisher's negative corrections (``corrections``). A malformed mapping
raises ``ValidationError`` on the field ``mapping`` with a message naming the file, the
entry and the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from itinera.domain.errors import ValidationError
from itinera.domain.observation import AgeGroup, Sex, parse_period
from itinera.importers.codes import country_iso3
from itinera.reference.indicators import packaged_indicators

__all__ = ["FigureColumn", "TableMapping", "fold", "load_mapping"]

SCHEMA = "table-mapping.schema.json"
CHOICES: dict[str, tuple[str, ...]] = {
    "sex": tuple(s.value for s in Sex),
    "age_group": tuple(a.value for a in AgeGroup),
    "border_type": ("land", "sea", "air"),
}


def fold(text: str) -> str:
    """The key a cell and a value-map entry are compared on: trimmed, spaces collapsed, no case."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class FigureColumn:
    """One column holding figures, with what it fixes (indicator, period, sex …)."""

    column: str
    fixed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TableMapping:
    file: str  # the mapping file's name, as errors cite it
    source: str
    publisher: str
    dataset: str
    vintage: str | None = None
    sheet: str | None = None
    header_row: int = 1
    first_data_row: int = 2
    group_row: int | None = None  # a row of group labels above the header (two-row headers)
    split: dict[str, str] = field(default_factory=dict)  # role -> separator of a list cell
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str | None]] = field(default_factory=dict)
    figures: tuple[FigureColumn, ...] = ()
    period_columns: bool = False
    where: dict[str, frozenset[str]] = field(default_factory=dict)
    # Figure columns whose negative cells are the publisher's corrections of earlier records
    # (MMP's survivors later counted dead): kept as published, the row's figures marked.
    corrections: frozenset[str] = frozenset()

    def used_columns(self) -> list[str]:
        """Every column the mapping names (they must all be in the file's header)."""
        names = [*self.columns.values(), *(f.column for f in self.figures), *self.where]
        return list(dict.fromkeys(names))


@cache
def _schema() -> dict[str, Any]:
    text = (resources.files("itinera.reference") / "schemas" / SCHEMA).read_text("utf-8")
    return dict(json.loads(text))


def _fail(file: str, entry: str, name: str, message: str) -> ValidationError:
    where = f"entry {entry!r}" + (f", field {name!r}" if name else "")
    return ValidationError.single("mapping", f"{file}: {where}: {message}")


def load_mapping(path: Path) -> TableMapping:
    """Read and check a mapping file; raises ``ValidationError`` naming file, entry, field."""
    file = path.name
    try:
        document = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(file, "", "", f"cannot read the file ({error})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark else "?"
        raise _fail(
            file, line, "", f"not valid YAML ({getattr(error, 'problem', error)})"
        ) from None
    if not isinstance(document, dict):
        raise _fail(file, "(top)", "", "the file must hold a mapping (key: value lines)")
    validator = jsonschema.Draft202012Validator(_schema())
    problem = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if problem is not None:
        path_parts = [str(p) for p in problem.absolute_path]
        entry = path_parts[0] if path_parts else "(top)"
        name = ".".join(path_parts[1:])
        raise _fail(file, entry, name, problem.message)
    mapping = _build(file, document)
    _check(mapping)
    return mapping


def _text(value: Any) -> str:
    return str(value).strip()


def _build(file: str, doc: dict[str, Any]) -> TableMapping:
    header_row = int(doc.get("header_row", 1))
    first = int(doc.get("first_data_row", header_row + 1))
    if first <= header_row:
        raise _fail(file, "first_data_row", "", f"must come after header_row ({header_row})")
    group_row = doc.get("group_row")
    if group_row is not None and int(group_row) >= header_row:
        raise _fail(file, "group_row", "", f"must come before header_row ({header_row})")
    values = {
        role: {fold(str(k)): (None if v is None else _text(v)) for k, v in table.items()}
        for role, table in doc.get("values", {}).items()
    }
    figures = tuple(
        FigureColumn(item["column"], {k: _text(v) for k, v in item.items() if k != "column"})
        for item in doc.get("figures", ())
    )
    return TableMapping(
        file=file,
        source=doc["source"],
        publisher=doc["publisher"],
        dataset=doc["dataset"],
        vintage=None if doc.get("vintage") is None else _text(doc["vintage"]),
        sheet=doc.get("sheet"),
        header_row=header_row,
        first_data_row=first,
        group_row=None if group_row is None else int(group_row),
        split={str(k): str(v) for k, v in doc.get("split", {}).items()},
        columns=dict(doc.get("columns", {})),
        constants={k: _text(v) for k, v in doc.get("constants", {}).items()},
        values=values,
        figures=figures,
        period_columns=bool(doc.get("period_columns", False)),
        where={k: frozenset(fold(str(v)) for v in vs) for k, vs in doc.get("where", {}).items()},
        corrections=frozenset(fold(str(c)) for c in doc.get("corrections", ())),
    )


def _check(m: TableMapping) -> None:
    """Rules a schema cannot say: where figures and their indicator and period come from,
    and that every fixed code is one Itinera knows."""
    value_column = m.columns.get("value")
    if value_column and m.figures:
        raise _fail(m.file, "figures", "", "give either columns.value or figures, not both")
    if not (value_column or m.figures or m.period_columns):
        raise _fail(
            m.file,
            "columns",
            "value",
            "no column holds a figure: map columns.value, "
            "list figures, or set period_columns: true",
        )
    figure_columns = {fold(f.column) for f in m.figures} | {fold(value_column or "")}
    for column in sorted(m.corrections - figure_columns):
        message = "only a figure column (figures, or columns.value) can hold corrections"
        raise _fail(m.file, "corrections", column, message)
    for role in ("indicator", "period"):
        fixed_everywhere = m.figures and all(role in f.fixed for f in m.figures)
        from_headers = role == "period" and m.period_columns
        if (
            role not in m.columns
            and role not in m.constants
            and not (fixed_everywhere or from_headers)
        ):
            raise _fail(
                m.file,
                "columns",
                role,
                f"no {role}: map a column, give a constant or set it on every figure",
            )
    for entry, fixed in [("constants", m.constants)] + [
        (f"figures[{i}]", f.fixed) for i, f in enumerate(m.figures)
    ]:
        for role, text in fixed.items():
            _check_code(m.file, entry, role, text)
    for role, table in m.values.items():
        for raw, target in table.items():
            if target is not None:
                _check_code(m.file, "values", f"{role}.{raw}", target, role)


def _check_code(file: str, entry: str, name: str, text: str, role: str | None = None) -> None:
    role = role or name
    dictionary = packaged_indicators()
    if role == "indicator" and text not in dictionary:
        known = ", ".join(sorted(dictionary.indicators))
        raise _fail(file, entry, name, f"{text!r} is not an indicator code (known: {known})")
    if role == "period":
        try:
            parse_period(text)
        except ValueError as error:
            raise _fail(file, entry, name, str(error)) from None
    if role in ("country", "nationality") and country_iso3(text) is None:
        raise _fail(file, entry, name, f"{text!r} is not a country (ISO 3166 code or name)")
    if role in CHOICES and text not in CHOICES[role]:
        raise _fail(file, entry, name, f"{text!r} is not one of {', '.join(CHOICES[role])}")
