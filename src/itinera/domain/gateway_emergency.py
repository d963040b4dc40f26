"""Acute risk: what a person in danger sees at once, before anyone reads their message.

A submission that says it is about a threat to life, a child alone or a medical emergency is
flagged ``acute:<risk>``, goes to the top of the staff queue, and the person is shown the
emergency numbers of the country they are in straight away. Only numbers that are national and
well established are listed (the EU's 112, and the national numbers of Tunisia and Morocco);
others are added here as offices confirm them.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["EMERGENCY_NUMBERS", "AcuteRisk", "acute_flag", "is_acute"]


class AcuteRisk(StrEnum):
    THREAT_TO_LIFE = "threat_to_life"
    CHILD_ALONE = "child_alone"
    MEDICAL = "medical"


_EU_112 = (("emergency", "112"),)
_EU_ON_ROUTES = (
    *("AUT", "BGR", "CYP", "DEU", "ESP", "FRA", "GRC", "HRV", "HUN", "ITA"),
    *("MLT", "POL", "ROU", "SVN"),
)
EMERGENCY_NUMBERS: dict[str, tuple[tuple[str, str], ...]] = {
    "TUN": (("police", "197"), ("ambulance", "190"), ("fire_and_rescue", "198")),
    "MAR": (("police", "19"), ("ambulance_and_fire", "15"), ("gendarmerie", "177")),
    **{country: _EU_112 for country in _EU_ON_ROUTES},
}


def acute_flag(risk: AcuteRisk) -> str:
    return f"acute:{risk.value}"


def is_acute(flags: tuple[str, ...]) -> bool:
    return any(flag.startswith("acute:") for flag in flags)
