"""A confirmed match teaches the variant dictionary its two spellings, so recall grows with use.

When the sought person's given (or family) name and the candidate's have different canonical
keys, each spelling is taught under the other's key: a spelling the dictionary already knows
keeps its group, and the unknown one joins it. Spellings come from people's
records, so they are stored encrypted and read only for a linkage run.
"""

from __future__ import annotations

from itinera.domain.tracing import Candidate, CandidateKind
from itinera.engines.names import VariantDictionary, name_keys
from itinera.services.tracing.context import Tracing
from itinera.storage.casework.case_repository import CaseRepository
from itinera.storage.database import UnitOfWork
from itinera.storage.tracing.candidate_repository import CandidateRepository
from itinera.storage.tracing.request_repository import TracingRequestRepository

__all__ = ["dictionary_for_run", "teach"]


def _other_names(session: UnitOfWork, tr: Tracing, candidate: Candidate) -> tuple[str, str] | None:
    if candidate.kind is CandidateKind.REGISTRATION:
        case = CaseRepository(session, tr.cipher).get_any(
            candidate.reference, decrypt=frozenset({"given_name", "family_name"})
        )
        if case is not None and case.given_name and case.family_name:
            return case.given_name, case.family_name
    elif candidate.kind is CandidateKind.TRACING_REQUEST:
        found = TracingRequestRepository(session, tr.cipher).person(
            int(candidate.reference.rsplit("/", 1)[1])
        )
        if found is not None:
            return found[2].given_name, found[2].family_name
    return None


def teach(session: UnitOfWork, tr: Tracing, candidate: Candidate) -> int:
    """Store the spellings a confirmed match teaches; answer how many."""
    sought = TracingRequestRepository(session, tr.cipher).person(candidate.person_id)
    other = _other_names(session, tr, candidate)
    if sought is None or other is None:
        return 0
    dictionary = dictionary_for_run(session, tr)
    repository = CandidateRepository(session, tr.cipher)
    taught = 0
    for mine, theirs in zip((sought[2].given_name, sought[2].family_name), other, strict=True):
        my_key, their_key = (name_keys(n, dictionary).canonical for n in (mine, theirs))
        if my_key and their_key and my_key != their_key:
            # both ways: a spelling already in a group keeps it, the unknown one joins it
            repository.learn_spelling(their_key, mine, candidate.id, tr.now())
            repository.learn_spelling(my_key, theirs, candidate.id, tr.now())
            taught += 1
    return taught


def dictionary_for_run(session: UnitOfWork, tr: Tracing) -> VariantDictionary:
    """The packaged dictionary plus every spelling confirmed matches taught."""
    dictionary = tr.dictionary.copy()
    for key, spelling in CandidateRepository(session, tr.cipher).learned_spellings():
        dictionary.learn(key, spelling)
    return dictionary
