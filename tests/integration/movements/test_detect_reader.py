"""The upload's "detect from the file" (issue 12): the reader is chosen from the file's format
and first rows; a file nothing recognises is refused with a sentence naming the field, in the
page's language; a file given to the wrong reader is refused with the reader it looks made for
as the suggestion, and leaves no batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from itinera.domain.access import SYSTEM
from itinera.domain.errors import ValidationError
from itinera.services import movements
from itinera.services.movements.importing import DETECT
from itinera.storage.database import Database
from itinera.web.form_messages import plain_problems

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
MMP = DATA / "mmp-global-2026-05-partial" / "MissingMigrants-Global-2026-05-06--19_42_11.csv"
FRONTEX = DATA / "frontex-ibc-2025-06" / "Monthly_detections_of_IBC_as_of_2025-06-03.xlsx"
DAILY = DATA / "unhcr-med-arrivals-2014-2019" / "daily_arrivals_italy.derived.csv"

pytestmark = pytest.mark.skipif(not MMP.exists(), reason=f"shared data not found under {DATA}")


def test_detect_chooses_the_reader_the_file_is_made_for(db: Database) -> None:
    report = movements.import_file(db, SYSTEM, DETECT, MMP)
    assert (report.reader, report.status) == ("missing-migrants", "imported")


@pytest.mark.parametrize(("language", "label"), [("fr", "« Lecteur »"), ("ar", "«القارئ»")])
def test_an_unrecognised_file_asks_for_its_reader_in_the_pages_language(
    db: Database, language: str, label: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        movements.import_file(db, SYSTEM, DETECT, DAILY)
    [problem] = plain_problems(refused.value, language, {"reader": DETECT})
    assert problem["field"] == "reader" and label in problem["message"]


def test_the_wrong_reader_is_refused_with_the_reader_that_reads_the_file(db: Database) -> None:
    report = movements.import_file(db, SYSTEM, "hxl", FRONTEX)
    assert report.status == "rejected" and report.batch_id is None
    assert "frontex" in (report.issues[0].suggestion or "")
