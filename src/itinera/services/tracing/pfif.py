"""PFIF 1.4 export of persons sought, for exchange between tracing services.

Person Finder Interchange Format 1.4 (XML, namespace ``http://zesty.ca/pfif/1.4``): each
``pfif:person`` has ``person_record_id`` as ``domain/id``, ``source_date`` and ``full_name``;
names keep the script they were given in. The author's e-mail and phone are never written
unless asked for (``include_author_contact``). Elements follow the schema's order; the tests
validate the export against PFIF 1.4's RELAX NG schema (``reference/schemas/pfif-1.4.rng``),
the one the import (:mod:`itinera.services.tracing.exchange`) checks files against.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC
from typing import BinaryIO

from itinera.domain.access import Action, Actor, require
from itinera.domain.case import Purpose
from itinera.services.tracing.context import Tracing
from itinera.storage.tracing.request_repository import TracingRequestRepository

__all__ = ["PFIF_NAMESPACE", "export_pfif"]

PFIF_NAMESPACE = "http://zesty.ca/pfif/1.4"
_SEX = {"female": "female", "male": "male", "other": "other"}


def _add(parent: ET.Element, name: str, text: str | None) -> None:
    if text:
        ET.SubElement(parent, f"{{{PFIF_NAMESPACE}}}{name}").text = text


def export_pfif(
    tr: Tracing,
    actor: Actor,
    out: BinaryIO,
    *,
    domain: str,
    include_author_contact: bool = False,
    origin: str | None = None,
) -> int:
    """Write every open request's persons sought; answer how many persons were written."""
    require(actor, Action.EXPORT_TRACING)
    ET.register_namespace("pfif", PFIF_NAMESPACE)
    root = ET.Element(f"{{{PFIF_NAMESPACE}}}pfif")
    with tr.db.transaction(write=True) as session:
        repository = TracingRequestRepository(session, tr.cipher)
        written = 0
        for request in repository.all(decrypt=True):
            source_date = request.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            inquirer = request.inquirer
            for person in request.sought:
                element = ET.SubElement(root, f"{{{PFIF_NAMESPACE}}}person")
                _add(element, "person_record_id", f"{domain}/{request.id}.{person.id}")
                _add(element, "entry_date", source_date)
                if inquirer is not None:
                    author = f"{inquirer.given_name} {inquirer.family_name}".strip()
                    _add(element, "author_name", author)
                    if include_author_contact and inquirer.contact:
                        contact = inquirer.contact
                        _add(element, "author_email" if "@" in contact else "author_phone", contact)
                _add(element, "source_name", domain)
                _add(element, "source_date", source_date)
                full = " ".join(
                    p for p in (person.given_name, *person.name_parts, person.family_name) if p
                )
                _add(element, "full_name", full)
                _add(element, "given_name", person.given_name)
                _add(element, "family_name", person.family_name)
                _add(element, "alternate_names", "\n".join(person.other_spellings) or None)
                _add(element, "sex", _SEX.get(person.sex.value))
                birth = person.date_of_birth.isoformat() if person.date_of_birth else None
                _add(
                    element,
                    "date_of_birth",
                    birth or (str(person.birth_year) if person.birth_year else None),
                )
                _add(element, "home_country", None)
                written += 1
        tr.audit(
            session,
            actor,
            action="tracing.export",
            entity="tracing_request",
            entity_id="*",
            purpose=Purpose.TRACING.value,
            origin=origin,
            detail={
                "format": "pfif-1.4",
                "persons": written,
                "author_contact": include_author_contact,
            },
        )
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
    return written
