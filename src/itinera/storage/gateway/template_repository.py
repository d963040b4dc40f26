"""Answer templates per language (staff text with ``$variables``), upserted by name."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from itinera.storage.gateway.tables import gateway_answer_templates as _templates

__all__ = ["TemplateRepository"]


class TemplateRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, name: str, language: str, body: str, approved: bool, now: datetime) -> None:
        found = self.session.execute(
            select(_templates.c.id).where(
                _templates.c.name == name, _templates.c.language == language
            )
        ).scalar()
        values = {"body": body, "approved": approved, "updated_at": now}
        if found is None:
            self.session.execute(_templates.insert().values(name=name, language=language, **values))
        else:
            self.session.execute(
                update(_templates).where(_templates.c.id == found).values(**values)
            )

    def get(self, name: str, language: str) -> tuple[str, bool] | None:
        row = self.session.execute(
            select(_templates.c.body, _templates.c.approved).where(
                _templates.c.name == name, _templates.c.language == language
            )
        ).first()
        return None if row is None else (row.body, bool(row.approved))

    def names(self) -> list[tuple[str, str, bool]]:
        rows = self.session.execute(
            select(_templates.c.name, _templates.c.language, _templates.c.approved).order_by(
                _templates.c.name, _templates.c.language
            )
        )
        return [(r.name, r.language, bool(r.approved)) for r in rows]
