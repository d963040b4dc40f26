"""A 3W list without coordinates (issue 12): each row is placed by its admin area, else by its
country, from the shipped gazetteer, marked approximate with a warning naming the row; a row
whose country is unknown is refused with the reason; a file without coordinate columns but with
a country column is read, not refused."""

from __future__ import annotations

from pathlib import Path

from itinera.domain.issues import Severity
from itinera.importers.services_hxl import NO_PLACE, read_hxl_services
from itinera.reference.gazetteer import locate

HEADER = "Organisation,Sector,Country,Region,Lat,Lon\n"
TAGS = "#org,#sector,#country+code,#adm1+name,#geo+lat,#geo+lon\n"


def test_rows_without_coordinates_are_placed_by_admin_area_or_country(tmp_path: Path) -> None:
    path = tmp_path / "3w.csv"
    rows = "ACF,Health,LBN,Bekaa,,\nMSF,Health,QQQ,Nowhere,,\nIRC,Health,NE,,13.5,2.1\n"
    path.write_text(HEADER + TAGS + rows, encoding="utf-8")
    outcome = read_hxl_services(path)
    placed = {p.name: p for p in outcome.points}
    bekaa, lebanon = placed["ACF – Bekaa"], locate("LBN", None)
    assert lebanon is not None and (bekaa.lat, bekaa.lon) == (lebanon.lat, lebanon.lon)
    assert bekaa.extra["location_precision"].startswith("approximate")
    assert placed["IRC – NE"].extra == {} and placed["IRC – NE"].lat == 13.5
    warnings = [i for i in outcome.issues if i.severity is Severity.WARNING]
    assert [(i.row, "approximate" in i.message) for i in warnings] == [(3, True)]
    refused = [i for i in outcome.issues if i.severity is Severity.ERROR]
    assert [(i.row, i.message) for i in refused] == [(4, NO_PLACE)]
    assert outcome.rejected_rows == {4}


def test_a_list_with_no_coordinate_columns_but_countries_is_read(tmp_path: Path) -> None:
    path = tmp_path / "3w.csv"
    path.write_text(
        "Organisation,Sector,Country\n#org,#sector,#country+code\nACF,Health,NER\n",
        encoding="utf-8",
    )
    outcome = read_hxl_services(path)
    assert [p.country for p in outcome.points] == ["NER"]
    assert not [i for i in outcome.issues if i.severity is Severity.ERROR]


def test_the_gazetteer_knows_admin_areas_by_name_and_p_code() -> None:
    by_name, by_code = locate("NER", "Agadez"), locate("NER", "ne001")
    assert by_name is not None and by_name.pcode.startswith("NE")
    assert locate("NER", "no such area") == locate("NER", None)
    assert locate(None, "Agadez") is None and locate("QQQ", None) is None
    assert by_code == by_name
