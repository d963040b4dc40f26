"""What every command receives: settings, the database, and how to print."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any

import typer

from itinera.config import Settings
from itinera.services.store import Database, open_database

__all__ = ["CliContext", "get_context", "print_json"]


@dataclass
class CliContext:
    settings: Settings
    debug: bool = False
    _database: Database | None = field(default=None, repr=False)

    @property
    def database(self) -> Database:
        if self._database is None:
            self._database = open_database(self.settings)
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()


def get_context(ctx: typer.Context) -> CliContext:
    root = ctx.find_root()
    if not isinstance(root.obj, CliContext):
        root.obj = CliContext(Settings())
    return root.obj


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
