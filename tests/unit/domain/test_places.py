"""Places found by any of their names or usual spellings, accents and Arabic marks aside, and
suggestions for a type-ahead or a "did you mean"."""

from __future__ import annotations

from itinera.domain.places import build_gazetteer, find_place, suggest_places

CATALOGUE = [
    ("agadez", {"en": "Agadez", "fr": "Agadez", "ar": "أغاديز"}, "NER", 16.97, 7.99),
    ("tangier", {"en": "Tangier", "fr": "Tanger", "ar": "طنجة"}, "MAR", 35.76, -5.83),
]
LOCALITIES = [
    ("Tripoli", "LBY", 32.88, 13.19),
    ("Agadez", "NER", 16.98, 7.98),  # the same place as the catalogue's: not listed twice
    ("Tripoli", "LBN", 34.43, 35.84),  # another Tripoli, another country
]
GROUPS = [
    ({"en": "Tripoli", "fr": "Tripoli", "ar": "طرابلس"}, ["Tarabulus"]),
    ({"en": "Agadez", "fr": "Agadez", "ar": "أغاديز"}, ["Agadès", "Agades"]),
]
PLACES = build_gazetteer(CATALOGUE, LOCALITIES, GROUPS)


def test_every_spelling_finds_the_place() -> None:
    for typed in ("agadez", "AGADÈS", "Agades", "أغاديز", "اغاديز", "agadez "):
        found = find_place(PLACES, typed)
        assert found is not None and found.id == "agadez", typed
    for typed in ("طرابلس", "طَرَابُلُس", "tarabulus", "Tripoli"):
        found = find_place(PLACES, typed)
        assert found is not None and found.country == "LBY", typed
    assert find_place(PLACES, "Tanger") is not None and find_place(PLACES, "tangier") is not None
    assert find_place(PLACES, "Nowhere") is None and find_place(PLACES, "  ") is None


def test_names_in_the_persons_language() -> None:
    tripoli = find_place(PLACES, "tarabulus")
    assert tripoli is not None and tripoli.name_in("ar") == "طرابلس"
    assert tripoli.name_in("ti") == "Tripoli"  # no Tigrinya name: the English one
    assert [p.id for p in PLACES].count("agadez") == 1
    assert sum(1 for p in PLACES if p.name_in("en") == "Tripoli") == 2


def test_suggestions_prefix_then_substring_then_close() -> None:
    assert [p.id for p in suggest_places(PLACES, "tan")][:1] == ["tangier"]
    assert {p.country for p in suggest_places(PLACES, "طراب")} == {"LBY", "LBN"}
    assert [p.id for p in suggest_places(PLACES, "agadexz")] == ["agadez"]
    assert suggest_places(PLACES, "") == [] and suggest_places(PLACES, "qqqqqq") == []
