"""The Splink linkage engine on DuckDB: an Arabic-script record meets its Latin spelling with
an explanation; different people stay apart; the run leaves no temporary directory behind."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from itinera.domain.tracing_places import PlacePoint
from itinera.engines.linkage import FakeLinkage, LinkageRecord, SplinkLinkage, keyed_record
from itinera.engines.names import VariantDictionary
from itinera.reference.name_variants import packaged_name_variants

DICTIONARY = VariantDictionary(packaged_name_variants())


def record(
    uid: str, given: str, family: str, year: int | None, sex: str, nat: str
) -> LinkageRecord:
    return keyed_record(uid, (given, family), [], (year, None), sex, nat, DICTIONARY)


RECORDS = [
    record("p:1", "محمد", "عبد الرحمن", 1994, "male", "SDN"),
    record("c:A", "Mhamed", "Abderrahmane", 1994, "male", "SDN"),
    record("c:B", "Yonas", "Tesfay", 1990, "male", "ERI"),
    record("c:C", "Fatima", "Ali", 1985, "female", "SOM"),
    record("c:D", "Ahmed", "Osman", 1994, "male", "SDN"),
]


def test_the_arabic_record_meets_its_latin_spelling_and_is_explained(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = SplinkLinkage().link(RECORDS, 0.5)
    pairs = {frozenset((p.left, p.right)): p for p in result.pairs}
    assert set(pairs) == {frozenset({"p:1", "c:A"})}
    pair = pairs[frozenset({"p:1", "c:A"})]
    assert 0.5 <= pair.probability <= 1
    levels = {name: level for name, level, _ in pair.explanation}
    assert levels == {
        "given": "same name (variant dictionary)",
        "family": "same name (variant dictionary)",
        "birth": "same year of birth",
        "sex": "same sex",
        "nationality": "same nationality",
        "place": "not given",  # no last-seen place: the comparison weighs nothing
        "seen": "not given",
        "other names": "not given",
        "father": "not given",
        "mother": "not given",
    }
    missing = {name for name, level, _ in pair.explanation if level == "not given"}
    assert all(weight > 0 for name, _, weight in pair.explanation if name not in missing)
    assert result.model_version == "prior-2"
    assert "comparisons" in result.parameters
    assert "Mhamed" not in repr(result.parameters) and "mhmd" not in repr(result.parameters)
    assert list(tmp_path.iterdir()) == []  # the run's directory is gone


def test_swapped_names_still_link() -> None:
    swapped = record("c:S", "Abderrahmane", "Mohamed", 1994, "male", "SDN")
    result = SplinkLinkage().link([RECORDS[0], swapped, RECORDS[2]], 0.5)
    assert [(p.left, p.right) for p in result.pairs] in ([("c:S", "p:1")], [("p:1", "c:S")])
    levels = {name: level for name, level, _ in result.pairs[0].explanation}
    assert levels["given"] == "given and family names swapped"


def test_fewer_than_two_records_link_nothing() -> None:
    assert SplinkLinkage().link(RECORDS[:1], 0.5).pairs == []


def test_the_fake_pairs_equal_keys() -> None:
    pairs = FakeLinkage().link(RECORDS, 0.5).pairs
    assert [(p.left, p.right) for p in pairs] == [("p:1", "c:A")]


# py4j leaves its gateway socket to the garbage collector after Spark stops
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_spark_finds_the_same_pair_with_the_same_explanation_as_duckdb() -> None:
    """The same model on local Spark (skipped where pyspark or Java is missing)."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java")
    on_spark = SplinkLinkage(backend="spark").link(RECORDS, 0.5)
    on_duckdb = SplinkLinkage().link(RECORDS, 0.5)
    assert {frozenset((p.left, p.right)) for p in on_spark.pairs} == {
        frozenset((p.left, p.right)) for p in on_duckdb.pairs
    }
    assert {frozenset((p.left, p.right)) for p in on_spark.pairs} == {frozenset({"p:1", "c:A"})}
    assert on_spark.pairs[0].explanation == on_duckdb.pairs[0].explanation
    assert on_spark.pairs[0].probability == pytest.approx(on_duckdb.pairs[0].probability)


