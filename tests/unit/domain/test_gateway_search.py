"""One search normaliser for both databases: Latin diacritics and Arabic spelling variants."""

from __future__ import annotations

import pytest

from itinera.domain.gateway_search import normalise_for_search, search_terms


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("اللجوء", "اللُّجُوء"),  # short vowels and shadda
        ("مساعدة", "مـــساعدة"),  # tatweel
        ("اقامة", "إقامة"),  # alef with hamza below
        ("الامم", "الأمم"),  # alef with hamza above
        ("القران", "القرآن"),  # alef madda
        ("مستشفي", "مستشفى"),  # alef maqsura
        ("مسئول", "مسؤول"),  # hamza seats
        ("refugie", "Réfugié"),
        ("CORDOBA", "Córdoba"),
        ("strasse", "Straße"),
    ],
)
def test_variants_meet_in_one_form(typed: str, stored: str) -> None:
    assert normalise_for_search(typed) == normalise_for_search(stored)


def test_punctuation_splits_and_terms_are_bounded() -> None:
    assert normalise_for_search("Asile, (droits) — «OFPRA»!") == "asile droits ofpra"
    assert search_terms(" ".join(["mot"] * 40)) == ["mot"] * 12
    assert search_terms("  ...  ") == []
