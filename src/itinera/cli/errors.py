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
from itinera.services.store import store_unavailable

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
        except Exception as exc:
            if not store_unavailable(exc):
                raise
            if ctx.params.get("debug") or getattr(ctx.obj, "debug", False):
                traceback.print_exc()
            typer.echo(_unavailable(exc), err=True)
            raise typer.Exit(1) from None


def _unavailable(exc: BaseException) -> str:
    """The driver's own short reason ("database or disk is full"), never the statement or its
    parameters, which SQLAlchemy's message carries and which may hold personal data."""
    original = getattr(exc, "orig", None) or exc
    reason = (str(original).splitlines() or [""])[0][:200]
    return (
        f"StoreUnavailable: the database cannot be reached or written "
        f"({type(original).__name__}: {reason}); nothing of this command was stored"
    )
