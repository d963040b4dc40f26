"""The ``itinera`` reader: Itinera's own Parquet export of one batch, read back."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from itinera.domain.issues import Severity
from itinera.domain.observation import IncidentType, PeriodKind
from itinera.importers.itinera_export import DATASET_KEY, read_itinera_export

HARSH = "Harsh environmental conditions / lack of adequate shelter, food, water"


def _write(path: Path, rows: list[dict[str, object]], dataset: dict[str, object] | None) -> Path:
    names = list(dict.fromkeys(name for row in rows for name in row))
    table = pa.Table.from_pylist([{n: row.get(n) for n in names} for row in rows])
    if dataset is not None:
        table = table.replace_schema_metadata({DATASET_KEY: json.dumps(dataset).encode()})
    pq.write_table(table, path)
    return path


def test_both_record_kinds_come_back_with_the_file_provenance(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {
            "record": "observation",
            "indicator": "arrivals",
            "value": 12.0,
            "period": "2019-03",
            "country": "ITA",
            "border_type": "sea",
            "source_row": 4,
        },
        {
            "record": "incident",
            "record_id": "2015.MMP1",
            "incident_type": "split",
            "date": "2015-04-19",
            "dead": 3,
            "missing": None,
            "lat": 35.5,
            "lon": 12.25,
            "causes": f"Drowning,{HARSH}",
            "origins": "ERI,SOM",
            "related_ids": "2015.MMP2",
        },
    ]
    dataset = {"source": "s", "publisher": "P", "dataset": "d", "vintage": "2025-04-29"}
    result = read_itinera_export(_write(tmp_path / "b.parquet", rows, dataset))
    assert (result.dataset.source, result.dataset.publisher, result.dataset.vintage) == (
        "s",
        "P",
        "2025-04-29",
    )
    [figure] = list(result.observations)
    assert (figure.value, figure.period.kind, figure.country) == (12.0, PeriodKind.MONTH, "ITA")
    assert (figure.border_type, figure.source_row, figure.route_id) == ("sea", 4, None)
    [incident] = list(result.incidents)
    assert incident.incident_type is IncidentType.SPLIT and incident.date == date(2015, 4, 19)
    assert (incident.dead, incident.missing, incident.lat) == (3, None, 35.5)
    assert incident.causes == ("Drowning", HARSH)  # the comma inside a cause name stays
    assert incident.origins == ("ERI", "SOM") and incident.related_ids == ("2015.MMP2",)
    assert result.rows_read == 2 and result.issues == []


def test_a_file_that_is_not_an_itinera_export_is_refused_with_a_reason(tmp_path: Path) -> None:
    plain = _write(tmp_path / "plain.parquet", [{"a": 1}], None)
    text = tmp_path / "text.parquet"
    text.write_text("indicator,value\n", "utf-8")
    for path, reason in ((plain, "no itinera.dataset metadata"), (text, "not a Parquet file")):
        result = read_itinera_export(path)
        [issue] = result.issues
        assert issue.severity is Severity.ERROR and reason in issue.message
        assert list(result.observations) == [] and list(result.incidents) == []
