"""A quarterly route report at scale (issue 16, C4): HTML and PDF against a pandas baseline.

    .venv/bin/python benchmarks/bench_reports.py --rows 10000000 --risks 50000 [--rounds 3]

1. A throw-away SQLite store (cached under ``benchmarks/out/`` by its size, built once):
   synthetic observations shaped like real ones through the movement import's bulk path
   (``analytics_store.import_synthetic``, one source per indicator so that the preferred-source
   rule is a plain sum), and ``--risks`` risk observations along the Central Mediterranean.
2. Subject: the report of Q1 2024 for the Central Mediterranean, internal edition, French, as
   ``services.reports.generation.render_report`` builds it (content from the services, charts
   by vl-convert, Jinja2) — HTML, then the PDF of the same HTML (WeasyPrint, PDF/UA-1).
3. Baseline, in the same rounds: the same key figures, monthly series, nationality breakdown
   and risk counts from a pandas query of the same rows, the same charts, written to HTML with
   Jinja2. Every run's monthly figures must equal the baseline's.
Goals: HTML <= 5 s, PDF <= 15 s, HTML <= 1.5x the baseline. Never run in CI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from jinja2 import Environment

sys.path.insert(0, str(Path(__file__).parent))

from analytics_store import COUNTRIES, NATIONALITIES, ROUTES, import_synthetic
from harness import Report, alternate

from itinera.bootstrap import register_capabilities
from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.domain.monitoring import Confidentiality, RiskObservation
from itinera.reports import charts
from itinera.reports.document import render_html, render_pdf
from itinera.services.analytics.cache import ensure_current
from itinera.services.reports.content import ReportRequest, assemble
from itinera.services.reports.labels import report_labels
from itinera.services.setup import initialise
from itinera.storage.database import Database
from itinera.storage.monitoring.monitoring_repository import MonitoringRepository

OUT = Path(__file__).with_name("out")
ROUTE = "central-mediterranean"
INDICATORS = ["arrivals", "interceptions", "dead_and_missing"]
UNITS = ["persons", "persons", "persons"]
MONTHS = [f"{2018 + m // 12}-{m % 12 + 1:02d}-01" for m in range(84)]  # 2018-01 … 2024-12
QUARTER = ("2024-01-01", "2024-03-01")
KINDS = ["death", "kidnapping", "detention", "extortion", "robbery", "abandonment-sea"]
WHO = ["smugglers", "criminal-groups", "security-forces", "border-officials", "unknown"]


def synthetic_one_source(rows: int, batches: list[tuple[int, int]], seed: int) -> pa.Table:
    """Rows whose batch (hence source) follows the indicator: batch i carries indicator i."""
    rng = np.random.default_rng(seed)
    ind = rng.integers(0, len(INDICATORS), rows)
    kind = rng.integers(0, 4, rows)
    batch_ids = np.array([b for b, _ in batches])
    source_ids = np.array([s for _, s in batches])
    return pa.table(
        {
            "batch_id": batch_ids[ind],
            "source_id": source_ids[ind],
            "indicator": np.array(INDICATORS)[ind],
            "value": rng.integers(1, 400, rows).astype(float),
            "unit": np.array(UNITS)[ind],
            "period_start": np.array(MONTHS)[rng.integers(0, len(MONTHS), rows)],
            "route_id": np.array(ROUTES)[rng.integers(0, len(ROUTES), rows)],
            "country": np.where(kind == 0, np.array(COUNTRIES)[rng.integers(0, 40, rows)], None),
            "nationality": np.where(
                kind == 1, np.array(NATIONALITIES)[rng.integers(0, 150, rows)], None
            ),
            "sex": np.where(
                kind == 2, np.array(["female", "male"])[rng.integers(0, 2, rows)], None
            ),
            "age_group": np.where(
                kind == 3, np.array(["0-17", "18+"])[rng.integers(0, 2, rows)], None
            ),
        }
    )


def add_risks(db: Database, count: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    with db.transaction(write=True) as session:
        repository = MonitoringRepository(session)
        for i in range(count):
            day = dt.date(2018, 1, 1) + dt.timedelta(days=int(rng.integers(0, 7 * 365)))
            repository.add_observation(
                RiskObservation(
                    KINDS[i % len(KINDS)],
                    ROUTE,
                    day,
                    day,
                    "interview",
                    "b",
                    "2",
                    Confidentiality.PUBLIC if i % 3 else Confidentiality.INTERNAL,
                    perpetrator=WHO[i % len(WHO)],
                    latitude=float(rng.uniform(25, 36)),
                    longitude=float(rng.uniform(9, 16)),
                    leg=int(rng.integers(0, 3)),
                    persons=int(rng.integers(1, 30)),
                ),
                "benchmark",
            )


def build_store(rows: int, risks: int) -> Path:
    """The cached store for this size, built once (minutes at 10 million rows)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"reports-{rows}-{risks}.db"
    if path.exists():  # brought up to the current schema (a new index, a new column)
        initialise(Settings(database_url=f"sqlite:///{path}", environment="test"))
        return path
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    url = f"sqlite:///{building}"
    initialise(Settings(database_url=url, environment="test"))
    db = Database(url)
    import analytics_store

    analytics_store.SOURCES = ["unhcr", "frontex-ibc", "iom-mmp"]  # one batch per indicator
    analytics_store.synthetic = synthetic_one_source  # type: ignore[assignment]
    import_synthetic(db, "report", len(INDICATORS), rows, seed=7, defer=True)
    add_risks(db, risks, seed=8)
    ensure_current(db, breakdowns=True)
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    building.rename(path)
    return path


BASELINE = Environment(autoescape=True).from_string(
    Path(__file__).with_name("bench_reports_baseline.html").read_text("utf-8")
)


