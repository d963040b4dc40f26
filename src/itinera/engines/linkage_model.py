"""The tracing linkage model as a Splink 5 settings dictionary, for DuckDB or Spark SQL.

Comparisons (each level's label is what a reviewer reads in the explanation):

- given name and family name: canonical key equal (term-frequency adjusted, so that common
  names weigh less); swapped with the other field; found among the other record's variant keys
  (name chains, parts in another order, other spellings); skeletons shared (Arabic script
  against Latin spellings); Jaro-Winkler on the Latin forms;
- birth: same date; same year; years within 2; different;
- father's and mother's names (when given; a father's name that is the family name, as in
  Habesha and Somali chains, is weighed once, as the family name): spelling, dictionary name,
  consonant key, similar spelling;
- sex and nationality: equal or not;
- last-seen place through the route catalogue: same place, same route leg, within 100 km,
  within 500 km, same country; and how far apart the two last-seen dates are.

The m and u probabilities below are the *prior* model (version ``prior-2``), used as they are
when there are too few records to estimate anything; with enough records the run estimates u
by random sampling and m by EM (:mod:`itinera.engines.linkage`), and the result is versioned.
Blocking: see :func:`blocking_rules`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["COMMON_NAME_RECORDS", "PRIOR_VERSION", "blocking_rules", "model_settings"]

PRIOR_VERSION = "prior-2"

_FUNCTIONS = {
    "duckdb": {
        "contains": "list_contains",
        "overlap": "list_has_any",
        "jw": "jaro_winkler_similarity",
        "days": "date_diff('day', {l}, {r})",
        "size": "len",
    },
    "spark": {
        "contains": "array_contains",
        "overlap": "arrays_overlap",
        "jw": "jaro_winkler",
        "days": "datediff({r}, {l})",
        "size": "size",
    },
}


def _level(sql: str, label: str, m: float, u: float, **extra: Any) -> dict[str, Any]:
    return {
        "sql_condition": sql,
        "label_for_charts": label,
        "m_probability": m,
        "u_probability": u,
        **extra,
    }


def _judged(sql: str, label: str, m: float, u: float) -> dict[str, Any]:
    """A level few matches reach in any training block: m is judgement, kept by EM (which
    would drive it to zero), u is still estimated."""
    return _level(sql, label, m, u, fix_m_probability=True)


def _null(column: str) -> dict[str, Any]:
    return {
        "sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL",
        "label_for_charts": "not given",
        "is_null_level": True,
    }


def _name(field: str, other: str, f: dict[str, str], tf: bool) -> dict[str, Any]:
    key, latin, skel = f"{field}_key", f"{field}_latin", f"{field}_skeletons"
    by_key = {"tf_adjustment_column": key, "tf_adjustment_weight": 1.0} if tf else {}
    by_spelling = {"tf_adjustment_column": latin, "tf_adjustment_weight": 1.0} if tf else {}
    among = (  # another part or spelling of the other record, not its other field's name
        f"({f['contains']}(name_keys_r, {key}_l) AND {key}_l <> {other}_key_r)"
        f" OR ({f['contains']}(name_keys_l, {key}_r) AND {key}_r <> {other}_key_l)"
    )
    return {
        "output_column_name": field,
        "comparison_description": f"{field} name",
        "comparison_levels": [
            _null(key),
            _level(f"{latin}_l = {latin}_r", "same spelling", 0.45, 0.002, **by_spelling),
            _level(
                f"{key}_l = {key}_r AND {field}_known_l AND {field}_known_r",
                "same name (variant dictionary)",
                0.3,
                0.004,
                **by_key,
            ),
            _level(
                f"{key}_l = {other}_key_r AND {other}_key_l = {key}_r",
                "given and family names swapped",
                0.08,
                0.0002,
                **by_key,
            ),
            _level(
                f"{key}_l = {key}_r AND {f['jw']}({latin}_l, {latin}_r) >= 0.8",
                "same consonants, similar spelling",
                0.05,
                0.002,
                **by_key,
            ),
            _level(
                f"{key}_l = {key}_r",
                "same consonants (other script or spelling)",
                0.05,
                0.004,
                **by_key,
            ),
            _judged(among, "among the other record's names", 0.03, 0.004),
            _judged(
                f"{f['overlap']}({skel}_l, {skel}_r)", "a part with the same consonants", 0.02, 0.01
            ),
            _judged(f"{f['jw']}({latin}_l, {latin}_r) >= 0.88", "similar spelling", 0.02, 0.02),
            _level("ELSE", "different", 0.02, 0.956),
        ],
    }


def _other_names(f: dict[str, str]) -> dict[str, Any]:
    """The names besides given and family (a chain's grandfather, other spellings)."""
    empty = f"{f['size']}(other_keys_l) = 0 OR {f['size']}(other_keys_r) = 0"
    return {
        "output_column_name": "other_names",
        "comparison_description": "other names",
        "comparison_levels": [
            {"sql_condition": empty, "label_for_charts": "not given", "is_null_level": True},
            _level(
                f"{f['overlap']}(other_keys_l, other_keys_r)", "another name in common", 0.8, 0.05
            ),
            _level("ELSE", "other names differ", 0.2, 0.95),
        ],
    }


def _parent(field: str, f: dict[str, str]) -> dict[str, Any]:
    """The father's or mother's name: spelling, dictionary name, consonant key, similar
    (not adjusted by term frequency: a parent's name is said once, its frequency is that of
    the given names, which the levels' u already carry)."""
    key, latin = f"{field}_key", f"{field}_latin"
    return {
        "output_column_name": field,
        "comparison_description": f"{field}'s name",
        "comparison_levels": [
            _null(key),
            _level(f"{latin}_l = {latin}_r", "same spelling", 0.45, 0.002),
            _level(
                f"{key}_l = {key}_r AND {field}_known_l AND {field}_known_r",
                "same name (variant dictionary)",
                0.3,
                0.004,
            ),
            _level(f"{key}_l = {key}_r", "same consonants", 0.1, 0.004),
            _judged(f"{f['jw']}({latin}_l, {latin}_r) >= 0.88", "similar spelling", 0.05, 0.02),
            _level("ELSE", "different", 0.1, 0.97),
        ],
    }


def _equal(column: str, label: str, m: float, u: float) -> dict[str, Any]:
    return {
        "output_column_name": column,
        "comparison_description": column,
        "comparison_levels": [
            _null(column),
            _level(f"{column}_l = {column}_r", label, m, u),
            _level("ELSE", "different", 1 - m, 1 - u),
        ],
    }


def _birth() -> dict[str, Any]:
    year_only = "(birth_date_l IS NULL OR birth_date_r IS NULL)"
    gap = "abs(birth_year_l - birth_year_r)"
    return {
        "output_column_name": "birth",
        "comparison_description": "date or year of birth",
        "comparison_levels": [
            _null("birth_year"),
            _level("birth_date_l = birth_date_r", "same date of birth", 0.55, 0.0002),
            _level(f"{year_only} AND {gap} = 0", "same year of birth", 0.25, 0.02),
            _level(f"{year_only} AND {gap} = 1", "years of birth 1 apart", 0.03, 0.04),
            _level(f"{year_only} AND {gap} = 2", "years of birth 2 apart", 0.02, 0.04),
            _judged(f"{gap} = 0", "different dates in the same year", 0.01, 0.02),
            _level("ELSE", "different", 0.13, 0.8798),
        ],
    }


_KM = (  # great-circle distance in SQL both DuckDB and Spark read
    "2 * 6371 * asin(sqrt(power(sin(radians(place_lat_r - place_lat_l) / 2), 2)"
    " + cos(radians(place_lat_l)) * cos(radians(place_lat_r))"
    " * power(sin(radians(place_lon_r - place_lon_l) / 2), 2)))"
)


def _place(f: dict[str, str]) -> dict[str, Any]:
    """The last-seen place through the route catalogue: the same place, the same leg of a
    route, a place within 100 or 500 km, the same country; never the place's spelling.
    (Term frequencies per place were tried: recall at precision 0.99 at 200,000 records
    0.9640 with them, 0.9642 without; not kept.)"""
    known = "place_lat_l IS NOT NULL AND place_lat_r IS NOT NULL"
    return {
        "output_column_name": "place",
        "comparison_description": "last seen place",
        "comparison_levels": [
            _null("place_country"),
            _level("place_id_l = place_id_r", "same place", 0.35, 0.01),
            _level(f"{f['overlap']}(place_legs_l, place_legs_r)", "same route leg", 0.3, 0.03),
            _level(f"{known} AND {_KM} <= 100", "places within 100 km", 0.1, 0.03),
            _level(f"{known} AND {_KM} <= 500", "places within 500 km", 0.15, 0.1),
            _level("place_country_l = place_country_r", "same country", 0.05, 0.1),
            _level("ELSE", "different", 0.05, 0.73),
        ],
    }


def _seen(f: dict[str, str]) -> dict[str, Any]:
    """How far apart the two records' last-seen (or arrival) dates are: the same person's
    sightings are weeks apart, two people's on the same route years."""
    apart = f["days"].format(l="CAST(seen_date_l AS DATE)", r="CAST(seen_date_r AS DATE)")
    days = f"abs({apart})"
    return {
        "output_column_name": "seen",
        "comparison_description": "date last seen",
        "comparison_levels": [
            _null("seen_date"),
            _level(f"{days} <= 30", "seen within a month", 0.4, 0.01),
            _level(f"{days} <= 90", "seen within three months", 0.4, 0.03),
            _level(f"{days} <= 365", "seen within a year", 0.15, 0.12),
            _level("ELSE", "seen more than a year apart", 0.05, 0.84),
        ],
    }


def model_settings(
    dialect: str, probability_two_random_records_match: float, *, term_frequencies: bool = True
) -> dict[str, Any]:
    """Settings for one run; ``dialect`` is ``duckdb`` or ``spark``. Without
    ``term_frequencies`` (a small registry scored by the prior model: frequencies counted over
    a handful of records would be noise) common names weigh as much as rare ones."""
    functions = _FUNCTIONS[dialect]
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": probability_two_random_records_match,
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
        "blocking_rules_to_generate_predictions": blocking_rules(),
        "comparisons": [
            _name("given", "family", functions, term_frequencies),
            _name("family", "given", functions, term_frequencies),
            _birth(),
            _equal("sex", "same sex", 0.97, 0.5),
            _equal("nationality", "same nationality", 0.9, 0.2),
            _place(functions),
            _seen(functions),
            _other_names(functions),
            _parent("father", functions),
            _parent("mother", functions),
        ],
    }


