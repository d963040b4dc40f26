"""Reader of PFIF 1.4 XML (persons and notes), bounded and safe.

The file is parsed by lxml with no DTD, no entity resolution and no network, refused above
:data:`MAX_BYTES` or with a document type declaration (entity expansion attacks), and validated
against PFIF 1.4's RELAX NG schema shipped in ``reference/schemas/pfif-1.4.rng``. Issues name
the line and the element, never a value (names and contacts are personal data).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from itinera.domain.case import Sex
from itinera.domain.issues import Issue
from itinera.domain.tracing_exchange import PfifNote, PfifPerson

__all__ = ["MAX_BYTES", "PFIF_NAMESPACE", "PfifRead", "pfif_schema", "read_pfif"]

PFIF_NAMESPACE = "http://zesty.ca/pfif/1.4"
MAX_BYTES = 20 * 1024 * 1024
_NS = f"{{{PFIF_NAMESPACE}}}"


@dataclass
class PfifRead:
    persons: list[PfifPerson] = field(default_factory=list)
    notes: list[PfifNote] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    rows_read: int = 0


@cache
def pfif_schema() -> Any:
    """The RELAX NG validator of PFIF 1.4 (lxml)."""
    from lxml import etree

    text = (resources.files("itinera.reference") / "schemas" / "pfif-1.4.rng").read_bytes()
    return etree.RelaxNG(etree.fromstring(text, _parser()))


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _refused(name: str, message: str, suggestion: str | None = None) -> PfifRead:
    return PfifRead(issues=[Issue(name, message, suggestion=suggestion)])


def read_pfif(path: Path, source: str | None = None, **_: Any) -> PfifRead:
    from lxml import etree

    name = path.name
    if path.stat().st_size > MAX_BYTES:
        return _refused(name, f"larger than {MAX_BYTES // 2**20} MB", "split the export")
    try:
        tree = etree.parse(str(path), _parser())
    except etree.XMLSyntaxError as exc:
        return _refused(name, f"not well-formed XML (line {exc.lineno})", "export it again")
    if tree.docinfo.doctype:
        return _refused(name, "a document type declaration is not accepted in PFIF")
    schema = pfif_schema()
    if not schema.validate(tree):  # the whole file is refused: row stays None
        return PfifRead(
            issues=[
                Issue(name, f"not PFIF 1.4, line {e.line}: {_element(e.message)}")
                for e in schema.error_log
            ]
        )
    read = PfifRead()
    for element in tree.getroot():
        if element.tag == f"{_NS}person":
            read.persons.append(_person(element))
            notes = element.findall(f"{_NS}note")
            read.notes += [_note(n, read.persons[-1].record_id) for n in notes]
        else:
            read.notes.append(_note(element, None))
    read.rows_read = len(read.persons) + len(read.notes)
    return read


def _element(message: str) -> str:
    """lxml's message, which names elements and never quotes their text."""
    return message.replace(_NS, "")


def _text(element: Any, tag: str) -> str | None:
    found = element.find(f"{_NS}{tag}")
    value = None if found is None else (found.text or "").strip()
    return value or None


def _person(element: Any) -> PfifPerson:
    full = _text(element, "full_name") or ""
    given, family = _text(element, "given_name"), _text(element, "family_name")
    if not (given and family):
        first, _, rest = full.partition(" ")
        given, family = given or first, family or rest or first
    birth = _text(element, "date_of_birth")
    born = date.fromisoformat(birth) if birth and len(birth) == 10 else None
    contact = _text(element, "author_email") or _text(element, "author_phone")
    return PfifPerson(
        record_id=_text(element, "person_record_id") or "",
        line=element.sourceline or 0,
        source_date=_text(element, "source_date") or "",
        full_name=full,
        given_name=given,
        family_name=family,
        other_spellings=tuple(
            n.strip() for n in (_text(element, "alternate_names") or "").splitlines() if n.strip()
        ),
        sex=Sex(_text(element, "sex") or "unknown"),
        birth_year=int(birth[:4]) if birth else None,
        date_of_birth=born,
        author_name=_text(element, "author_name"),
        author_contact=contact,
    )


def _note(element: Any, person_record_id: str | None) -> PfifNote:
    contact = _text(element, "author_made_contact")
    return PfifNote(
        record_id=_text(element, "note_record_id") or "",
        line=element.sourceline or 0,
        person_record_id=person_record_id or _text(element, "person_record_id"),
        source_date=_text(element, "source_date") or "",
        status=_text(element, "status"),
        author_made_contact=None if contact is None else contact == "true",
        text=_text(element, "text"),
        last_known_location=_text(element, "last_known_location"),
    )
