"""The column-by-column HXL path (issue 13) stores what the row-by-row path stores: the same
rows in the same order, the same issues, counts, tally and unmapped routes, including files
with rejected rows, tagged wide figures, corrections, long-form indicators, and CSV that only
the ``csv`` module reads (the rest of the file then goes row by row)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from itinera.domain.access import SYSTEM
from itinera.services import movements
from itinera.services.movements import column_rows as column_module
from itinera.storage.database import Database
from itinera.storage.movements.tables import observations

ROUTES = ("Central Mediterranean Route", "Nowhere Route", "Western Balkan Route")
BAD = {
    7: "2020-13,Central Mediterranean Route,ITA,SYR,female,5",  # period
    11: "2020-02,Central Mediterranean Route,XXQ,SYR,female,5",  # country
    13: '2020-02,Central Mediterranean Route,ITA,SYR,female,"1,234"',  # parsed by the plan
    17: "2020-02,Nowhere Route,Italy,SYR,female,",  # blank figure: no figure, no issue
    19: ",,,,,",  # blank row: skipped
    23: "2020-02,Central Mediterranean Route,ITA,SYR,x,5",  # sex
    29: f"2020-02,Central Mediterranean Route,ITA,SYR,male,{'9' * 400}",  # not finite
    31: "2020-02,Central Mediterranean Route,ITA,SYR,male,-4",  # a negative figure
}


def long_file(folder: Path, rows: int = 120, tail: str = "") -> Path:
    lines = ["Month,Route,Country,Nationality,Sex,Arrivals"]
    lines.append(
        "#date,#region+route,#country+code,#affected+nationality+code,#meta+sex,#affected+arrivals"
    )
    for i in range(rows):
        sex = ("female", "male", "")[i % 3]
        lines.append(BAD.get(i, f"2020-{1 + i % 12:02d},{ROUTES[i % 3]},ITA,SYR,{sex},{i}"))
    path = folder / "long.csv"
    path.write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")
    return path


def wide_file(folder: Path) -> Path:
    lines = [
        "#date,#country+code,#meta+correction,#affected+arrivals+f,#affected+arrivals+m,"
        "#affected+dead"
    ]
    for i in range(90):
        correction = "true" if i % 10 == 0 else ""
        minus = "-" if correction else ""
        lines.append(f"2021-{1 + i % 12:02d},GRC,{correction},{minus}{i},{i % 5 or ''},{i % 7}")
    path = folder / "wide.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def indicator_file(folder: Path) -> Path:
    lines = ["#date,#country+code,#indicator+code,#indicator+value"]
    for i in range(60):
        code = "no-such-indicator" if i % 17 == 0 else ("arrivals", "dead")[i % 2]
        lines.append(f"2022-{1 + i % 12:02d},ESP,{code},{i}")
    path = folder / "indicators.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stored(db: Database, batch: int | None) -> list[tuple[Any, ...]]:
    columns = [c for c in observations.c if c.name not in ("id", "batch_id")]
    query = select(*columns).where(observations.c.batch_id == batch)
    with db.transaction() as session:
        return [tuple(r) for r in session.execute(query.order_by(observations.c.id))]


def both_ways(db: Database, path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Import ``path`` column by column, then (batch removed) row by row; both answers."""
    chunks: list[int] = []
    original = column_module.column_rows

    def counting(maker: Any, columns: Any) -> Any:
        chunks.append(len(columns))
        return original(maker, columns)

    monkeypatch.setattr("itinera.services.movements.importing.column_rows", counting)
    monkeypatch.setattr("itinera.importers.hxl_columns.BLOCK", 400)  # several chunks
    answers = []
    for columnar in (True, False):
        if not columnar:
            monkeypatch.setattr("itinera.importers.hxl.plain_csv", lambda _path: False)
        report = movements.import_file(db, SYSTEM, "hxl", path, source="columns")
        found = report.as_dict()
        answers.append(
            (stored(db, report.batch_id), {k: v for k, v in found.items() if k != "batch_id"})
        )
        if report.batch_id is not None:
            movements.remove_batch(db, SYSTEM, report.batch_id)
        if columnar:
            assert len(chunks) > 1, "the columnar path was not taken"
    return answers


@pytest.mark.parametrize("make", [long_file, wide_file, indicator_file])
def test_columns_and_rows_store_the_same(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Any
) -> None:
    columns, rows = both_ways(db, make(tmp_path), monkeypatch)
    assert columns[0] and columns[0] == rows[0]
    assert columns[1] == rows[1]


def test_the_bad_rows_are_named_and_the_rest_stored(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (figures, report), _ = both_ways(db, long_file(tmp_path), monkeypatch)
    rejected = sorted({i["row"] for i in report["issues"] if i["severity"] == "error"})
    assert rejected == [10, 14, 26, 32, 34]  # rows 7, 11, 23, 29, 31 after the two headers
    assert report["rows_read"] == 119 and len(figures) == 119 - 5 - 1
    assert report["unmapped_routes"] == {"Nowhere Route": 36, "Western Balkan Route": 36}
    assert 1234.0 in [f[2] for f in figures]


@pytest.mark.parametrize(
    "tail",
    [
        '2020-03,"Central Mediterranean\nRoute",ITA,SYR,male,8\n2020-04,Nowhere Route,ITA,,,9\n',
        "2020-05,Nowhere Route,ITA\n2020-06,Nowhere Route,ITA,SYR,male,3\n",
    ],
    ids=["quoted line break", "ragged row"],
)
def test_csv_only_the_csv_module_reads_goes_row_by_row_from_there(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tail: str
) -> None:
    path = long_file(tmp_path, tail=tail)
    if "\n" in tail.split(",")[1]:  # as if the scan had missed it: pyarrow stops there
        monkeypatch.setattr("itinera.importers.hxl.plain_csv", lambda _p: True)
    columns, rows = both_ways(db, path, monkeypatch)
    assert columns == rows
    assert columns[1]["rows_read"] == 121
