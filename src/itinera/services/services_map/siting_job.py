"""Siting of new hubs as a job (issue 10, item 7): the OR-Tools model may run for a minute, so
a logged-in caller can queue it and poll; the job's result is the siting report."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from itinera.config import Settings
from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import ValidationError
from itinera.domain.jobs import Job
from itinera.services.jobs import JobContext, JobKind, register_job_kind, submit_job
from itinera.services.services_map.analysis import site_hubs

__all__ = ["KIND", "register_siting_job", "submit_siting"]

KIND = "services.siting"


def submit_siting(
    db: Any,
    actor: Actor,
    settings: Settings,
    route_ids: list[str],
    k: int,
    *,
    service_types: list[str] | None = None,
    radius_km: float | None = None,
    time_limit_s: float = 60.0,
) -> Job:
    require(actor, Action.VIEW_SERVICES)
    if not 1 <= k <= 100:
        raise ValidationError.single("k", "choose between 1 and 100 sites")
    parameters = {
        "route_ids": route_ids,
        "k": k,
        "service_types": service_types,
        "radius_km": radius_km,
        "time_limit_s": time_limit_s,
    }
    return submit_job(db, actor, KIND, parameters, settings)


def _run(context: JobContext) -> dict[str, Any]:
    parameters = context.parameters
    context.progress(0, 1, "siting")
    report = site_hubs(
        context.db,
        context.actor,
        list(parameters["route_ids"]),
        int(parameters["k"]),
        context.settings,
        service_types=parameters.get("service_types"),
        radius_km=parameters.get("radius_km"),
        time_limit_s=float(parameters.get("time_limit_s", 60.0)),
    )
    context.progress(1, 1, "siting")
    return {"siting": asdict(report)}


def register_siting_job() -> None:
    register_job_kind(JobKind(KIND, _run))
