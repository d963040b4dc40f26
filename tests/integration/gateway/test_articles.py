"""Articles: Markdown files with front matter in and out, sanitised pages, full-text search in
Arabic and French tolerant of diacritics on SQLite FTS5 and PostgreSQL, searches that find
nothing counted, "along your route", review status and staleness."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

import pytest
from tests.integration.gateway.conftest import GatewayWorld
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.domain.access import SYSTEM
from itinera.domain.errors import NotFoundError
from itinera.services.gateway import articles
from itinera.services.gateway.article_cache import PublishedArticles
from itinera.storage.gateway.article_repository import ArticleRepository

cli = build_cli()


def _write(folder: Path, name: str, meta: dict[str, str], body: str) -> None:
    front = "\n".join(f"{k}: {v}" for k, v in meta.items())
    (folder / name).write_text(f"---\n{front}\n---\n{body}\n", "utf-8")


def _articles(folder: Path, slug: str) -> None:
    common = {"slug": slug, "topic": "asylum-procedure", "country": "TUN", "reviewer": "legal"}
    _write(
        folder,
        f"{slug}.ar.md",
        {
            **common,
            "language": "ar",
            "title": "طلب اللُّجُوء في تونس",
            "status": "published",
            "last_reviewed": "2026-11-01",
        },
        "## الإقامة\n\nيمكنك تقديم طلب اللُّجُوء لدى المفوضية. <script>alert(1)</script>\n\n"
        "[رابط](javascript:alert(1))",
    )
    _write(
        folder,
        f"{slug}.fr.md",
        {
            **common,
            "language": "fr",
            "title": "Demander l’asile en Tunisie",
            "status": "published",
            "last_reviewed": "2025-01-01",
            "review_interval_days": "90",
        },
        "Vous pouvez déposer une demande auprès du **HCR**.",
    )
    _write(
        folder,
        f"{slug}.en.md",
        {**common, "language": "en", "title": "Asylum in Tunisia", "status": "draft"},
        "Draft text.",
    )


def test_articles_import_search_read_and_export(world: GatewayWorld, tmp_path: Path) -> None:
    slug = f"asylum-tunisia-{secrets.token_hex(3)}"
    source = tmp_path / "in"
    source.mkdir()
    _articles(source, slug)
    _write(
        source,
        "broken.fr.md",
        {"slug": "x", "language": "fr", "title": "x", "topic": "cooking"},
        "x",
    )
    run = CliRunner().invoke(cli, ["gateway", "articles", "import", str(source)], env=world.env)
    assert run.exit_code == 1 and "3 added" in run.output and "broken.fr.md" in run.output
    (source / "broken.fr.md").unlink()
    again = CliRunner().invoke(cli, ["gateway", "articles", "import", str(source)], env=world.env)
    assert again.exit_code == 0 and "3 unchanged" in again.output

    # search without diacritics or with other spellings finds the Arabic and French articles
    for lang, query in [("ar", "اللجوء"), ("ar", "الاقامه المفوضيه"), ("fr", "deposer HCR")]:
        page = world.client.get(f"/help/{lang}/articles", params={"q": query})
        assert page.status_code == 200 and f"/help/{lang}/articles/{slug}" in page.text, query
    assert slug not in world.client.get("/help/en/articles", params={"q": "asylum"}).text
    nothing = "zzz" + secrets.token_hex(3)
    world.client.get("/help/fr/articles", params={"q": nothing, "route": "central-mediterranean"})
    misses = articles.search_misses(world.db, SYSTEM)
    assert any(
        q == nothing and lang == "fr" and r == "central-mediterranean" and n == 1
        for _, lang, r, q, n in misses
    )

    page = world.client.get(f"/help/ar/articles/{slug}")
    assert page.status_code == 200 and "<h2>الإقامة</h2>" in page.text
    assert "<script" not in page.text and 'href="javascript:' not in page.text
    assert "2026-11-01" in page.text
    assert world.client.get(f"/help/en/articles/{slug}").status_code == 404  # a draft

    ahead = world.client.get("/help/fr/articles?route=central-mediterranean&country=LBY")
    assert slug in ahead.text
    behind = world.client.get("/help/fr/articles?route=central-mediterranean&country=ITA")
    assert slug not in behind.text

    stale = articles.stale_articles(world.db, SYSTEM, date(2026, 12, 1))
    assert {(t.slug, t.language) for t in stale if t.slug == slug} == {(slug, "fr")}

    out = tmp_path / "out"
    exported = CliRunner().invoke(cli, ["gateway", "articles", "export", str(out)], env=world.env)
    assert exported.exit_code == 0
    text = (out / f"{slug}.ar.md").read_text("utf-8")
    assert "title: طلب اللُّجُوء في تونس" in text and "status: published" in text


_MANY_ARTICLES = [
    """INSERT INTO gateway_articles (slug, topic, country, review_interval_days)
       SELECT 'gin-' || n, 'services', 'TUN', 180 FROM generate_series(1, 3000) AS n""",
    """INSERT INTO gateway_article_translations
         (article_id, language, title, body, status, updated_at, search_text)
       SELECT id, 'ar', slug, 'نص', 'published', now(), 'خدمات تونس ' || slug
       FROM gateway_articles WHERE starts_with(slug, 'gin-')""",
    "ANALYZE gateway_article_translations",
]


def test_postgresql_search_uses_the_gin_index(world: GatewayWorld) -> None:
    if world.db.dialect != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's; SQLite searches its FTS5 table")
    with world.db.transaction() as session:  # rolled back: never committed
        connection = session.connection()
        for statement in _MANY_ARTICLES:  # a country's few thousand published articles
            connection.exec_driver_sql(statement)
        query = ArticleRepository(session).search_query("ar", ["gin-1234"])
        compiled = query.compile(dialect=session.get_bind().dialect)
        plan = connection.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params).scalars()
        text = "\n".join(plan)
        found = ArticleRepository(session).search("ar", ["gin-1234"])
        session.rollback()
    assert "ix_gateway_article_translations_search_gin" in text, text
    assert [t.title for t in found] == ["gin-1234"]


def test_published_articles_are_kept_rendered_for_a_short_while(
    world: GatewayWorld, tmp_path: Path
) -> None:
    slug = f"kept-{secrets.token_hex(3)}"
    _articles(tmp_path, slug)
    articles.import_articles(world.db, SYSTEM, tmp_path)
    now = [1000.0]
    kept = PublishedArticles(world.db, ttl=30, size=1, clock=lambda: now[0])
    assert kept.cached(slug, "ar") is None
    first = kept.read(slug, "ar")
    assert "<h2>الإقامة</h2>" in first.html and kept.cached(slug, "ar") is first
    now[0] += 31
    assert kept.cached(slug, "ar") is None  # stale: read again from the store
    kept.read(slug, "fr")  # the size bound drops the oldest
    assert kept.cached(slug, "ar") is None and kept.cached(slug, "fr") is not None
    with pytest.raises(NotFoundError):
        kept.read(slug, "en")  # a draft is never kept
    kept.keep_page(slug, "fr", b"<html>page</html>")
    assert kept.page(slug, "fr") == b"<html>page</html>"
    now[0] += 31
    assert kept.page(slug, "fr") is None  # the page goes with its article
    first_page = world.client.get(f"/help/fr/articles/{slug}")
    again = world.client.get(f"/help/fr/articles/{slug}")
    assert first_page.status_code == again.status_code == 200 and first_page.text == again.text
