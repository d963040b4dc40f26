"""Export the registry: HXL CSV (one row per service offered), GeoJSON, Open Referral HSDS 3.0.

Each export reads back through the matching importer (tests check the round trip).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pycountry

from itinera.domain.spreadsheet_cells import SafeCsvWriter
from itinera.importers.services_hsds import TAXONOMY
from itinera.services.services_map.registry import Listing

__all__ = ["HXL_COLUMNS", "to_geojson", "to_hsds", "to_hxl_csv"]

HXL_COLUMNS = (
    ("Point id", "#loc+code"),
    ("Service point", "#loc+name"),
    ("Organisation", "#org+name"),
    ("Service type", "#service+type"),
    ("Latitude", "#geo+lat"),
    ("Longitude", "#geo+lon"),
    ("Country", "#country+code"),
    ("Admin area", "#adm1+name"),
    ("Locality", "#adm2+name"),
    ("Status", "#status"),
    ("Last verified", "#date+verified"),
    ("Opening hours", "#meta+hours"),
    ("Languages", "#meta+languages"),
    ("Referral required", "#meta+referral"),
)


def to_hxl_csv(listings: Sequence[Listing]) -> str:
    """HXL 1.1 CSV: a text header, the hashtag row, one row per (point, service) offered."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\n")
    writer.writerow([c for c, _ in HXL_COLUMNS])
    writer.writerow([t for _, t in HXL_COLUMNS])
    for item in listings:
        p = item.point
        organisation = "; ".join(o.name for o in item.organisations)
        for offer in p.offers:
            writer.writerow(
                [
                    f"itinera-{p.id}",
                    p.name,
                    organisation,
                    offer.service_type,
                    p.lat,
                    p.lon,
                    p.country or "",
                    p.admin_area or "",
                    p.locality or "",
                    p.status.value,
                    p.last_verified.isoformat() if p.last_verified else "",
                    offer.opening_hours or "",
                    " ".join(offer.languages),
                    "yes" if offer.referral_required else "no",
                ]
            )
    return out.getvalue()


def feature(item: Listing) -> dict[str, Any]:
    p = item.point
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]} if p.has_coordinates else None,
        "properties": {
            "id": p.id,
            "name": p.name,
            "kind": p.kind.value,
            "status": p.status.value,
            "stale": item.stale,
            "country": p.country,
            "locality": p.locality,
            "admin_area": p.admin_area,
            "service_types": sorted(p.service_types),
            "organisations": [o.name for o in item.organisations],
            "last_verified": p.last_verified.isoformat() if p.last_verified else None,
            "distance_km": item.distance_km,
        },
    }


def to_geojson(listings: Sequence[Listing]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [feature(i) for i in listings]}


def _alpha2(alpha3: str | None) -> str | None:
    country = pycountry.countries.get(alpha_3=alpha3) if alpha3 else None
    return country.alpha_2 if country else None


_STATUS = {"active": "active", "suspended": "inactive", "planned": "inactive", "closed": "defunct"}


def to_hsds(listings: Sequence[Listing]) -> dict[str, Any]:
    """HSDS 3.0 ``service`` records, each nesting its organization and service_at_locations."""
    services: list[dict[str, Any]] = []
    for item in listings:
        p = item.point
        location = {
            "id": f"itinera-location-{p.id}",
            "name": p.name,
            "location_type": "physical",
            "latitude": p.lat,
            "longitude": p.lon,
            "addresses": [
                {
                    "id": f"itinera-address-{p.id}",
                    "address_1": "",
                    "city": p.locality or "",
                    "state_province": p.admin_area or "",
                    "postal_code": "",
                    "country": _alpha2(p.country) or "",
                    "address_type": "physical",
                }
            ],
            "extra": {"kind": p.kind.value},
        }
        organisation = item.organisations[0] if item.organisations else None
        for n, offer in enumerate(p.offers):
            services.append(
                {
                    "id": f"itinera-service-{p.id}-{n}",
                    "name": f"{offer.service_type} at {p.name}",
                    "status": _STATUS[p.status.value],
                    "organization": {
                        "id": f"itinera-organisation-{organisation.id}",
                        "name": organisation.name,
                    }
                    if organisation
                    else None,
                    "eligibility_description": offer.eligibility,
                    "fees_description": offer.cost,
                    "assured_date": p.last_verified.isoformat() if p.last_verified else None,
                    "assurer_email": p.verified_by,
                    "languages": [
                        {"id": f"itinera-language-{p.id}-{n}-{c}", "code": c}
                        for c in offer.languages
                    ],
                    "schedules": [
                        {"id": f"itinera-schedule-{p.id}-{n}", "description": offer.opening_hours}
                    ]
                    if offer.opening_hours
                    else [],
                    "phones": [
                        {"id": f"itinera-phone-{p.id}-{i}", "number": c.value}
                        for i, c in enumerate(p.contacts)
                        if c.kind.value == "phone"
                    ],
                    "attributes": [
                        {
                            "id": f"itinera-attribute-{p.id}-{n}",
                            "link_type": "service_type",
                            "taxonomy_term": {
                                "id": f"itinera-term-{offer.service_type}",
                                "code": offer.service_type,
                                "name": offer.service_type,
                                "taxonomy": TAXONOMY,
                            },
                        }
                    ],
                    "service_at_locations": [
                        {"id": f"itinera-sal-{p.id}-{n}", "location": location}
                    ],
                    "extra": {"referral_required": offer.referral_required},
                }
            )
    return {"services": services}
