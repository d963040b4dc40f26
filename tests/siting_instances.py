"""Small random siting instances and their optimum by brute force, for the solvers' tests."""

from __future__ import annotations

import itertools
import random

from itinera.domain.siting import Candidate, MclpInstance, covered_weight


def random_instance(seed: int, sites: int, groups: int) -> MclpInstance:
    """Random groups reached by 1–4 of ``sites`` candidates: sites compete for demand."""
    rng = random.Random(seed)
    reach = [tuple(sorted(rng.sample(range(sites), rng.randint(1, 4)))) for _ in range(groups)]
    weights = tuple(rng.uniform(1, 20) for _ in reach)
    return MclpInstance(unnamed_sites(sites), weights, tuple(reach), groups, 0.0, 0.0)


def unnamed_sites(count: int) -> tuple[Candidate, ...]:
    return tuple(Candidate(i, 0.0, 0.0) for i in range(count))


def optimum(instance: MclpInstance, k: int) -> float:
    """What the best k sites cover, every choice tried."""
    subsets = itertools.combinations(range(len(instance.candidates)), k)
    return max(covered_weight(instance, s) for s in subsets)
