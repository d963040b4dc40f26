"""Candidates of a linkage run, the reviews of each, and the versions of the model.

A pair is stored once (person, kind, reference): a later run updates the probability of a pending
candidate and leaves a decided one alone, so a rejected pair is never proposed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from itinera.domain.tracing import (
    Candidate,
    CandidateKind,
    CandidateStatus,
    Decision,
    ExplanationStep,
    Review,
)
from itinera.storage.tracing.request_repository import Cipher
from itinera.storage.tracing.tables import (
    tracing_candidates,
    tracing_learned_spellings,
    tracing_models,
    tracing_persons,
    tracing_reviews,
)

__all__ = ["CandidateRepository", "NewCandidate"]

NewCandidate = tuple[int, CandidateKind, str, int | None, float, tuple[ExplanationStep, ...], bool]
"""(person id, kind, reference, holding organisation, probability, explanation, child)."""


class CandidateRepository:
    def __init__(self, session: Session, cipher: Cipher | None = None) -> None:
        self.session = session
        self.cipher = cipher

    def save_run(self, found: Sequence[NewCandidate], model_version: str, now: datetime) -> int:
        """Insert new pairs, refresh pending ones; answer how many are new."""
        existing = {
            (row.person_id, row.kind, row.reference): (row.id, row.status)
            for row in self.session.execute(
                select(
                    tracing_candidates.c.id,
                    tracing_candidates.c.person_id,
                    tracing_candidates.c.kind,
                    tracing_candidates.c.reference,
                    tracing_candidates.c.status,
                )
            )
        }
        added = 0
        for person_id, kind, reference, organisation_id, probability, steps, child in found:
            explanation = [
                {"comparison": s.comparison, "level": s.level, "weight": s.weight} for s in steps
            ]
            known = existing.get((person_id, kind.value, reference))
            if known is None:
                self.session.execute(
                    tracing_candidates.insert().values(
                        person_id=person_id,
                        kind=kind.value,
                        reference=reference,
                        organisation_id=organisation_id,
                        probability=probability,
                        explanation=explanation,
                        model_version=model_version,
                        status=CandidateStatus.PENDING.value,
                        child=child,
                        created_at=now,
                        updated_at=now,
                    )
                )
                added += 1
            elif known[1] == CandidateStatus.PENDING.value:
                self.session.execute(
                    update(tracing_candidates)
                    .where(tracing_candidates.c.id == known[0])
                    .values(
                        probability=probability,
                        explanation=explanation,
                        model_version=model_version,
                        updated_at=now,
                    )
                )
        return added

    def of_request(self, request_id: str) -> list[Candidate]:
        return self._find(tracing_persons.c.request_id == request_id)

    def get(self, candidate_id: int) -> Candidate | None:
        found = self._find(tracing_candidates.c.id == candidate_id)
        return found[0] if found else None

    def queue(self, statuses: Sequence[CandidateStatus]) -> list[Candidate]:
        return self._find(tracing_candidates.c.status.in_([s.value for s in statuses]))

    def _find(self, condition: Any) -> list[Candidate]:
        rows = self.session.execute(
            select(tracing_candidates, tracing_persons.c.request_id)
            .join(tracing_persons, tracing_persons.c.id == tracing_candidates.c.person_id)
            .where(condition)
            .order_by(tracing_candidates.c.probability.desc(), tracing_candidates.c.id)
        ).mappings()
        return [self._candidate(row) for row in rows]

    def _candidate(self, row: Any) -> Candidate:
        return Candidate(
            id=row["id"],
            person_id=row["person_id"],
            request_id=row["request_id"],
            kind=CandidateKind(row["kind"]),
            reference=row["reference"],
            organisation_id=row["organisation_id"],
            probability=row["probability"],
            explanation=tuple(
                ExplanationStep(e["comparison"], e["level"], float(e["weight"]))
                for e in row["explanation"]
            ),
            model_version=row["model_version"],
            status=CandidateStatus(row["status"]),
            child=row["child"],
            reviews=tuple(self.reviews(row["id"], decrypt=False)),
        )

    def set_status(self, candidate_id: int, status: CandidateStatus, now: datetime) -> None:
        self.session.execute(
            update(tracing_candidates)
            .where(tracing_candidates.c.id == candidate_id)
            .values(status=status.value, updated_at=now)
        )

    def record_contact_consent(self, candidate_id: int, by: str, now: datetime) -> None:
        self.session.execute(
            update(tracing_candidates)
            .where(tracing_candidates.c.id == candidate_id)
            .values(contact_consent_by=by, contact_consent_at=now, updated_at=now)
        )

    def contact_consented(self, candidate_id: int) -> bool:
        at = self.session.execute(
            select(tracing_candidates.c.contact_consent_at).where(
                tracing_candidates.c.id == candidate_id
            )
        ).scalar_one_or_none()
        return at is not None

    def add_review(
        self, candidate_id: int, decision: Decision, reason: str, reviewer: str, now: datetime
    ) -> None:
        assert self.cipher is not None
        result = self.session.execute(
            tracing_reviews.insert().values(
                candidate_id=candidate_id, decision=decision.value, reviewer=reviewer, at=now
            )
        )
        review_id = int(result.inserted_primary_key[0])
        token = self.cipher.encrypt(reason, context=f"tracing_reviews.reason:{review_id}")
        self.session.execute(
            update(tracing_reviews)
            .where(tracing_reviews.c.id == review_id)
            .values(reason_enc=token)
        )

    def reviews(self, candidate_id: int, *, decrypt: bool) -> list[Review]:
        rows = self.session.execute(
            select(tracing_reviews)
            .where(tracing_reviews.c.candidate_id == candidate_id)
            .order_by(tracing_reviews.c.id)
        ).mappings()
        return [
            Review(
                candidate_id=row["candidate_id"],
                decision=Decision(row["decision"]),
                reason=(
                    self.cipher.decrypt(
                        row["reason_enc"], context=f"tracing_reviews.reason:{row['id']}"
                    )
                    if decrypt and self.cipher is not None and row["reason_enc"]
                    else None
                ),
                reviewer=row["reviewer"],
                at=row["at"],
            )
            for row in rows
        ]

    def save_model(self, version: str, parameters: dict[str, Any], now: datetime) -> None:
        latest = self.session.execute(
            select(tracing_models.c.version).order_by(tracing_models.c.id.desc()).limit(1)
        ).scalar_one_or_none()
        if latest != version:
            self.session.execute(
                tracing_models.insert().values(
                    version=version, parameters=parameters, created_at=now
                )
            )

    def count(self) -> int:
        return int(
            self.session.execute(select(func.count()).select_from(tracing_candidates)).scalar_one()
        )

    def learn_spelling(self, key: str, spelling: str, candidate_id: int, now: datetime) -> None:
        assert self.cipher is not None
        result = self.session.execute(
            tracing_learned_spellings.insert().values(
                key=key[:64], spelling_enc="", candidate_id=candidate_id, created_at=now
            )
        )
        row_id = int(result.inserted_primary_key[0])
        token = self.cipher.encrypt(
            spelling, context=f"tracing_learned_spellings.spelling:{row_id}"
        )
        self.session.execute(
            update(tracing_learned_spellings)
            .where(tracing_learned_spellings.c.id == row_id)
            .values(spelling_enc=token)
        )

    def learned_spellings(self) -> list[tuple[str, str]]:
        """(key, spelling) pairs taught by confirmed matches, decrypted for one run."""
        assert self.cipher is not None
        rows = self.session.execute(
            select(tracing_learned_spellings).order_by(tracing_learned_spellings.c.id)
        ).mappings()
        return [
            (
                row["key"],
                self.cipher.decrypt(
                    row["spelling_enc"], context=f"tracing_learned_spellings.spelling:{row['id']}"
                ),
            )
            for row in rows
        ]
