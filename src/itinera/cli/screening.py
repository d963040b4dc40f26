"""``itinera screening``: check the screening questionnaire, rule set and pathways files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from itinera.services.casework.screening import validate_screening_file

__all__ = ["app", "register"]

app = typer.Typer(
    help="Screening questionnaire, rules and referral pathways.", no_args_is_help=True
)


@app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="questionnaire-vN, rules-vN or pathways-vN .yaml")],
) -> None:
    """Validate one file; a rule set is checked with the questionnaire and pathways it names
    (next to it, else the packaged ones). Errors name the file, the rule and the culprit."""
    typer.echo(validate_screening_file(file))


def register(root: typer.Typer) -> None:
    """Add this capability's commands (C7) to the ``itinera`` command (called by ``bootstrap``)."""
    root.add_typer(app, name="screening")