def baseline(path: Path, geometry: dict[str, Any]) -> list[float]:
    """The same figures from a pandas query of the same rows, the same charts, Jinja2 HTML."""
    with sqlite3.connect(path) as connection:
        frame = pd.read_sql_query(
            "SELECT indicator, period_start, nationality, value FROM observations "
            "WHERE route_id = ? AND period_start BETWEEN '2023-01-01' AND '2024-03-01'",
            connection,
            params=(ROUTE,),
        )
        risks = pd.read_sql_query(
            "SELECT incident_type, leg, perpetrator, persons, latitude, longitude "
            "FROM risk_observations WHERE route_id = ? AND date_from <= '2024-03-31' "
            "AND date_to >= '2024-01-01' AND confidentiality IN ('public', 'internal')",
            connection,
            params=(ROUTE,),
        )
    frame["period_start"] = frame["period_start"].astype(str).str[:10]
    monthly = frame.groupby(["indicator", "period_start"])["value"].sum()

    def total(indicator: str, first: str, last: str) -> float:
        part = monthly.get(indicator)
        return float(part.loc[first:last].sum()) if part is not None else 0.0

    key, figures = [], {}
    for indicator in INDICATORS:
        points = [
            (m, float(monthly.get((indicator, m), 0.0)))
            for m in MONTHS
            if QUARTER[0] <= m <= QUARTER[1]
        ]
        key.append(
            {
                "indicator": indicator,
                "value": total(indicator, *QUARTER),
                "previous": total(indicator, "2023-10-01", "2023-12-01"),
                "year_ago": total(indicator, "2023-01-01", "2023-03-01"),
                "points": points,
            }
        )
        series = [{"month": m[:7], "value": v} for m, v in points]
        figures[f"monthly_{indicator}"] = charts.render(
            charts.series_chart(series, indicator, "fr"), "fr"
        )
    quarter = frame[(frame.period_start >= QUARTER[0]) & (frame.period_start <= QUARTER[1])]
    nationality = (
        quarter[quarter.indicator == "arrivals"]
        .dropna(subset=["nationality"])
        .groupby("nationality")["value"]
        .sum()
        .nlargest(10)
    )
    rows = [(c, float(v)) for c, v in nationality.items()]
    figures["by_nationality"] = charts.render(charts.bar_chart(rows, "personnes", "fr"), "fr")
    counted = {
        by: [(c, int(g.shape[0]), int(g.persons.sum())) for c, g in risks.groupby(by)]
        for by in ("incident_type", "leg", "perpetrator")
    }
    by_type = [(c, float(n)) for c, n, _ in counted["incident_type"]]
    figures["risks"] = charts.render(charts.bar_chart(by_type, "observations", "fr"), "fr")
    points = [
        {"latitude": a, "longitude": b, "incident_type": t}
        for a, b, t in zip(risks.latitude, risks.longitude, risks.incident_type, strict=True)
    ]
    figures["map"] = charts.render(charts.route_map(geometry, points, "fr"), "fr")
    BASELINE.render(route=ROUTE, key=key, charts=figures, nationality=rows, risks=counted)
    return [v for k in key if k["indicator"] == "arrivals" for _, v in k["points"]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--risks", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    register_capabilities()
    path = build_store(args.rows, args.risks)
    url = f"sqlite:///{path}"
    settings = Settings(database_url=url, environment="test")
    db = Database(url)
    ensure_current(db, breakdowns=True)
    request = ReportRequest(ROUTE, "2024-01", "2024-03", "fr", "internal", "html")
    provenance = {"generated": dt.date.today().isoformat(), "token": "benchmark"}
    last: dict[str, Any] = {}

    def report_html() -> list[float]:
        content = assemble(
            db,
            SYSTEM,
            request,
            threshold=settings.analytics_suppression_threshold,
            shift_points=settings.analytics_shift_points,
            settings=settings,
        )
        last["content"] = content
        last["html"] = render_html(content, report_labels(db, ROUTE, "fr"), provenance)
        arrivals = next(k for k in content["key_figures"] if k["indicator"] == "arrivals")
        return [p["value"] for p in arrivals["points"]]

    def report_pdf() -> list[float]:
        answer = report_html()
        render_pdf(last["html"], last["content"], provenance)
        return answer

    report_html()  # warm: fonts registered, the cube current, templates compiled
    geometry = last["content"]["geometry"]
    rounds = alternate(
        {
            "baseline (pandas + same charts + Jinja2 HTML)": lambda: baseline(path, geometry),
            "report HTML": report_html,
            "report PDF": report_pdf,
        },
        rounds=args.rounds,
        same=lambda a, b: a == b,
    )
    report = Report(
        f"Route report at scale (C4, issue 16): {args.rows:,} observations",
        f".venv/bin/python benchmarks/bench_reports.py --rows {args.rows} --risks {args.risks}",
    )
    report.text(
        f"Q1 2024 report of the Central Mediterranean, internal edition, French, from a store of "
        f"{args.rows:,} observations (8 routes, 3 indicators, 84 months) and {args.risks:,} risk "
        "observations; the baseline draws the same charts from a pandas query of the same rows."
    )
    report.table(rounds)
    base = "baseline (pandas + same charts + Jinja2 HTML)"
    report.goal(
        f"report HTML at {args.rows:,} rows <= 5 s", rounds.median("report HTML"), "<=", 5.0, " s"
    )
    report.goal(
        f"report PDF at {args.rows:,} rows <= 15 s", rounds.median("report PDF"), "<=", 15.0, " s"
    )
    report.goal(
        "report HTML <= 1.5x the pandas baseline",
        rounds.ratio("report HTML", base),
        "<=",
        1.5,
        "x",
    )
    report.finish()


if __name__ == "__main__":
    main()
