"""The baseline server of ``casework_load.py``: ``itinera serve`` with protection off.

Run as ``python benchmarks/casework_baseline.py serve --port P``. In this process only (no
setting of the product can do it): the app's casework gets a pass-through cipher (no field
encryption) and a no-op audit trail (no hash chain, no entry per read or change), and the
role × action matrix allows every action to every role (no access checks). Logins, sessions
and the organisation scoping of queries stay: the clients and the answers need them.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["PlainCipher", "no_audit", "serve_unprotected"]


class PlainCipher:
    """Benchmark only: stores the text as is."""

    def encrypt(self, plaintext: str, *, context: str) -> str:
        return plaintext

    def decrypt(self, token: str, *, context: str) -> str:
        return token


def no_audit(*_: Any, **__: Any) -> None:
    """Benchmark only: records nothing."""


def serve_unprotected(argv: list[str]) -> None:
    import itinera.bootstrap as bootstrap
    from itinera.domain.access import MATRIX, Action
    from itinera.services.casework.context import Casework

    build = bootstrap.build_app

    def build_unprotected(settings: Any, database: Any = None) -> Any:
        app = build(settings, database)
        app.state.casework = Casework(app.state.database, PlainCipher(), no_audit)
        return app

    bootstrap.build_app = build_unprotected  # type: ignore[assignment]
    for role in MATRIX:
        MATRIX[role] = frozenset(Action)
    sys.argv = ["itinera", *argv]
    bootstrap.main()


if __name__ == "__main__":
    serve_unprotected(sys.argv[1:])
