"""Articles and their translations, their full-text index, and the searches that found nothing.

Search runs on the normalised ``search_text`` column (``domain/gateway_search.py``): through
the FTS5 table ``gateway_article_fts`` on SQLite (kept here, rowid = translation id), through
``to_tsvector('simple', …) @@ plainto_tsquery('simple', …)`` on PostgreSQL. Every term must
match (AND) on both.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, select, text, update
from sqlalchemy.orm import Session

from itinera.domain.gateway_articles import Article, ArticleTranslation, TranslationStatus
from itinera.domain.gateway_search import normalise_for_search
from itinera.storage.gateway.tables import (
    gateway_article_translations,
    gateway_articles,
    gateway_search_misses,
)

__all__ = ["ArticleRepository"]

_T, _A = gateway_article_translations, gateway_articles
_SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _translation(row: Any) -> ArticleTranslation:
    return ArticleTranslation(
        row.slug,
        row.language,
        row.title,
        row.body,
        TranslationStatus(row.status),
        row.reviewer,
        row.last_reviewed,
        _aware(row.updated_at),
    )


def _article(row: Any) -> Article:
    return Article(row.slug, row.topic, row.country, row.route_id, row.review_interval_days)


class ArticleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.sqlite = session.get_bind().dialect.name == "sqlite"

    # --- writing ---

    def save_article(self, article: Article) -> int:
        found = self.session.execute(select(_A.c.id).where(_A.c.slug == article.slug)).scalar()
        values = {
            "topic": article.topic,
            "country": article.country,
            "route_id": article.route_id,
            "review_interval_days": article.review_interval_days,
        }
        if found is not None:
            self.session.execute(update(_A).where(_A.c.id == found).values(**values))
            return int(found)
        result = self.session.execute(_A.insert().values(slug=article.slug, **values))
        return int(result.inserted_primary_key[0])

    def rebuild_search_index(self) -> None:
        """Refill the SQLite full-text index from the stored translations (after a restore,
        which writes the tables and not the index); PostgreSQL needs no index table."""
        if not self.sqlite:
            return
        self.session.execute(text("DELETE FROM gateway_article_fts"))
        self.session.execute(
            text(
                "INSERT INTO gateway_article_fts (rowid, search_text) "
                "SELECT id, search_text FROM gateway_article_translations"
            )
        )

    def save_translation(self, article_id: int, item: ArticleTranslation, now: datetime) -> bool:
        """Insert or replace one translation; False when it was already exactly so."""
        search_text = normalise_for_search(f"{item.title}\n{item.body}")
        values = {
            "title": item.title,
            "body": item.body,
            "status": item.status.value,
            "reviewer": item.reviewer,
            "last_reviewed": item.last_reviewed,
            "search_text": search_text,
        }
        row = self.session.execute(
            select(_T).where(_T.c.article_id == article_id, _T.c.language == item.language)
        ).first()
        if row is not None and all(getattr(row, k) == v for k, v in values.items()):
            return False
        if row is None:
            result = self.session.execute(
                _T.insert().values(
                    article_id=article_id, language=item.language, updated_at=now, **values
                )
            )
            translation_id = int(result.inserted_primary_key[0])
        else:
            translation_id = row.id
            self.session.execute(
                update(_T).where(_T.c.id == row.id).values(updated_at=now, **values)
            )
        if self.sqlite:
            self.session.execute(
                text("DELETE FROM gateway_article_fts WHERE rowid = :id"), {"id": translation_id}
            )
            self.session.execute(
                text("INSERT INTO gateway_article_fts (rowid, search_text) VALUES (:id, :t)"),
                {"id": translation_id, "t": search_text},
            )
        return True

    def record_miss(self, month: str, language: str, route_id: str | None, query: str) -> None:
        key = and_(
            gateway_search_misses.c.month == month,
            gateway_search_misses.c.language == language,
            gateway_search_misses.c.query == query,
            gateway_search_misses.c.route_id.is_(None)
            if route_id is None
            else gateway_search_misses.c.route_id == route_id,
        )
        changed = self.session.execute(
            update(gateway_search_misses).where(key).values(count=gateway_search_misses.c.count + 1)
        )
        if not changed.rowcount:  # type: ignore[attr-defined]
            self.session.execute(
                gateway_search_misses.insert().values(
                    month=month, language=language, route_id=route_id, query=query, count=1
                )
            )

    # --- reading ---

    def _joined(self) -> Any:
        return select(_T, _A.c.slug).join(_A, _A.c.id == _T.c.article_id)

    def get(self, slug: str, language: str) -> tuple[Article, ArticleTranslation] | None:
        row = self.session.execute(
            select(
                _T, _A.c.slug, _A.c.topic, _A.c.country, _A.c.route_id, _A.c.review_interval_days
            )
            .join(_A, _A.c.id == _T.c.article_id)
            .where(_A.c.slug == slug, _T.c.language == language)
        ).first()
        return None if row is None else (_article(row), _translation(row))

    def published(
        self, language: str, *, countries: Sequence[str] | None = None, limit: int = 100
    ) -> list[ArticleTranslation]:
        query = self._joined().where(
            _T.c.language == language, _T.c.status == TranslationStatus.PUBLISHED.value
        )
        if countries is not None:
            query = query.where(_A.c.country.in_(list(countries)))
        rows = self.session.execute(query.order_by(_A.c.slug).limit(limit))
        return [_translation(row) for row in rows]

    def search(
        self, language: str, terms: Sequence[str], limit: int = 20
    ) -> list[ArticleTranslation]:
        """Published translations in ``language`` whose text holds every normalised term."""
        if not terms:
            return []
        rows = self.session.execute(self.search_query(language, terms, limit))
        return [_translation(row) for row in rows]

    def search_query(self, language: str, terms: Sequence[str], limit: int = 20) -> Select[Any]:
        """The statement :meth:`search` runs (a test EXPLAINs it on PostgreSQL)."""
        query = self._joined().where(
            _T.c.language == language, _T.c.status == TranslationStatus.PUBLISHED.value
        )
        if self.sqlite:
            match = " ".join('"' + term.replace('"', "") + '"' for term in terms)
            ids = (
                select(text("rowid"))
                .select_from(text("gateway_article_fts"))
                .where(text("gateway_article_fts MATCH :match"))
            )
            query = query.where(_T.c.id.in_(ids)).params(match=match)
        else:
            # the exact expression of the GIN index (migration 0140): a constant configuration,
            # not a bound parameter, or the planner could not match the index
            vector = func.to_tsvector(_SIMPLE, _T.c.search_text)
            query = query.where(vector.op("@@")(func.plainto_tsquery(_SIMPLE, " ".join(terms))))
        return query.order_by(_A.c.slug).limit(limit)

    def all(self) -> list[tuple[Article, ArticleTranslation]]:
        rows = self.session.execute(
            select(
                _T, _A.c.slug, _A.c.topic, _A.c.country, _A.c.route_id, _A.c.review_interval_days
            )
            .join(_A, _A.c.id == _T.c.article_id)
            .order_by(_A.c.slug, _T.c.language)
        )
        return [(_article(row), _translation(row)) for row in rows]

    def misses(self) -> list[tuple[str, str, str | None, str, int]]:
        rows = self.session.execute(
            select(gateway_search_misses).order_by(
                gateway_search_misses.c.month.desc(), gateway_search_misses.c.count.desc()
            )
        )
        return [(r.month, r.language, r.route_id, r.query, int(r._mapping["count"])) for r in rows]
