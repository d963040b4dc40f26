"""One error shape for the CLI: ``ErrorName: message``, a hint, no traceback unless --debug.

Exit codes: 0 ok, 1 failure or rows rejected, 2 usage (STYLE.md rule 4).
"""

from __future__ import annotations

import traceback
from typing import Any

import click
import typer
from pydantic import ValidationError as PydanticValidationError
from typer.core import TyperGroup

from itinera.domain.errors import ItineraError, ValidationError

__all__ = ["ErrorReportingGroup", "format_error"]


def format_error(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return f"ValidationError: {exc.message}"
    if isinstance(exc, ItineraError):
        line = f"{type(exc).__name__}: {exc.message}"
        return f"{line}\nhint: {exc.hint}" if exc.hint else line
    if isinstance(exc, PydanticValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return f"SettingsError: {problems}"
    return f"{type(exc).__name__}: {exc}"


class ErrorReportingGroup(TyperGroup):
    """Turns expected errors into one clear line on stderr and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ItineraError, PydanticValidationError) as exc:
            if ctx.params.get("debug") or getattr(ctx.obj, "debug", False):
                traceback.print_exc()
            typer.echo(format_error(exc), err=True)
            raise typer.Exit(1) from None
