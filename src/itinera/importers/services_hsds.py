"""Open Referral HSDS 3.0 service directories (JSON), read into raw service points.

Accepted shapes: a list of HSDS ``service`` objects, ``{"services": [...]}``, or an HSDS API
page ``{"contents": [...]}``. Each service names its ``organization`` and its
``service_at_locations`` (each with a nested ``location``); one Itinera service point is made
per location, and each service at it becomes an offer. A service's type is read from an
``attributes[].taxonomy_term`` of the ``itinera-service-types`` taxonomy when present, else its
name goes through the sector table like a 3W sector. ``assured_date``/``assurer_email`` are the
"last verified" date and who verified it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from itinera.domain.issues import Issue
from itinera.importers.limits import FileLimitError, check_json_size
from itinera.importers.services_rows import (
    RawOffer,
    RawPoint,
    ReadOutcome,
    coordinate,
    country_alpha3,
)

__all__ = ["HSDS_STATUS", "TAXONOMY", "read_hsds_services", "schedule_text"]

TAXONOMY = "itinera-service-types"
HSDS_STATUS = {
    "active": "active",
    "inactive": "suspended",
    "temporarily closed": "suspended",
    "defunct": "closed",
}
_DAYS = {"MO": "Mo", "TU": "Tu", "WE": "We", "TH": "Th", "FR": "Fr", "SA": "Sa", "SU": "Su"}


def schedule_text(schedules: list[dict[str, Any]]) -> str | None:
    """Opening hours from HSDS schedules: their ``description`` if in our shape, else built
    from ``byday`` + ``opens_at``/``closes_at``."""
    rules: list[str] = []
    for schedule in schedules:
        if schedule.get("description"):
            return str(schedule["description"])
        opens, closes = schedule.get("opens_at"), schedule.get("closes_at")
        if not (opens and closes):
            continue
        days = ",".join(
            _DAYS.get(d.strip().upper(), d)
            for d in str(schedule.get("byday") or "").split(",")
            if d.strip()
        )
        rules.append(f"{days} {opens[:5]}-{closes[:5]}".strip())
    return "; ".join(rules) or None


def read_hsds_services(path: Path) -> ReadOutcome:
    outcome = ReadOutcome("hsds")
    try:
        check_json_size(path)  # parsed whole, so bounded first
        document = json.loads(path.read_text("utf-8-sig"))
    except FileLimitError as error:
        outcome.issues.append(Issue(path.name, str(error)))
        return outcome
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        outcome.issues.append(Issue(path.name, f"not a JSON document ({error})"))
        return outcome
    except RecursionError:
        outcome.issues.append(Issue(path.name, "the JSON document is nested too deeply"))
        return outcome
    services = document
    if isinstance(document, dict):
        services = document.get("services", document.get("contents"))
    if not isinstance(services, list):
        outcome.issues.append(
            Issue(
                path.name,
                "expected a list of HSDS services, {'services': [...]} or an API "
                "page {'contents': [...]}",
            )
        )
        return outcome
    points: dict[str, RawPoint] = {}
    for number, service in enumerate(services, start=1):
        outcome.rows_read += 1
        where = f"services[{number - 1}]"
        if not isinstance(service, dict) or not service.get("name"):
            outcome.issues.append(
                Issue(path.name, "a service needs a name", number, f"{where}.name")
            )
            outcome.rejected_rows.add(number)
            continue
        organisation = (service.get("organization") or {}).get("name")
        code = next(
            (
                a["taxonomy_term"].get("code")
                for a in service.get("attributes") or []
                if (a.get("taxonomy_term") or {}).get("taxonomy") == TAXONOMY
            ),
            None,
        )
        offer = RawOffer(
            number,
            f"{where}.name",
            label=None if code else service["name"],
            service_type=code,
            eligibility=service.get("eligibility_description"),
            cost=service.get("fees_description"),
            languages=[
                str(lang.get("code")) for lang in service.get("languages") or [] if lang.get("code")
            ],
            opening_hours=schedule_text(service.get("schedules") or []),
            referral_required=bool((service.get("extra") or {}).get("referral_required", False)),
            organisation=organisation,
        )
        sals = service.get("service_at_locations") or []
        if not sals:
            outcome.issues.append(
                Issue(
                    path.name,
                    "the service has no location",
                    number,
                    f"{where}.service_at_locations",
                )
            )
            outcome.rejected_rows.add(number)
            continue
        for j, sal in enumerate(sals):
            location = sal.get("location") or {}
            field = f"{where}.service_at_locations[{j}].location"
            lat = coordinate(_text(location.get("latitude")), -90, 90)
            lon = coordinate(_text(location.get("longitude")), -180, 180)
            bad = [
                (n, v)
                for n, v in (("latitude", lat), ("longitude", lon))
                if not isinstance(v, float)
            ]
            if bad or not location.get("id"):
                for name, value in bad:
                    outcome.issues.append(
                        Issue(
                            path.name,
                            value if isinstance(value, str) else "missing",
                            number,
                            f"{field}.{name}",
                        )
                    )
                if not location.get("id"):
                    outcome.issues.append(Issue(path.name, "missing", number, f"{field}.id"))
                outcome.rejected_rows.add(number)
                continue
            assert isinstance(lat, float) and isinstance(lon, float)
            point = points.get(location["id"])
            if point is None:
                address = (location.get("addresses") or [{}])[0]
                country = address.get("country")
                point = points[location["id"]] = RawPoint(
                    number,
                    str(location["id"]),
                    str(location.get("name") or service["name"]),
                    lat,
                    lon,
                    kind=(location.get("extra") or {}).get("kind"),
                    country=country_alpha3(country) if country else None,  # "CG" or "COG"
                    admin_area=address.get("state_province") or address.get("region"),
                    locality=address.get("city") or address.get("locality"),
                    status=HSDS_STATUS.get(str(service.get("status", "")).lower()),
                    last_verified=service.get("assured_date"),
                    verified_by=service.get("assurer_email"),
                )
                for phone in service.get("phones") or []:
                    point.contacts.append(("phone", str(phone.get("number"))))
                for kind in ("email", "url"):
                    if service.get(kind):
                        point.contacts.append(
                            ("website" if kind == "url" else kind, str(service[kind]))
                        )
            if organisation and organisation not in point.organisations:
                point.organisations.append(organisation)
            point.offers.append(offer)
    outcome.points = list(points.values())
    return outcome


def _text(value: object) -> str | None:
    return None if value is None else str(value)
