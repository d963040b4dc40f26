"""A stored version of the screening questionnaire, rules and pathways (issue 12).

Administrators edit the three YAML texts on pages; each save is a new version with who made it,
when and why. Version 1 is the packaged files; one version is active and screenings keep the id
of the version they used, so an old screening is still explained by the rules that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["ScreeningVersion"]


@dataclass(frozen=True)
class ScreeningVersion:
    id: int
    questionnaire_text: str
    rules_text: str
    pathways_text: str
    comment: str
    created_by: str
    created_at: datetime
    active: bool
    activated_by: str | None = None
    activated_at: datetime | None = None
