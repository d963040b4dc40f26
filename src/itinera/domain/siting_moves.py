"""Single-site moves on a choice of sites, their gains kept up to date move by move (issue 13,
decision 0045).

``swap_search`` (``domain.siting_search``) used to compute, for every exchange it made, what
each exchange would gain from scratch: a dozen passes over the whole incidence (60 ms at two
million (group, site) pairs). Only the groups reached by the site that leaves or the site that
comes change, so ``Moves`` keeps the three tables of that computation and corrects them for
those groups' entries alone (tens of thousands of entries against two million: under a
millisecond a move on the hard case's pool):

- ``gain[j]``: the demand of the groups no chosen site reaches that site j reaches;
- ``loss[i]``: the demand of the groups only the site in slot i reaches;
- ``kept[j, i]``: of ``loss[i]``, what site j reaches too (it stays covered if j replaces i).

Exchanging slot i's site for j then changes the coverage by ``gain[j] − loss[i] + kept[j, i]``.
A slot may be empty (site −1) while a search takes sites out and puts others in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from itinera.domain.siting import CoverArrays

__all__ = ["Moves"]

Ints = NDArray[np.int64]


class Moves:
    """k slots, each holding a site or none, and what any single move would change."""

    def __init__(self, arrays: CoverArrays, chosen: Sequence[int] | Ints) -> None:
        self.arrays = arrays
        self.chosen = np.asarray(chosen, dtype=np.int64).copy()
        self.k = len(self.chosen)
        n = arrays.sites
        self.slot = np.full(n, -1, dtype=np.int64)
        held = self.chosen >= 0
        self.slot[self.chosen[held]] = np.flatnonzero(held)
        self.count = np.bincount(
            arrays.group[self.slot[arrays.site] >= 0], minlength=len(arrays.weights)
        )
        self.owner = np.full(len(arrays.weights), -1, dtype=np.int64)
        self.gain = np.zeros(n)
        self.loss = np.zeros(self.k)
        self.kept = np.zeros(n * self.k)
        self.value = float(arrays.weights[self.count > 0].sum())
        every = np.arange(len(arrays.weights))
        self._account(every, arrays.site, arrays.group, arrays.weights[arrays.group], 1.0)

    def copy(self) -> Moves:
        other = object.__new__(Moves)
        other.__dict__.update(
            {
                key: value.copy() if isinstance(value, np.ndarray) else value
                for key, value in self.__dict__.items()
            }
        )
        return other

    def best_exchange(self) -> tuple[int, int, float]:
        """(slot, site, change in coverage) of the best exchange of a chosen site for another
        (every slot filled)."""
        delta = self.gain[:, None] - self.loss[None, :] + self.kept.reshape(-1, self.k)
        delta[self.chosen[self.chosen >= 0]] = -np.inf
        best = int(np.argmax(delta))
        site, slot = divmod(best, self.k)
        return slot, site, float(delta[site, slot])

    def best_addition(self, barred: Ints) -> int:
        """The site not chosen nor ``barred`` that would add the most demand."""
        gain = self.gain.copy()
        gain[self.chosen[self.chosen >= 0]] = -np.inf
        gain[barred] = -np.inf
        return int(np.argmax(gain))

    def move(self, slot: int, site: int) -> None:
        """Slot ``slot`` takes ``site`` (−1: empties it); its site before leaves."""
        old = int(self.chosen[slot])
        reached = [self.arrays.groups_of(j) for j in (old, site) if j >= 0]
        if not reached:
            return
        touched = np.unique(np.concatenate(reached))
        # the touched groups' entries, read once for taking away and adding back
        entries, lengths = self.arrays.entries_of(touched)
        sites, of = self.arrays.site[entries], np.repeat(touched, lengths)
        weight = self.arrays.weights[of]
        before = self.count[touched] > 0
        self._account(touched, sites, of, weight, -1.0)
        if old >= 0:
            self.count[self.arrays.groups_of(old)] -= 1
            self.slot[old] = -1
        if site >= 0:
            self.count[self.arrays.groups_of(site)] += 1
            self.slot[site] = slot
        self.chosen[slot] = site
        after = self.count[touched] > 0
        weights = self.arrays.weights[touched]
        self.value += float(weights[after & ~before].sum() - weights[before & ~after].sum())
        self._account(touched, sites, of, weight, 1.0)

    def _account(
        self, groups: Ints, sites: Ints, of: Ints, weight: NDArray[np.float64], sign: float
    ) -> None:
        """Add (sign 1) or take away (−1) what ``groups`` (distinct) bring to the tables, at
        the present counts, from their entries (``sites``, each entry's group ``of`` and its
        ``weight``); taking away sets no owner, adding sets each alone group's."""
        k = self.k
        counts = self.count[of]
        free = counts == 0
        self.gain += np.bincount(sites[free], weights=weight[free], minlength=len(self.gain)) * sign
        alone = counts == 1
        if sign > 0:
            held = alone & (self.slot[sites] >= 0)
            self.owner[of[held]] = self.slot[sites[held]]
        single = groups[self.count[groups] == 1]
        self.loss += sign * np.bincount(
            self.owner[single], weights=self.arrays.weights[single], minlength=k
        )
        # a few thousand cells of the n × k table: added in place, not through a table-sized
        # array per move (that was three quarters of a move's time)
        np.add.at(self.kept, sites[alone] * k + self.owner[of[alone]], sign * weight[alone])
