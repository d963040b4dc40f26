"""Organisations, shared by service mapping, accounts and referrals."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from itinera.domain.organisation import Organisation, OrganisationType
from itinera.storage.accounts.tables import organisations

__all__ = ["OrganisationRepository", "organisation_key"]


def organisation_key(name: str) -> str:
    return re.sub(r"\s+", " ", name.casefold()).strip()


class OrganisationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, organisation_id: int) -> Organisation | None:
        row = self.session.execute(
            select(organisations).where(organisations.c.id == organisation_id)
        ).first()
        return _organisation(row) if row else None

    def by_name(self, name: str) -> Organisation | None:
        """Find by name or acronym, ignoring case and spacing."""
        key = organisation_key(name)
        row = self.session.execute(
            select(organisations).where(organisations.c.name_key == key)
        ).first()
        if row is None:
            row = self.session.execute(
                select(organisations).where(
                    func.lower(organisations.c.acronym) == name.strip().casefold()
                )
            ).first()
        return _organisation(row) if row else None

    def list(self) -> list[Organisation]:
        rows = self.session.execute(select(organisations).order_by(organisations.c.name))
        return [_organisation(r) for r in rows]

    def add(self, organisation: Organisation) -> Organisation:
        result = self.session.execute(
            insert(organisations).values(
                name=organisation.name.strip(),
                name_key=organisation_key(organisation.name),
                acronym=organisation.acronym,
                type=organisation.type.value,
                country=organisation.country,
            )
        )
        new_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        return Organisation(
            new_id,
            organisation.name.strip(),
            organisation.type,
            organisation.acronym,
            organisation.country,
        )

    def get_or_add(self, organisation: Organisation) -> Organisation:
        return self.by_name(organisation.name) or self.add(organisation)


def _organisation(row: Any) -> Organisation:
    return Organisation(row.id, row.name, OrganisationType(row.type), row.acronym, row.country)
