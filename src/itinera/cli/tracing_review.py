"""``itinera tracing requests add|list`` and ``itinera tracing review``: the tracing team's
work at the command line, acting for one organisation.

The operator names the organisation (``--org``) and the reviewer (``--reviewer``): the command
line holds the database and the key already, so these say on whose behalf the work is recorded
(in the audit trail and the reviews), the same rules apply as on the pages: only the
organisation's own requests and candidates, a child's match confirmed by a second, different
reviewer, every view and decision audited.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError as WireError

from itinera.cli.context import get_context, print_json
from itinera.cli.imports import print_issues
from itinera.domain.access import Actor, Role
from itinera.domain.errors import ValidationError
from itinera.domain.tracing import Decision
from itinera.domain.tracing_view import PairSide
from itinera.schemas.tracing import TracingRequestIn, TracingRequestOut
from itinera.services.accounts import users as accounts
from itinera.services.imports import ImportStatus
from itinera.services.store import Database
from itinera.services.tracing.context import tracing_for
from itinera.services.tracing.exchange import import_pfif
from itinera.services.tracing.pair import side_by_side
from itinera.services.tracing.requests import create_request, list_requests
from itinera.services.tracing.review import decide, review_queue

__all__ = ["register_review"]

Org = Annotated[str, typer.Option("--org", help="organisation name or acronym acted for")]
Reviewer = Annotated[str, typer.Option("--reviewer", help="who decides (recorded)")]
_CHOICES = {"m": Decision.MATCH, "n": Decision.NOT_A_MATCH, "i": Decision.MORE_INFORMATION}


def _actor(db: Database, org: str, name: str) -> Actor:
    for organisation in accounts.list_organisations(db):
        if org in (organisation.name, organisation.acronym) and organisation.id is not None:
            username = f"cli:{name.strip()[:56]}"
            return Actor(username, frozenset({Role.TRACING}), organisation_id=organisation.id)
    raise ValidationError.single("org", f"no organisation called {org!r} (itinera orgs list)")


def _read_request(source: Path) -> TracingRequestIn:
    text = sys.stdin.read() if str(source) == "-" else source.read_text(encoding="utf-8")
    try:
        return TracingRequestIn.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ValidationError.single("file", f"{source}: not JSON (line {exc.lineno})") from None
    except WireError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ValidationError.single("file", f"{source}: {problems}") from None


requests_app = typer.Typer(help="Tracing requests of one organisation.", no_args_is_help=True)


@requests_app.command("add")
def add(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="the request as the API's JSON, - for stdin")],
    org: Org,
    user: Annotated[str, typer.Option("--as", help="who records it")] = "operator",
) -> None:
    """Record a tracing request (the JSON body of POST /api/tracing/requests)."""
    data = _read_request(source)
    context = get_context(ctx)
    tr = tracing_for(context.settings, context.database)
    request = create_request(
        tr, _actor(context.database, org, user), data.to_domain(), origin="cli"
    )
    typer.echo(request.id)


@requests_app.command("list")
def list_(
    ctx: typer.Context,
    org: Org,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """The organisation's requests: number, status, persons sought (nothing decrypted)."""
    context = get_context(ctx)
    tr = tracing_for(context.settings, context.database)
    found = [TracingRequestOut.of(r) for r in list_requests(tr, _actor(tr.db, org, "operator"))]
    if as_json:
        print_json([r.model_dump() for r in found])
        return
    for r in found:
        typer.echo(f"{r.id}  {r.status}  {r.persons} sought  {r.created_at[:10]}")


def _side(side: PairSide) -> list[str]:
    names = ", ".join(
        given if given.casefold() == latin else f"{given} ({latin})" for given, latin in side.names
    )
    lines = [f"  {side.kind} {side.reference}: {names or '—'}"]
    if side.event:
        lines.append("    " + "; ".join(f"{label} {value}" for label, value in side.event))
    else:
        lines.append(
            f"    sex {side.sex or '—'}, born {side.birth or '—'}, {side.nationality or '—'}"
        )
    return lines


def review(ctx: typer.Context, org: Org, reviewer: Reviewer) -> None:
    """Review pending candidates one by one: the pair side by side with its explanation, then
    match (m), not a match (n), need more information (i), skip (s) or quit (q)."""
    context = get_context(ctx)
    tr = tracing_for(context.settings, context.database)
    actor = _actor(tr.db, org, reviewer)
    queue = review_queue(tr, actor)
    typer.echo(f"{len(queue)} candidates to review")
    for candidate in queue:
        view = side_by_side(tr, actor, candidate.id, origin="cli")
        child = " — a child: a second reviewer confirms" if candidate.child else ""
        typer.echo(
            f"\ncandidate {candidate.id} ({candidate.kind.value}), probability "
            f"{candidate.probability:.3f}, {candidate.band.value}, {candidate.status.value}{child}"
        )
        for line in (*_side(view.sought), *_side(view.other)):
            typer.echo(line)
        for step in candidate.explanation:
            typer.echo(f"    {step.comparison}: {step.level} ({step.weight:+.2f})")
        choice = typer.prompt("match, not a match, more information, skip, quit [m/n/i/s/q]")
        if choice.strip().lower() == "q":
            break
        decision = _CHOICES.get(choice.strip().lower())
        if decision is None:
            continue
        decided = decide(tr, actor, candidate.id, decision, typer.prompt("reason"), origin="cli")
        typer.echo(f"candidate {candidate.id}: {decided.status.value}")


def import_(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="PFIF 1.4 XML file")],
    org: Org,
    domain: Annotated[str, typer.Option(help="your own PFIF record domain")] = "itinera.local",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check, store nothing")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Import persons and notes from another tracing service's PFIF 1.4 file (conflicts with
    records held here are reported, never applied)."""
    context = get_context(ctx)
    tr = tracing_for(context.settings, context.database)
    actor = _actor(tr.db, org, "operator")
    report = import_pfif(tr, actor, source, domain=domain, dry_run=dry_run)
    if as_json:
        print_json(report.as_dict())
    else:
        counts = ", ".join(f"{n} {k}" for k, n in report.counts.items())
        typer.echo(f"{report.file_name}: {report.status.value} ({counts}) {report.message}")
        print_issues(report)
    if report.status is ImportStatus.REJECTED:
        raise typer.Exit(1)


def register_review(app: typer.Typer) -> None:
    app.add_typer(requests_app, name="requests")
    app.command("review")(review)
    app.command("import")(import_)
