"""Python's cyclic garbage collector in a server process (issue 14, decision 0037).

Under 200 unpaced clients the intake's slowest 5 % were waiting on full (generation 2)
collections: each walked the ~260,000 objects left by start-up (modules, routes, models,
templates, the mapped tables), 200–400 ms with the interpreter lock held, and the event loop
and the intake writer stopped alike. Those objects live as long as the process, so once the app
is built they are moved out of the collector's sight (``gc.freeze``); and the youngest
generation is collected every 10,000 allocations instead of 700, a few times fewer pauses, each
still short. Cycles made while serving are found and freed as before.

Only a serving process calls this (``bootstrap.build_server_app``): a test process building many
apps must not keep them all.
"""

from __future__ import annotations

import gc

__all__ = ["SERVING_THRESHOLDS", "settle_after_start_up"]

SERVING_THRESHOLDS = (10_000, 10, 10)
"""Allocations before a young collection, young collections before a middle one, middle ones
before a full one (Python's defaults: 700, 10, 10)."""


def settle_after_start_up() -> None:
    """Collect start-up's garbage once, then leave what remains out of every later collection."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_THRESHOLDS)
