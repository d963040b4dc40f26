"""Names across scripts and transliteration habits meet on the same keys, and different names
do not (engines/names.py with the packaged variant dictionary)."""

from __future__ import annotations

import pytest

from itinera.engines.names import VariantDictionary, name_keys, skeleton, to_latin
from itinera.reference.name_variants import packaged_name_variants


@pytest.fixture(scope="module")
def dictionary() -> VariantDictionary:
    return VariantDictionary(packaged_name_variants())


SAME = [
    ("محمد", "Mohammed"),
    ("محمد", "Mhamed"),
    ("Muhammad", "Maxamed"),
    ("عبد الرحمن", "Abderrahmane"),
    ("Abd al-Rahman", "Abdulrahman"),
    ("Abdirahman", "Abdelrahman"),
    ("ዮናስ", "Yonas"),
    ("ተስፋይ", "Tesfaye"),
    ("فاطمة", "Fadumo"),
    ("Aïcha", "Aisha"),
    ("يوسف", "Youssef"),
    ("خالد", "Khalid"),
]
DIFFERENT = [("Mohammed", "Mahmoud"), ("Ahmed", "Hamid Ali"), ("Yonas", "Tesfay"), ("Omar", "Amr")]


@pytest.mark.parametrize(("one", "other"), SAME)
def test_spellings_of_one_name_share_the_canonical_key(
    dictionary: VariantDictionary, one: str, other: str
) -> None:
    assert name_keys(one, dictionary).canonical == name_keys(other, dictionary).canonical


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_names_keep_different_keys(
    dictionary: VariantDictionary, one: str, other: str
) -> None:
    assert name_keys(one, dictionary).canonical != name_keys(other, dictionary).canonical


def test_a_name_outside_the_dictionary_meets_its_arabic_spelling_by_its_skeleton(
    dictionary: VariantDictionary,
) -> None:
    latin, arabic = name_keys("Zarghona", dictionary), name_keys("زرغونه", dictionary)
    assert latin.canonical == arabic.canonical == "zrgn"
    assert skeleton("mohammed") == skeleton("mhamed") == "mhmd"


def test_latin_forms_keep_letters_and_spaces_only() -> None:
    assert to_latin("  Abd al-Raḥmān ") == "abd al rahman"
    assert to_latin("N'Diaye") == "ndiaye"
    assert to_latin("") == ""


def test_an_empty_name_has_no_key(dictionary: VariantDictionary) -> None:
    keys = name_keys(None, dictionary)
    assert keys.canonical is None and not keys.variants


def test_a_confirmed_spelling_can_be_learnt() -> None:
    small = VariantDictionary({"muhammad": ["Mohammed"]})
    assert small.key_of("Mhmmad") is None
    small.learn("muhammad", "Mhmmad")
    assert small.key_of("Mhmmad") == "muhammad"


@pytest.mark.parametrize(
    ("name", "canonical", "known"),
    [("Mohammed", "muhammad", True), ("محمد", "muhammad", True), ("Zarghona", "zrgn", False)],
)
def test_a_one_word_name_has_its_group_key_or_its_skeleton(
    dictionary: VariantDictionary, name: str, canonical: str, known: bool
) -> None:
    keys = name_keys(name, dictionary)
    assert (keys.canonical, keys.known) == (canonical, known)
    assert keys.variants == {canonical, dictionary.key_of(name) or canonical}
    assert keys.skeletons == {skeleton(to_latin(name).replace(" ", ""))}


def test_a_word_of_vowels_only_has_no_key(dictionary: VariantDictionary) -> None:
    keys = name_keys("Aaa", dictionary)
    assert keys.canonical is None and not keys.variants
