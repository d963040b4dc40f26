"""PFIF 1.4 records as read from another tracing service's file (C10 exchange).

A person record becomes a person sought by the sending service; a note is kept with the record
it is about. ``record_id`` is PFIF's ``domain/id``: the domain names the record's home
repository, and a record of one's own domain is never taken from outside.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date

from itinera.domain.case import Sex

__all__ = ["PfifNote", "PfifPerson", "content_digest", "home_domain"]


@dataclass(frozen=True)
class PfifPerson:
    record_id: str
    line: int  # where it starts in the file, for issues
    source_date: str
    full_name: str
    given_name: str
    family_name: str
    other_spellings: tuple[str, ...]
    sex: Sex
    birth_year: int | None
    date_of_birth: date | None
    author_name: str | None
    author_contact: str | None


@dataclass(frozen=True)
class PfifNote:
    record_id: str
    line: int
    person_record_id: str | None
    source_date: str
    status: str | None
    author_made_contact: bool | None
    text: str | None
    last_known_location: str | None


def home_domain(record_id: str) -> str:
    return record_id.split("/", 1)[0].casefold()


def content_digest(record: PfifPerson | PfifNote) -> str:
    """What the record says, as a digest: the same record sent again is recognised, a record
    whose content changed is a conflict (never a silent overwrite)."""
    fields = {k: v for k, v in asdict(record).items() if k != "line"}
    text = json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
