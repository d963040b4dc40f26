"""The named focal points who alone see the restricted queue of sensitive complaints."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from itinera.storage.gateway.tables import gateway_focal_points

__all__ = ["FocalPointRepository"]


class FocalPointRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self, user_id: int, username: str, now: datetime, organisation_id: int | None = None
    ) -> bool:
        """Name a focal point (of a partner organisation when ``organisation_id`` is given);
        False when already named."""
        found = self.session.execute(
            select(gateway_focal_points.c.user_id).where(gateway_focal_points.c.user_id == user_id)
        ).first()
        if found is not None:
            return False
        self.session.execute(
            gateway_focal_points.insert().values(
                user_id=user_id,
                username=username[:64],
                added_at=now,
                organisation_id=organisation_id,
            )
        )
        return True

    def remove(self, user_id: int) -> bool:
        result = self.session.execute(
            delete(gateway_focal_points).where(gateway_focal_points.c.user_id == user_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def is_focal_point(self, user_id: int | None) -> bool:
        if user_id is None:
            return False
        found = self.session.execute(
            select(gateway_focal_points.c.user_id).where(
                gateway_focal_points.c.user_id == user_id,
                gateway_focal_points.c.organisation_id.is_(None),
            )
        ).first()
        return found is not None

    def partner_organisation(self, user_id: int | None) -> int | None:
        """The organisation of a partner focal point, None for anyone else."""
        if user_id is None:
            return None
        found = self.session.execute(
            select(gateway_focal_points.c.organisation_id).where(
                gateway_focal_points.c.user_id == user_id
            )
        ).scalar()
        return int(found) if found is not None else None

    def usernames(self) -> list[str]:
        rows = self.session.execute(
            select(gateway_focal_points.c.username).order_by(gateway_focal_points.c.username)
        )
        return [row.username for row in rows]
