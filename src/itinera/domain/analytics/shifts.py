"""Shifts between linked routes: each route's share of its group's monthly total, the change of
that share against the mean of the three previous months, the correlation of monthly changes
between linked routes, and alerts with a sentence that explains them.

A share is defined for a month only when every route of the group has a figure for it (otherwise
the group total is incomplete) and the total is above zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from itinera.domain.analytics.series import Month
from itinera.domain.text import LocalisedText

__all__ = [
    "ShiftAlert",
    "correlation",
    "detect_shifts",
    "explain",
    "localised_explanation",
    "share_changes",
    "shares",
]

GroupSeries = Mapping[str, Mapping[Month, float]]  # route id -> month -> value
BASE_MONTHS = 3


def shares(group: GroupSeries, months: Iterable[Month]) -> dict[str, dict[Month, float | None]]:
    result: dict[str, dict[Month, float | None]] = {route: {} for route in group}
    for m in months:
        values = [group[route].get(m) for route in group]
        total = None if any(v is None for v in values) else sum(v for v in values if v)
        for route in group:
            value = group[route].get(m)
            result[route][m] = value / total if total and value is not None else None
    return result


def _base(share: Mapping[Month, float | None], month: Month) -> float | None:
    previous = [share.get(month.shift(-k)) for k in range(1, BASE_MONTHS + 1)]
    if any(p is None for p in previous):
        return None
    return sum(p for p in previous if p is not None) / BASE_MONTHS


def share_changes(
    route_shares: Mapping[Month, float | None], months: Iterable[Month]
) -> dict[Month, float | None]:
    """Share of the month minus the mean share of the three months before (None if any is
    missing). In share units: 0.19 is 19 percentage points."""
    result: dict[Month, float | None] = {}
    for m in months:
        now, base = route_shares.get(m), _base(route_shares, m)
        result[m] = None if now is None or base is None else now - base
    return result


def correlation(
    a: Mapping[Month, float], b: Mapping[Month, float], min_points: int = 6
) -> float | None:
    """Pearson correlation of the month-on-month changes of two series over the months where
    both changes exist; None with fewer than ``min_points`` pairs or no variation."""
    pairs = [
        (a[m] - a[m.shift(-1)], b[m] - b[m.shift(-1)])
        for m in sorted(a)
        if m in b and m.shift(-1) in a and m.shift(-1) in b
    ]
    if len(pairs) < min_points:
        return None
    mean_x = sum(x for x, _ in pairs) / len(pairs)
    mean_y = sum(y for _, y in pairs) / len(pairs)
    cov = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    var_x = sum((x - mean_x) ** 2 for x, _ in pairs)
    var_y = sum((y - mean_y) ** 2 for _, y in pairs)
    if var_x == 0 or var_y == 0:
        return None
    return cov / math.sqrt(var_x * var_y)


@dataclass(frozen=True)
class ShiftAlert:
    group: str
    month: Month
    route: str
    share_before: float  # mean share of the three previous months
    share_now: float
    counterpart: str | None  # the group's route that moved most the other way
    counterpart_before: float | None
    counterpart_now: float | None
    # The route's own figure (issue 11): a share can rise while the crossings fall by half, so
    # the alert says what the volume did: the mean of the three previous months, and the month.
    volume_before: float | None = None
    volume_now: float | None = None

    @property
    def change_points(self) -> float:
        return (self.share_now - self.share_before) * 100

    @property
    def volume_change(self) -> float | None:
        """The volume's change against the three months before, as a share (-0.42: fell 42%)."""
        if self.volume_before is None or self.volume_now is None or not self.volume_before:
            return None
        return self.volume_now / self.volume_before - 1


