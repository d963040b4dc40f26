from __future__ import annotations

from pathlib import Path

import pytest

COUNTRIES = ("ITA", "LBY", "TUN", "GRC", "ESP", "MAR", "FRA", "MLT")


def write_large_hxl(path: Path, rows: int) -> Path:
    """An HXL file of ``rows`` distinct monthly figures (dates × countries × a numbered route
    label), large enough that importing it takes seconds."""
    lines = [
        "Date,Route,Country,Dead,Missing",
        "#date,#region+route,#country+code,#affected+dead,#affected+missing",
    ]
    for i in range(rows):
        year, month = 1900 + (i // 12) % 120, 1 + i % 12
        country = COUNTRIES[(i // 1440) % len(COUNTRIES)]
        lines.append(f"{year}-{month:02d},Route {i // 11520},{country},{i % 7},{i % 3}")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@pytest.fixture(scope="session")
def large_hxl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_large_hxl(tmp_path_factory.mktemp("large") / "large.csv", 120_000)
