"""Information articles: import and export as Markdown with front matter, reading, search,
"along your route", and the content-gap radar of searches that found nothing.

One file per translation, ``<slug>.<language>.md``, so translators work in their own tools::

    ---
    slug: asylum-in-tunisia
    language: ar
    title: اللجوء في تونس
    topic: asylum-procedure
    country: TUN
    route: central-mediterranean
    status: published
    reviewer: legal-team
    last_reviewed: 2026-11-01
    review_interval_days: 180
    ---
    Markdown text…

Markdown is rendered with markdown-it (raw HTML off) and the result sanitised with nh3 on
output, so a translator's file can never put a script on a public page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import nh3
from markdown_it import MarkdownIt

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import NotFoundError
from itinera.domain.gateway_articles import (
    DEFAULT_REVIEW_DAYS,
    TOPICS,
    Article,
    ArticleTranslation,
    TranslationStatus,
    is_stale,
)
from itinera.domain.gateway_search import search_terms
from itinera.domain.issues import Issue
from itinera.services.catalogue import routes as route_service
from itinera.storage.database import Database
from itinera.storage.gateway.article_repository import ArticleRepository

__all__ = [
    "ArticleImport",
    "ReadArticle",
    "along_route",
    "export_articles",
    "import_articles",
    "published_articles",
    "read_article",
    "search_articles",
    "search_misses",
    "stale_articles",
]

log = logging.getLogger(__name__)
_MARKDOWN = MarkdownIt("commonmark", {"html": False})
_ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "code", "br"}
MAX_ARTICLE_BYTES = 200_000


@dataclass
class ArticleImport:
    counts: dict[str, int] = field(
        default_factory=lambda: {"added": 0, "updated": 0, "unchanged": 0}
    )
    issues: list[Issue] = field(default_factory=list)


@dataclass(frozen=True)
class ReadArticle:
    article: Article
    translation: ArticleTranslation
    html: str  # sanitised


def render_markdown(body: str) -> str:
    return nh3.clean(_MARKDOWN.render(body), tags=_ALLOWED_TAGS)


def _issue(path: Path, message: str, column: str = "", value: str = "") -> Issue:
    return Issue(
        source=path.name,
        row=None,
        column=column,
        value=value,
        message=message,
        suggestion="fix the front matter",
    )


def _parse(path: Path) -> tuple[Article, ArticleTranslation] | Issue:
    if path.stat().st_size > MAX_ARTICLE_BYTES:
        return _issue(path, f"larger than {MAX_ARTICLE_BYTES} bytes")
    try:
        post = frontmatter.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        return _issue(path, f"unreadable: {error.__class__.__name__}")
    meta: dict[str, Any] = dict(post.metadata)
    for name in ("slug", "language", "title", "topic"):
        if not str(meta.get(name) or "").strip():
            return _issue(path, "missing", name)
    if meta["topic"] not in TOPICS:
        return _issue(path, "unknown topic", "topic", str(meta["topic"]))
    try:
        status = TranslationStatus(str(meta.get("status", "draft")))
    except ValueError:
        return _issue(path, "unknown status", "status", str(meta.get("status")))
    reviewed = meta.get("last_reviewed")
    if reviewed is not None and not isinstance(reviewed, date):
        try:
            reviewed = date.fromisoformat(str(reviewed))
        except ValueError:
            return _issue(path, "not a date YYYY-MM-DD", "last_reviewed", str(reviewed))
    article = Article(
        str(meta["slug"])[:100],
        str(meta["topic"]),
        str(meta["country"]).upper()[:3] if meta.get("country") else None,
        str(meta["route"])[:64] if meta.get("route") else None,
        int(meta.get("review_interval_days") or DEFAULT_REVIEW_DAYS),
    )
    translation = ArticleTranslation(
        article.slug,
        str(meta["language"])[:16],
        str(meta["title"])[:200],
        post.content,
        status,
        str(meta["reviewer"])[:64] if meta.get("reviewer") else None,
        reviewed,
    )
    return article, translation


def import_articles(db: Database, actor: Actor, directory: Path) -> ArticleImport:
    """Every ``*.md`` file of ``directory`` in one transaction; files with problems are
    reported and skipped, the others stored (re-importing the same files changes nothing)."""
    require(actor, Action.EDIT_GATEWAY_ARTICLES)
    report = ArticleImport()
    parsed = []
    for path in sorted(directory.glob("*.md")):
        found = _parse(path)
        if isinstance(found, Issue):
            report.issues.append(found)
        else:
            parsed.append(found)
    now = datetime.now(UTC)
    with db.transaction(write=True) as session:
        repo = ArticleRepository(session)
        for article, translation in parsed:
            existed = repo.get(article.slug, translation.language) is not None
            changed = repo.save_translation(repo.save_article(article), translation, now)
            key = "unchanged" if not changed else ("updated" if existed else "added")
            report.counts[key] += 1
    log.info("gateway articles imported: %s", report.counts)
    return report


def export_articles(db: Database, actor: Actor, directory: Path) -> int:
    require(actor, Action.EDIT_GATEWAY_ARTICLES)
    directory.mkdir(parents=True, exist_ok=True)
    with db.transaction() as session:
        found = ArticleRepository(session).all()
    for article, translation in found:
        meta = {
            "slug": article.slug,
            "language": translation.language,
            "title": translation.title,
            "topic": article.topic,
            "country": article.country,
            "route": article.route_id,
            "status": translation.status.value,
            "reviewer": translation.reviewer,
            "last_reviewed": translation.last_reviewed,
            "review_interval_days": article.review_interval_days,
        }
        post = frontmatter.Post(translation.body)
        post.metadata.update({k: v for k, v in meta.items() if v})
        target = directory / f"{article.slug}.{translation.language}.md"
        target.write_text(frontmatter.dumps(post) + "\n", "utf-8")
    return len(found)


def read_article(db: Database, slug: str, language: str) -> ReadArticle:
    """A published translation, rendered and sanitised; 404 for anything else."""
    with db.transaction() as session:
        found = ArticleRepository(session).get(slug[:100], language)
    if found is None or found[1].status is not TranslationStatus.PUBLISHED:
        raise NotFoundError("no such article", hint="see the list of articles")
    article, translation = found
    return ReadArticle(article, translation, render_markdown(translation.body))


def search_articles(
    db: Database, language: str, query: str, *, route_id: str | None = None
) -> list[ArticleTranslation]:
    """Published articles holding every word of ``query`` (diacritics and spelling variants
    ignored); a search that finds nothing is counted by month, language and route."""
    terms = search_terms(query)
    if not terms:
        return []
    with db.transaction(write=True) as session:
        repo = ArticleRepository(session)
        found = repo.search(language, terms)
        if not found:
            month = f"{datetime.now(UTC):%Y-%m}"
            repo.record_miss(month, language, route_id, " ".join(terms)[:100])
    return found


def published_articles(db: Database, language: str) -> list[ArticleTranslation]:
    with db.transaction() as session:
        return ArticleRepository(session).published(language)


def along_route(
    db: Database, language: str, route_id: str, country: str | None
) -> list[ArticleTranslation]:
    """Published articles of the countries that lie ahead on the route (all of them when the
    person's country is not on it)."""
    route = route_service.get_route(db, route_id).route
    ahead = [c.country for c in route.countries]
    if country and country in ahead:
        ahead = ahead[ahead.index(country) + 1 :]
    with db.transaction() as session:
        return ArticleRepository(session).published(language, countries=ahead)


def stale_articles(db: Database, actor: Actor, today: date) -> list[ArticleTranslation]:
    require(actor, Action.EDIT_GATEWAY_ARTICLES)
    with db.transaction() as session:
        found = ArticleRepository(session).all()
    return [t for a, t in found if is_stale(t, a, today)]


def search_misses(db: Database, actor: Actor) -> list[tuple[str, str, str | None, str, int]]:
    """(month, language, route, normalised query, count): what people look for in vain."""
    require(actor, Action.EDIT_GATEWAY_ARTICLES)
    with db.transaction() as session:
        return ArticleRepository(session).misses()
