"""``itinera screening``: check the screening questionnaire, rule set and pathways files, and
administer the stored rules versions (``itinera screening rules list|show|create|activate``,
issue 12) as the ``/admin/screening`` pages do: same checks, same audit trail, as the system
administrator of this installation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from itinera.cli.context import get_context, print_json
from itinera.domain.access import SYSTEM
from itinera.schemas.screening_rules import ScreeningVersionOut, ScreeningVersionSummaryOut
from itinera.services.casework import screening_rules as rules_service
from itinera.services.casework.context import Casework, casework_for
from itinera.services.casework.screening import validate_screening_file

__all__ = ["app", "register"]

app = typer.Typer(
    help="Screening questionnaire, rules and referral pathways.", no_args_is_help=True
)
rules_app = typer.Typer(help="Stored screening rules versions.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
JsonFlag = Annotated[bool, typer.Option("--json", help="machine-readable output")]
PARTS = ("questionnaire", "rules", "pathways")


@app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="questionnaire-vN, rules-vN or pathways-vN .yaml")],
) -> None:
    """Validate one file; a rule set is checked with the questionnaire and pathways it names
    (next to it, else the packaged ones). Errors name the file, the rule and the culprit."""
    typer.echo(validate_screening_file(file))


def _casework(ctx: typer.Context) -> Casework:
    context = get_context(ctx)
    return casework_for(context.settings, context.database)


@rules_app.command("list")
def list_versions(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """Every stored version, the newest first; * marks the active one."""
    found = rules_service.list_screening_versions(_casework(ctx), SYSTEM)
    if json_output:
        print_json([ScreeningVersionSummaryOut.of(v).model_dump(mode="json") for v in found])
        return
    for v in found:
        mark = "*" if v.active else " "
        when = v.created_at.strftime("%Y-%m-%d %H:%M")
        typer.echo(f"{mark} {v.id:>4}  {when}  {v.created_by}  {v.comment}")


@rules_app.command("show")
def show_version(
    ctx: typer.Context,
    version: Annotated[int | None, typer.Argument(help="version number (default: active)")] = None,
    part: Annotated[
        str | None, typer.Option(help="print one text: questionnaire, rules or pathways")
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """One version: who stored it, when and why, and its texts."""
    if part is not None and part not in PARTS:
        raise typer.BadParameter(f"one of {', '.join(PARTS)}", param_hint="--part")
    found = ScreeningVersionOut.of(
        rules_service.get_screening_version(_casework(ctx), SYSTEM, version)
    )
    if json_output:
        print_json(found.model_dump(mode="json"))
    elif part is not None:
        typer.echo(getattr(found, part), nl=False)
    else:
        state = "active" if found.active else "not active"
        typer.echo(f"version {found.id} ({state}), {found.created_by}, {found.created_at}")
        typer.echo(found.comment)


@rules_app.command("create")
def create_version(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="rules, questionnaire and/or pathways .yaml files")
    ],
    comment: Annotated[str, typer.Option(help="what changed and why (required)")],
    based_on: Annotated[
        int | None, typer.Option(help="take the texts not given from this version")
    ] = None,
    activate: Annotated[bool, typer.Option(help="make it the active version")] = False,
) -> None:
    """Store a new version from YAML files (told apart by content); the texts not given are
    those of the active version. Checked as ``itinera screening validate``; audited."""
    cw = _casework(ctx)
    given = []
    for path in files:
        try:
            given.append((path.name, path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            message = f"{path}: cannot be read ({exc})"
            raise typer.BadParameter(message, param_hint="FILES") from exc
    texts = rules_service.draft_from_parts(cw, SYSTEM, given, based_on)
    number = rules_service.save_screening_version(cw, SYSTEM, texts, comment, activate=activate)
    typer.echo(f"version {number} stored" + (" and active" if activate else ""))


@rules_app.command("activate")
def activate_version(
    ctx: typer.Context, version: Annotated[int, typer.Argument(help="version number")]
) -> None:
    """Make a stored version the one new screenings use (audited)."""
    rules_service.activate_screening_version(_casework(ctx), SYSTEM, version)
    typer.echo(f"version {version} is active")


def register(root: typer.Typer) -> None:
    """Add this capability's commands (C7) to the ``itinera`` command (called by ``bootstrap``)."""
    root.add_typer(app, name="screening")
