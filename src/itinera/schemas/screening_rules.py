"""Wire shapes of the screening rules versions API (issue 12): the versions an administrator
lists and reads, the draft checked or stored (the three YAML texts; a text left out is the
active version's), and the check's summary. Shared by the API and ``itinera screening rules``."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from itinera.domain.screening_version import ScreeningVersion

__all__ = [
    "ScreeningDraftIn",
    "ScreeningVersionIn",
    "ScreeningVersionOut",
    "ScreeningVersionSummaryOut",
]

_TEXT = 200_000  # characters of one YAML text


class ScreeningDraftIn(BaseModel):
    questionnaire: str | None = Field(None, max_length=_TEXT, description="questionnaire YAML")
    rules: str | None = Field(None, max_length=_TEXT, description="rules YAML")
    pathways: str | None = Field(None, max_length=_TEXT, description="referral pathways YAML")

    def files(self) -> list[tuple[str, str]]:
        """The texts given, named as the validator names them."""
        given = (
            ("questionnaire.yaml", self.questionnaire),
            ("rules.yaml", self.rules),
            ("pathways.yaml", self.pathways),
        )
        return [(name, text) for name, text in given if text is not None]


class ScreeningVersionIn(ScreeningDraftIn):
    comment: str = Field(max_length=2000, description="what changed and why (required)")
    activate: bool = Field(False, description="make it the version new screenings use")


class ScreeningVersionSummaryOut(BaseModel):
    id: int
    comment: str
    created_by: str
    created_at: datetime
    active: bool
    activated_by: str | None = None
    activated_at: datetime | None = None

    @classmethod
    def of(cls, version: ScreeningVersion) -> ScreeningVersionSummaryOut:
        return cls(
            id=version.id,
            comment=version.comment,
            created_by=version.created_by,
            created_at=version.created_at,
            active=version.active,
            activated_by=version.activated_by,
            activated_at=version.activated_at,
        )


class ScreeningVersionOut(ScreeningVersionSummaryOut):
    questionnaire: str
    rules: str
    pathways: str

    @classmethod
    def of(cls, version: ScreeningVersion) -> ScreeningVersionOut:
        summary = ScreeningVersionSummaryOut.of(version).model_dump()
        return cls(
            **summary,
            questionnaire=version.questionnaire_text,
            rules=version.rules_text,
            pathways=version.pathways_text,
        )