def detect_shifts(
    group_id: str, group: GroupSeries, months: Iterable[Month], threshold_points: float = 10.0
) -> list[ShiftAlert]:
    """An alert for each route and month whose share moved by at least ``threshold_points``
    percentage points against the mean of the three previous months."""
    wanted = list(months)
    all_months = sorted({m for series in group.values() for m in series} | set(wanted))
    share = shares(group, all_months)
    changes = {route: share_changes(share[route], wanted) for route in group}
    alerts = []
    for m in wanted:
        for route in sorted(group):
            moved = changes[route][m]
            if moved is None or abs(moved) * 100 < threshold_points:
                continue
            opposite = [
                (r, c)
                for r in sorted(group)
                if r != route and (c := changes[r][m]) is not None and c * moved < 0
            ]
            counterpart = max(opposite, key=lambda rc: abs(rc[1] or 0))[0] if opposite else None
            now, base = share[route][m], _base(share[route], m)
            assert now is not None and base is not None
            previous = [group[route].get(m.shift(-k)) for k in range(1, BASE_MONTHS + 1)]
            volume_before = sum(v or 0 for v in previous) / BASE_MONTHS
            alerts.append(
                ShiftAlert(
                    group_id,
                    m,
                    route,
                    base,
                    now,
                    counterpart,
                    _base(share[counterpart], m) if counterpart else None,
                    share[counterpart][m] if counterpart else None,
                    volume_before,
                    group[route].get(m),
                )
            )
    return alerts


_VERB = {
    "en": ("rose", "fell"),
    "fr": ("est passée", "est passée"),
    "ar": ("ارتفعت", "تراجعت"),
}


def _pct(share: float | None, language: str) -> str:
    value = round((share or 0) * 100)
    return f"{value}\u202f%" if language == "fr" else f"{value}%"


def explain(
    alert: ShiftAlert, route_names: Mapping[str, str], group_name: str, language: str = "en"
) -> str:
    """One sentence in ``language`` (en, fr or ar; others fall back to English)."""
    lang = language if language in _VERB else "en"
    up, down = _VERB[lang]
    rising = alert.share_now > alert.share_before
    name = route_names.get(alert.route, alert.route)
    before, now = _pct(alert.share_before, lang), _pct(alert.share_now, lang)
    if lang == "fr":
        text = f"La part de {name} dans {group_name} est passée de {before} à {now}"
    elif lang == "ar":
        text = f"{up if rising else down} حصة {name} من {group_name} من {before} إلى {now}"
    else:
        text = f"{name} share of {group_name} {up if rising else down} from {before} to {now}"
    volume = _volume(alert, lang)
    if alert.counterpart is None:
        return text + "." + volume
    other = route_names.get(alert.counterpart, alert.counterpart)
    other_before = _pct(alert.counterpart_before, lang)
    other_now = _pct(alert.counterpart_now, lang)
    if lang == "fr":
        text = f"{text}, tandis que celle de {other} est passée de {other_before} à {other_now}."
    elif lang == "ar":
        verb = down if rising else up
        text = f"{text}، بينما {verb} حصة {other} من {other_before} إلى {other_now}."
    else:
        verb = down if rising else up
        text = f"{text} while {other} {verb} from {other_before} to {other_now}."
    return text + volume


def _volume(alert: ShiftAlert, lang: str) -> str:
    """The sentence on the route's own figure, so that a rising share over falling crossings
    reads as what it is."""
    change = alert.volume_change
    if change is None or alert.volume_now is None or alert.volume_before is None:
        return ""
    before, now = round(alert.volume_before), round(alert.volume_now)
    percent = round(abs(change) * 100)
    if lang == "fr":
        sens = "hausse" if change >= 0 else "baisse"
        return (
            f" Son volume est passé de {before:,} à {now:,} par mois ({sens} de {percent}\u202f%)."
        ).replace(",", "\u202f")
    if lang == "ar":
        verb = "ارتفع" if change >= 0 else "انخفض"
        return f" {verb} حجمه من {before:,} إلى {now:,} شهرياً ({percent}%)."
    verb = "rose" if change >= 0 else "fell"
    return f" Its own figure {verb} from {before:,} to {now:,} a month ({percent}%)."


def localised_explanation(
    alert: ShiftAlert, route_names: Mapping[str, LocalisedText], group_name: LocalisedText
) -> LocalisedText:
    """The sentence in every language, names taken in that language (English as fallback)."""
    result: dict[str, str] = {}
    for lang in _VERB:
        names = {r: n.get(lang) or n.get("en") or r for r, n in route_names.items()}
        result[lang] = explain(
            alert, names, group_name.get(lang) or group_name.get("en") or "", lang
        )
    return result
