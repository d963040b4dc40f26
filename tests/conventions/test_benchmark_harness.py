"""The benchmarks' shared helper (issue 13): varied order, agreement, goals, sections in place."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

HARNESS = Path(__file__).parents[2] / "benchmarks" / "harness.py"


def _harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_harness", HARNESS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_no_label_always_runs_first_and_pairs_change_order() -> None:
    orders = _harness().orders(["a", "b"], 4)
    assert [o[0] for o in orders] == ["a", "b", "b", "a"]
    three = _harness().orders(["a", "b", "c"], 6)
    assert {o[0] for o in three} == {"a", "b", "c"} and len({tuple(o) for o in three}) == 6


def test_fewer_than_three_rounds_and_disagreeing_answers_are_refused() -> None:
    harness = _harness()
    with pytest.raises(ValueError):
        harness.alternate({"a": lambda: 1, "b": lambda: 1}, rounds=2)
    with pytest.raises(AssertionError, match="b disagrees with a"):
        harness.alternate({"a": lambda: 1, "b": lambda: 2}, rounds=3, same=lambda x, y: x == y)
    rounds = harness.alternate({"a": lambda: 1, "b": lambda: 1}, rounds=3, same=int.__eq__)
    assert len(rounds.seconds["a"]) == len(rounds.cpu["b"]) == 3 and len(rounds.loads) == 6


def test_a_section_is_replaced_in_place_and_a_missed_goal_fails(tmp_path: Path) -> None:
    harness = _harness()
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n## Old\n\nhand-written\n", encoding="utf-8")
    first = harness.Report("Speed", "python x.py", results)
    first.goal("fast enough", 1.5, "<=", 2.0, " s")
    first.finish()
    second = harness.Report("Speed", "python x.py", results)
    second.goal("fast enough", 2.5, "<=", 2.0, " s")
    with pytest.raises(SystemExit) as exit_code:
        second.finish()
    assert exit_code.value.code == 1
    text = results.read_text(encoding="utf-8")
    assert text.count("## Speed") == 1 and "hand-written" in text
    assert "measured 2.500 s <= 2 s) — **NOT met**" in text and "1.500" not in text
    summary = text.split("## Goals at a glance")[1].split("## ")[0]
    assert "- Speed: fast enough (measured 2.500 s <= 2 s) — **NOT met**" in summary
