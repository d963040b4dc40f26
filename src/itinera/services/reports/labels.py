"""The names a report prints, in its language: indicators, breakdowns, vocabularies, legs."""

from __future__ import annotations

from typing import Any

from itinera.domain.reference import ReferenceCategory
from itinera.domain.text import localise
from itinera.reports.translation import report_translations
from itinera.services.catalogue import routes as route_service
from itinera.services.monitoring.entries import vocabularies
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.storage.catalogue.reference_repository import ReferenceRepository
from itinera.storage.database import Database

__all__ = ["report_labels"]


def report_labels(db: Database, route_id: str, language: str) -> dict[str, Any]:
    t = report_translations(language)
    vocab = vocabularies()

    def names(list_name: str) -> dict[str, str]:
        return {code: vocab.label(list_name, code, language) for code in vocab.codes(list_name)}

    detail = route_service.get_route(db, route_id)
    places = {pid: localise(p.name, language) for pid, p in detail.places.items()}
    legs = {
        str(i): f"{i + 1}. {places.get(leg.from_place, leg.from_place)} → "
        f"{places.get(leg.to_place, leg.to_place)}"
        for i, leg in enumerate(detail.route.legs)
    }
    legs[""] = t.gettext("leg not given")
    with db.transaction() as session:
        types = ReferenceRepository(session).items(ReferenceCategory.SERVICE_TYPE)
        pillars = ReferenceRepository(session).items(ReferenceCategory.PILLAR)
    return {
        "indicators": {
            code: localise(i.name, language)
            for code, i in indicator_dictionary().indicators.items()
        },
        "dimensions": {
            "nationality": t.gettext("By nationality"),
            "sex": t.gettext("By sex"),
            "age_group": t.gettext("By age group"),
            "country": t.gettext("By country of departure or arrival"),
        },
        "incident_types": names("incident_types"),
        "perpetrators": names("perpetrators"),
        "note_tags": names("note_tags"),
        "confidentiality": {
            "public": t.gettext("public"),
            "internal": t.gettext("internal"),
            "restricted": t.gettext("restricted"),
        },
        "roles": {
            "origin": t.gettext("country of origin"),
            "transit": t.gettext("country of transit"),
            "asylum": t.gettext("country of asylum"),
            "destination": t.gettext("country of destination"),
        },
        "service_types": {item.code: localise(item.name, language) for item in types},
        "legs": legs,
        "routes": {r.id: localise(r.name, language) for r in route_service.list_routes(db)},
        "pillars": {
            str(item.number): localise(item.name, language) for item in pillars if item.number
        },
    }
