"""The gateway's small rules: response targets, reply windows, translation moves, staleness."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from itinera.domain.gateway import (
    Intake,
    NewSubmission,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    is_overdue,
    reply_window_open,
)
from itinera.domain.gateway_articles import (
    Article,
    ArticleTranslation,
    TranslationStatus,
    can_move,
    is_stale,
)

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _submission(kind: SubmissionKind, hours: float, status: SubmissionStatus) -> Submission:
    created = NOW - timedelta(hours=hours)
    return Submission(
        1, "X", kind, status, "fr", Intake.WEB, None, "t", None, None, (), created, created
    )


@pytest.mark.parametrize(
    ("kind", "hours", "status", "late"),
    [
        (SubmissionKind.REQUEST, 47, SubmissionStatus.RECEIVED, False),
        (SubmissionKind.REQUEST, 49, SubmissionStatus.RECEIVED, True),
        (SubmissionKind.COMPLAINT, 73, SubmissionStatus.IN_PROGRESS, True),
        (SubmissionKind.COMPLAINT, 73, SubmissionStatus.ANSWERED, False),
        (SubmissionKind.FEEDBACK, 100, SubmissionStatus.RECEIVED, False),
    ],
)
def test_response_targets(
    kind: SubmissionKind, hours: float, status: SubmissionStatus, late: bool
) -> None:
    assert is_overdue(_submission(kind, hours, status), NOW) is late


def test_reply_window() -> None:
    assert reply_window_open(NOW - timedelta(hours=23), NOW, 24)
    assert not reply_window_open(NOW - timedelta(hours=25), NOW, 24)
    assert reply_window_open(NOW - timedelta(days=30), NOW, None)


def test_translation_moves() -> None:
    draft, review = TranslationStatus.DRAFT, TranslationStatus.IN_REVIEW
    published, archived = TranslationStatus.PUBLISHED, TranslationStatus.ARCHIVED
    assert can_move(draft, review) and can_move(review, published)
    assert can_move(published, archived) and can_move(archived, draft)
    assert not can_move(draft, published) and not can_move(archived, published)


def test_staleness_counts_from_the_last_review() -> None:
    article = Article("a", "registration", review_interval_days=90)
    fresh = ArticleTranslation(
        "a", "fr", "t", "b", TranslationStatus.PUBLISHED, None, date(2026, 10, 1)
    )
    old = ArticleTranslation(
        "a", "fr", "t", "b", TranslationStatus.PUBLISHED, None, date(2026, 8, 1)
    )
    draft = ArticleTranslation("a", "fr", "t", "b", TranslationStatus.DRAFT, None, None)
    assert not is_stale(fresh, article, date(2026, 12, 1))
    assert is_stale(old, article, date(2026, 12, 1))
    assert not is_stale(draft, article, date(2026, 12, 1))


def test_new_submissions_say_what_is_wrong() -> None:
    assert NewSubmission(SubmissionKind.QUESTION, "  ", "ar").problems() == {
        "text": "write your message"
    }
    assert "contact" in NewSubmission(SubmissionKind.QUESTION, "x", "ar", "9" * 201).problems()
