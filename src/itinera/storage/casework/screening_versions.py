"""Stored versions of the screening questionnaire, rules and pathways (issue 12).

Versions are numbered 1, 2, … in the order they are saved and never changed afterwards; only
which one is active moves. Reads return :class:`ScreeningVersion`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from itinera.domain.screening_version import ScreeningVersion
from itinera.storage.casework.tables import screening_versions
from itinera.storage.database import UnitOfWork

__all__ = ["ScreeningVersionRepository"]


class ScreeningVersionRepository:
    def __init__(self, session: UnitOfWork) -> None:
        self.session = session

    def active_id(self) -> int | None:
        return self.session.execute(
            select(screening_versions.c.id).where(screening_versions.c.active.is_(True))
        ).scalar()

    def get(self, version_id: int) -> ScreeningVersion | None:
        row = (
            self.session.execute(
                select(screening_versions).where(screening_versions.c.id == version_id)
            )
            .mappings()
            .first()
        )
        return None if row is None else _version(row)

    def list(self) -> list[ScreeningVersion]:
        """Every version, the newest first."""
        rows = self.session.execute(
            select(screening_versions).order_by(screening_versions.c.id.desc())
        ).mappings()
        return [_version(row) for row in rows]

    def add(
        self,
        *,
        questionnaire_text: str,
        rules_text: str,
        pathways_text: str,
        comment: str,
        created_by: str,
        created_at: datetime,
    ) -> int:
        """Store a new version (inactive) under the next number, and answer that number.

        Callers hold a write transaction, so two saves never take the same number."""
        latest = self.session.execute(select(func.max(screening_versions.c.id))).scalar()
        version_id = int(latest or 0) + 1
        self.session.execute(
            screening_versions.insert().values(
                id=version_id,
                questionnaire_text=questionnaire_text,
                rules_text=rules_text,
                pathways_text=pathways_text,
                comment=comment,
                created_by=created_by,
                created_at=created_at,
                active=False,
            )
        )
        return version_id

    def activate(self, version_id: int, *, by: str, at: datetime) -> None:
        """Make ``version_id`` the one active version."""
        self.session.execute(
            update(screening_versions)
            .where(screening_versions.c.active.is_(True))
            .values(active=False)
        )
        self.session.execute(
            update(screening_versions)
            .where(screening_versions.c.id == version_id)
            .values(active=True, activated_by=by, activated_at=at)
        )


def _version(row: Any) -> ScreeningVersion:
    return ScreeningVersion(
        id=row["id"],
        questionnaire_text=row["questionnaire_text"],
        rules_text=row["rules_text"],
        pathways_text=row["pathways_text"],
        comment=row["comment"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        active=bool(row["active"]),
        activated_by=row["activated_by"],
        activated_at=row["activated_at"],
    )
