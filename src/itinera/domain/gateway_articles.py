"""Information articles of the gateway: one article per topic and place, one translation per
language, each translation with its own review status.

A translation moves draft -> in review -> published -> archived (and back from review to draft,
or from archived to draft for a rewrite); only published ones reach people. Each article has a
review interval: a published translation not reviewed within it is *stale*, flagged to staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

__all__ = [
    "TOPICS",
    "Article",
    "ArticleTranslation",
    "TranslationStatus",
    "can_move",
    "is_stale",
]

TOPICS = (
    "asylum-procedure",
    "registration",
    "documentation",
    "services",
    "risks-and-safe-pathways",
    "family-tracing",
    "voluntary-return",
)
DEFAULT_REVIEW_DAYS = 180


class TranslationStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


_MOVES = {
    TranslationStatus.DRAFT: {TranslationStatus.IN_REVIEW},
    TranslationStatus.IN_REVIEW: {TranslationStatus.PUBLISHED, TranslationStatus.DRAFT},
    TranslationStatus.PUBLISHED: {TranslationStatus.ARCHIVED, TranslationStatus.IN_REVIEW},
    TranslationStatus.ARCHIVED: {TranslationStatus.DRAFT},
}


def can_move(current: TranslationStatus, wanted: TranslationStatus) -> bool:
    return current == wanted or wanted in _MOVES[current]


@dataclass(frozen=True)
class Article:
    slug: str
    topic: str
    country: str | None = None  # ISO alpha-3
    route_id: str | None = None
    review_interval_days: int = DEFAULT_REVIEW_DAYS


@dataclass(frozen=True)
class ArticleTranslation:
    slug: str
    language: str
    title: str
    body: str  # Markdown, sanitised when rendered
    status: TranslationStatus
    reviewer: str | None = None
    last_reviewed: date | None = None
    updated_at: datetime | None = None


def is_stale(translation: ArticleTranslation, article: Article, today: date) -> bool:
    if translation.status is not TranslationStatus.PUBLISHED:
        return False
    if translation.last_reviewed is None:
        return True
    return today - translation.last_reviewed > timedelta(days=article.review_interval_days)