def test_the_last_seen_place_is_compared_through_the_catalogue() -> None:
    from itinera.domain.place import Place, PlaceKind
    from itinera.domain.tracing_places import PlaceIndex

    index = PlaceIndex(
        [
            Place(
                "agadez", PlaceKind.LOCALITY, {"en": "Agadez", "fr": "Agadès"}, "NER", 16.97, 7.99
            ),
            Place("arlit", PlaceKind.LOCALITY, {"en": "Arlit"}, "NER", 18.74, 7.39),
            Place("tchirozerine", PlaceKind.LOCALITY, {"en": "Tchirozérine"}, "NER", 17.26, 7.8),
            Place("sebha", PlaceKind.LOCALITY, {"en": "Sabha"}, "LBY", 27.04, 14.43),
            Place("tamanrasset", PlaceKind.LOCALITY, {"en": "Tamanrasset"}, "DZA", 22.79, 5.52),
        ],
        [("tamanrasset", "agadez")],
    )
    assert index.resolve("AGADÈS") == index.resolve("agadez") is not None
    assert index.resolve("Paris") is None

    def at(uid: str, place: str) -> LinkageRecord:
        return keyed_record(
            uid,
            ("Mhamed", "Abderrahmane"),
            [],
            (1994, None),
            "male",
            "SDN",
            DICTIONARY,
            index.resolve(place),
        )

    levels = {}
    for other in ("Agadès", "Tchirozerine", "Arlit", "Sabha", "Tamanrasset"):
        pair = SplinkLinkage().link([at("p:1", "Agadez"), at("c:1", other)], 0.01).pairs[0]
        levels[other] = {name: (level, w) for name, level, w in pair.explanation}["place"]
    assert levels["Agadès"][0] == "same place"
    assert levels["Tchirozerine"][0] == "places within 100 km"  # 38 km
    assert levels["Tamanrasset"][0] == "same route leg"  # 700 km, the next stop
    assert levels["Arlit"][0] == "places within 500 km"  # 200 km apart
    assert levels["Sabha"][0] == "different" and levels["Sabha"][1] < 0 < levels["Agadès"][1]


def test_parents_names_and_the_last_seen_date_weigh_on_their_own() -> None:
    def person(uid: str, father: str, mother: str | None, seen: str) -> LinkageRecord:
        return keyed_record(
            uid,
            ("Yonas", "Tesfay"),
            [],
            (1990, None),
            "male",
            "ERI",
            DICTIONARY,
            PlacePoint("agadez", "NER", 16.97, 7.99),
            parents=(father, mother),
            seen=seen,
        )

    sought = person("p:1", "Mohammed", "Fatima", "2024-03-01")
    levels = {}
    for other in (
        person("c:1", "محمد", None, "2024-03-20"),
        person("c:2", "Kidane", "Fatima", "2024-05-15"),
        person("c:3", "Mohamed", "Fatima", "2021-01-01"),
    ):
        pair = SplinkLinkage().link([sought, other], 0.0001).pairs[0]
        levels[other.unique_id] = {name: level for name, level, _ in pair.explanation}
    assert levels["c:1"]["father"] == "same name (variant dictionary)"
    assert levels["c:1"]["mother"] == "not given"
    assert levels["c:1"]["seen"] == "seen within a month"
    assert levels["c:2"]["father"] == "different"
    assert levels["c:2"]["mother"] == "same spelling"
    assert levels["c:2"]["seen"] == "seen within three months"
    assert levels["c:3"]["seen"] == "seen more than a year apart"


def test_a_fathers_name_that_is_the_family_name_is_weighed_once() -> None:
    chain = keyed_record(
        "p:1",
        ("Yonas", "Tesfay"),
        ["Gebre"],
        (1990, None),
        "male",
        "ERI",
        DICTIONARY,
        parents=("Tesfay", None),
    )
    assert chain.family_key and chain.father_key is None


def test_a_stored_model_scores_without_training_and_refuses_other_comparisons() -> None:
    from itinera.engines.linkage import TrainedModel, _parameters_only
    from itinera.engines.linkage_model import model_settings

    parameters = _parameters_only(model_settings("duckdb", 0.2))
    for comparison in parameters["comparisons"]:
        if comparison["name"] == "sex":
            comparison["levels"][1]["m"] = 0.9  # "same sex" weighs log2(0.9 / 0.5)
    stored = TrainedModel("em-0123", "0123", parameters)
    result = SplinkLinkage(model=stored).link(RECORDS, 0.5)
    assert result.model_version == "em-0123"
    weights = {name: weight for name, _, weight in result.pairs[0].explanation}
    assert weights["sex"] == pytest.approx(0.848, abs=1e-3)

    parameters["comparisons"][0]["levels"].pop()
    with pytest.raises(ValueError, match="train it again"):
        SplinkLinkage(model=stored).link(RECORDS, 0.5)
