"""The organisation registry's aliases and merge suggestions (C6, on C8's organisations)."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from itinera.storage.activities.tables import organisation_aliases, organisation_merge_suggestions

__all__ = ["OrganisationAliasRepository"]


class OrganisationAliasRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def resolve(self, alias_key: str) -> int | None:
        c = organisation_aliases.c
        row = self.session.execute(
            select(c.organisation_id).where(c.alias_key == alias_key)
        ).first()
        return None if row is None else int(row[0])

    def add(self, alias_key: str, alias: str, organisation_id: int, origin: str) -> None:
        c = organisation_aliases.c
        if self.resolve(alias_key) is None:
            self.session.execute(
                insert(organisation_aliases).values(
                    alias_key=alias_key, alias=alias, organisation_id=organisation_id, origin=origin
                )
            )
        else:
            self.session.execute(
                update(organisation_aliases)
                .where(c.alias_key == alias_key)
                .values(organisation_id=organisation_id, origin=origin)
            )

    def aliases_of(self, organisation_ids: list[int]) -> dict[int, list[str]]:
        """The spellings recorded for each organisation, alphabetically."""
        c = organisation_aliases.c
        found: dict[int, list[str]] = {i: [] for i in organisation_ids}
        rows = self.session.execute(
            select(c.organisation_id, c.alias)
            .where(c.organisation_id.in_(organisation_ids))
            .order_by(c.alias)
        )
        for organisation_id, alias in rows:
            found[int(organisation_id)].append(alias)
        return found

    def repoint(self, from_id: int, to_id: int) -> None:
        c = organisation_aliases.c
        self.session.execute(
            update(organisation_aliases)
            .where(c.organisation_id == from_id)
            .values(organisation_id=to_id)
        )

    def suggest(self, organisation_id: int, candidate_id: int, score: float) -> bool:
        """Record a pending merge suggestion; False when the pair was already suggested."""
        c = organisation_merge_suggestions.c
        low, high = sorted((organisation_id, candidate_id))
        found = self.session.execute(
            select(c.id).where(c.organisation_id == low, c.candidate_id == high)
        ).first()
        if found is not None:
            return False
        self.session.execute(
            insert(organisation_merge_suggestions).values(
                organisation_id=low, candidate_id=high, score=score, state="pending"
            )
        )
        return True

    def suggestions(self, state: str = "pending") -> list[tuple[int, int, int, float]]:
        """(suggestion id, organisation id, candidate id, score), best first."""
        c = organisation_merge_suggestions.c
        rows = self.session.execute(
            select(c.id, c.organisation_id, c.candidate_id, c.score)
            .where(c.state == state)
            .order_by(c.score.desc(), c.id)
        )
        return [(int(i), int(o), int(k), float(s)) for i, o, k, s in rows]

    def set_state(self, suggestion_id: int, state: str) -> tuple[int, int] | None:
        c = organisation_merge_suggestions.c
        row = self.session.execute(  # a decided suggestion is not decided again
            select(c.organisation_id, c.candidate_id).where(
                c.id == suggestion_id, c.state == "pending"
            )
        ).first()
        if row is None:
            return None
        self.session.execute(
            update(organisation_merge_suggestions).where(c.id == suggestion_id).values(state=state)
        )
        return int(row[0]), int(row[1])