COMMON_NAME_RECORDS = 50
"""A canonical name pair (or family name) held by more records than this is *common*: its
block is split by the birth (decision 0038), so that a national registry's most frequent
names do not make comparisons that grow with the square of the registry."""

_COMPATIBLE_BIRTH = (  # not known to differ: the same date, or a year within 2 when a side
    "(l.birth_date = r.birth_date OR ((l.birth_date IS NULL OR r.birth_date IS NULL)"  # has no
    " AND (l.birth_year IS NULL OR r.birth_year IS NULL"  # full date
    " OR abs(l.birth_year - r.birth_year) <= 2)))"
)


def _rare(column: str) -> str:
    return f"(l.{column} <= {COMMON_NAME_RECORDS} AND r.{column} <= {COMMON_NAME_RECORDS})"


def blocking_rules() -> list[dict[str, Any]]:
    """Splink's blocking-rule dictionaries. Each block stays small on a national registry of a
    million records (common given names are a quarter of it): the canonical name pair (as
    given, or swapped) with the nationality; any shared variant key or skeleton (exploded
    arrays: name chains, other spellings, other scripts) with the same nationality and sex and
    the same date of birth, or the same year when a side has only the year; the family key
    with the birth-year band and nationality (a given name spelt in a way no dictionary knows,
    or a year off by one or two). Common names (more than
    :data:`COMMON_NAME_RECORDS` records) also need births not known to differ (the same date,
    or a year within 2 when a side has only the year), as a shared variant key or skeleton
    always does: two different known dates weigh against a match anyway ("different dates in
    the same year" has a low m), while a rare name keeps its whole block."""
    same = "l.birth_year = r.birth_year AND l.nationality = r.nationality AND l.sex = r.sex"
    name_count, family_count = _rare("name_count"), _rare("family_count")
    return [
        {
            "blocking_rule": "l.given_key = r.given_key AND l.family_key = r.family_key"
            f" AND l.nationality = r.nationality AND ({name_count} OR {_COMPATIBLE_BIRTH})"
        },
        {
            "blocking_rule": "l.given_key = r.family_key AND l.family_key = r.given_key"
            f" AND l.nationality = r.nationality AND ({name_count} OR {_COMPATIBLE_BIRTH})"
        },
        {  # keys and skeletons tagged with the date of birth: same date
            "blocking_rule": "l.birth_keys = r.birth_keys AND l.nationality = r.nationality"
            " AND l.sex = r.sex",
            "arrays_to_explode": ["birth_keys"],
        },
        *(  # tagged with the year, a side with only the year (one side per rule, so that
            {  # DuckDB filters that side before the join instead of every pair after it)
                "blocking_rule": f"l.year_keys = r.year_keys AND {same}"
                f" AND {side}.birth_date IS NULL",
                "arrays_to_explode": ["year_keys"],
            }
            for side in ("l", "r")
        ),
        {
            "blocking_rule": "l.family_key = r.family_key AND l.year_band = r.year_band"
            " AND l.nationality = r.nationality"
            f" AND ({family_count} OR (l.sex = r.sex AND {_COMPATIBLE_BIRTH}))",
        },
    ]
