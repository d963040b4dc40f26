"""Organisations named in activity files, resolved through the one registry (C8's
organisations) with aliases and acronyms; close names become merge suggestions that a
coordinator confirms or rejects, never silent merges.

Resolution of one name, in order: a recorded alias (a confirmed merge, or a spelling seen in an
earlier import); the registry's name or acronym (case and spacing ignored); the parts of
``Name (ACRONYM)``; else a new organisation. After an import, each new organisation is
compared with the others (rapidfuzz ``token_sort_ratio`` on names without punctuation, and
acronym against initials); pairs scoring at least ``SUGGEST_AT`` are suggested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.organisation import Organisation
from itinera.services.accounts import audit
from itinera.storage.accounts.organisation_repository import OrganisationRepository
from itinera.storage.activities.activity_repository import ActivityRepository
from itinera.storage.activities.organisation_alias_repository import OrganisationAliasRepository
from itinera.storage.database import Database, UnitOfWork

__all__ = [
    "SUGGEST_AT",
    "MergeSuggestion",
    "OrganisationResolver",
    "alias_key",
    "decide_merge",
    "merge_suggestions",
]

SUGGEST_AT = 88.0
_ACRONYM = re.compile(r"^(?P<name>.+?)\s*[(\[](?P<acronym>[^)\]]{2,15})[)\]]\s*$")


def alias_key(name: str) -> str:
    """``Médecins Sans Frontières`` and ``medecins  sans-frontieres`` share a key."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


@dataclass(frozen=True)
class MergeSuggestion:
    id: int
    organisation: Organisation
    candidate: Organisation
    score: float
    aliases: tuple[str, ...] = ()  # the spellings recorded for the organisation
    candidate_aliases: tuple[str, ...] = ()


class OrganisationResolver:
    """Resolves names within one import's transaction, remembering what it resolved."""

    def __init__(self, session: UnitOfWork) -> None:
        self.registry = OrganisationRepository(session)
        self.aliases = OrganisationAliasRepository(session)
        self.resolved: dict[str, int] = {}
        self.created: list[int] = []

    def resolve(self, name: str) -> int:
        key = alias_key(name)
        if key in self.resolved:
            return self.resolved[key]
        found = self.aliases.resolve(key)
        if found is None:
            match = self.registry.by_name(name)
            parts = _ACRONYM.match(name)
            if match is None and parts:
                match = self.registry.by_name(parts["name"]) or self.registry.by_name(
                    parts["acronym"]
                )
            if match is None:
                acronym = parts["acronym"].strip() if parts else None
                match = self.registry.add(
                    Organisation(None, parts["name"] if parts else name, acronym=acronym)
                )
                self.created.append(match.id or 0)
            found = match.id or 0
            self.aliases.add(key, name[:300], found, "import")
        self.resolved[key] = found
        return found

    def suggest_merges(self) -> int:
        """Suggest merging each new organisation with close existing ones; how many."""
        everyone = self.registry.list()
        suggested = 0
        for new_id in self.created:
            new = next((o for o in everyone if o.id == new_id), None)
            if new is None:
                continue
            for other in everyone:
                if other.id == new.id:
                    continue
                score = similarity(new, other)
                if score >= SUGGEST_AT and self.aliases.suggest(new.id or 0, other.id or 0, score):
                    suggested += 1
        return suggested


def similarity(one: Organisation, other: Organisation) -> float:
    """0-100: names compared ignoring word order and punctuation, or an acronym against the
    other's initials (``UNICEF`` ~ ``United Nations Children's Fund`` scores 90)."""
    score = fuzz.token_sort_ratio(alias_key(one.name), alias_key(other.name))
    for short, long in ((one, other), (other, one)):
        acronym = (short.acronym or (short.name if short.name.isupper() else "")).casefold()
        initials = "".join(w[0] for w in alias_key(long.name).split() if len(w) > 2)
        if len(acronym) >= 3 and initials and fuzz.ratio(acronym, initials) >= 80:
            score = max(score, 90.0)
    return float(score)


def merge_suggestions(db: Database, actor: Actor) -> list[MergeSuggestion]:
    require(actor, Action.VIEW_ACTIVITIES)
    with db.transaction() as session:
        registry = OrganisationRepository(session)
        aliases = OrganisationAliasRepository(session)
        pending = aliases.suggestions()
        spellings = aliases.aliases_of(sorted({i for _, o, c, _ in pending for i in (o, c)}))
        found = []
        for sid, org, candidate, score in pending:
            one, two = registry.get(org), registry.get(candidate)
            if one and two:
                names = tuple(spellings[org]), tuple(spellings[candidate])
                found.append(MergeSuggestion(sid, one, two, score, *names))
    return found


def decide_merge(
    db: Database, actor: Actor, suggestion_id: int, *, merge: bool, keep: int | None = None
) -> None:
    """Confirm (the first organisation's activities and aliases move to the second, or to
    ``keep`` when it names the first) or reject a suggestion; audited."""
    require(actor, Action.MERGE_ORGANISATIONS)
    with db.transaction(write=True) as session:
        aliases = OrganisationAliasRepository(session)
        pair = aliases.set_state(suggestion_id, "merged" if merge else "rejected")
        if pair is None:
            raise NotFoundError(f"no pending merge suggestion {suggestion_id}")
        merged_from, merged_into = pair
        if keep is not None and keep not in pair:
            raise ValidationError.single("keep", "one of the two organisations of the suggestion")
        if keep == merged_from:
            merged_from, merged_into = merged_into, merged_from
        if merge:
            registry = OrganisationRepository(session)
            gone = registry.get(merged_from)
            ActivityRepository(session).reassign_organisation(merged_from, merged_into)
            aliases.repoint(merged_from, merged_into)
            if gone is not None:
                aliases.add(alias_key(gone.name), gone.name[:300], merged_into, "confirmed")
        audit.record(
            session,
            actor,
            action="merge_organisations" if merge else "reject_organisation_merge",
            entity="organisation",
            entity_id=str(merged_into),
            detail={"suggestion": suggestion_id, "merged_from": merged_from},
        )
