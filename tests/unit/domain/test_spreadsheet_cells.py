"""Formula neutralisation of exported cells (issue 10, item 9)."""

from __future__ import annotations

import csv
import io

import pytest

from itinera.domain.spreadsheet_cells import SafeCsvWriter, neutralise_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.5", "-12.5"),  # a number written as text stays a number
        ("+3", "+3"),
        ("-1e5", "-1e5"),
        ("Agadez", "Agadez"),
        ("a=b", "a=b"),
        ("", ""),
        (-3, -3),
        (2.5, 2.5),
        (None, None),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_neutralised(value: object, expected: object) -> None:
    assert neutralise_cell(value) == expected


def test_the_writer_neutralises_every_cell_and_keeps_numbers() -> None:
    out = io.StringIO()
    SafeCsvWriter(out, lineterminator="\n").writerows([["=1+1", 4, "-4", "@x"]])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=1+1", "4", "-4", "'@x"]
