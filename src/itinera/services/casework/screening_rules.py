"""Screening rules administered in the app (issue 12): the questionnaire, rules and pathways
edited as YAML on pages, checked exactly as ``itinera screening validate`` checks files, tried
on sample answers before saving, stored as versions (who, when, why), one of them active.

Version 1 is the packaged files, stored the first time an administrator opens the versions.
Every save and activation is audited; screenings keep the id of the version they used.
"""

from __future__ import annotations

from typing import Any

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import FieldError, NotFoundError, ReferenceDataError, ValidationError
from itinera.domain.screening import Questionnaire, clean_answers, evaluate
from itinera.domain.screening_version import ScreeningVersion
from itinera.domain.screening_view import ScreeningReport
from itinera.reference.screening import (
    PATHWAYS_TEXT,
    QUESTIONNAIRE_TEXT,
    ScreeningConfig,
    ScreeningTexts,
    load_screening_texts,
    packaged_screening_texts,
    screening_text_kind,
)
from itinera.services.casework.context import Casework
from itinera.services.casework.screening import describe_result
from itinera.storage.casework.screening_versions import ScreeningVersionRepository
from itinera.storage.database import UnitOfWork

__all__ = [
    "TEXT_FIELDS",
    "ScreeningTexts",
    "activate_screening_version",
    "check_draft",
    "check_screening_draft",
    "draft_from_parts",
    "draft_questionnaire",
    "get_screening_version",
    "list_screening_versions",
    "preview_screening",
    "save_screening_version",
]

TEXT_FIELDS = ("questionnaire_text", "rules_text", "pathways_text")
"""The form fields of the three texts, in the order of :class:`ScreeningTexts`."""
_FIELD_OF_FILE = {QUESTIONNAIRE_TEXT: "questionnaire_text", PATHWAYS_TEXT: "pathways_text"}
PACKAGED_COMMENT = "The packaged files"
_SYSTEM = "itinera"


def check_draft(texts: ScreeningTexts) -> ScreeningConfig:
    """The draft's rules, or a :class:`ValidationError` on the text at fault with the message
    of ``itinera screening validate`` (file, line, entry, field)."""
    try:
        return load_screening_texts(texts)
    except ReferenceDataError as exc:
        field = _FIELD_OF_FILE.get(exc.file, "rules_text")
        raise ValidationError([FieldError(field, str(exc), exc)]) from exc


def check_screening_draft(actor: Actor, texts: ScreeningTexts) -> ScreeningConfig:
    """Validate a draft for an administrator (the API's and the CLI's check): the rules it
    would give, or the :class:`ValidationError` the editor shows; nothing is stored."""
    require(actor, Action.MANAGE_SCREENING_RULES)
    return check_draft(texts)


def draft_from_parts(
    cw: Casework, actor: Actor, files: list[tuple[str, str]], based_on: int | None = None
) -> ScreeningTexts:
    """A draft from YAML files ``(name, text)`` (each a questionnaire, rules or pathways, told
    apart by content); the texts not given are those of version ``based_on`` (else the active
    one), so changing the rules alone takes one file."""
    require(actor, Action.MANAGE_SCREENING_RULES)
    parts: dict[str, str] = {}
    for name, text in files:
        try:
            kind = screening_text_kind(name, text)
        except ReferenceDataError as exc:
            raise ValidationError.single("files", str(exc)) from exc
        if kind in parts:
            raise ValidationError.single("files", f"{name}: a second {kind} file")
        parts[kind] = text
    base = get_screening_version(cw, actor, based_on)
    return ScreeningTexts(
        parts.get("questionnaire", base.questionnaire_text),
        parts.get("rules", base.rules_text),
        parts.get("pathways", base.pathways_text),
    )


def draft_questionnaire(texts: ScreeningTexts) -> Questionnaire | None:
    """The draft's questionnaire for the sample answers form; None while the draft is wrong."""
    try:
        return load_screening_texts(texts).questionnaire
    except ReferenceDataError:
        return None


def preview_screening(
    cw: Casework,
    actor: Actor,
    texts: ScreeningTexts,
    answers: dict[str, Any],
    language: str,
) -> ScreeningReport:
    """Which flags the draft raises on sample answers, and the pathways it recommends; nothing
    is stored (sample answers are not a person's)."""
    require(actor, Action.MANAGE_SCREENING_RULES)
    config = check_draft(texts)
    cleaned = clean_answers(config.questionnaire, answers)
    result = evaluate(config.rule_set, cleaned)
    return describe_result(cw, result, cleaned, language, cw.today(), config)


def list_screening_versions(cw: Casework, actor: Actor) -> list[ScreeningVersion]:
    """Every version, the newest first (version 1, the packaged files, stored on first use)."""
    require(actor, Action.MANAGE_SCREENING_RULES)
    with cw.db.transaction(write=True) as session:
        repo = ScreeningVersionRepository(session)
        _ensure_packaged(cw, session, repo)
        return repo.list()


def get_screening_version(
    cw: Casework, actor: Actor, version_id: int | None = None
) -> ScreeningVersion:
    """One stored version (``None``: the active one)."""
    require(actor, Action.MANAGE_SCREENING_RULES)
    with cw.db.transaction(write=True) as session:
        repo = ScreeningVersionRepository(session)
        _ensure_packaged(cw, session, repo)
        version_id = version_id if version_id is not None else repo.active_id() or 1
        version = repo.get(version_id)
    if version is None:
        raise NotFoundError(f"no screening rules version {version_id}")
    return version


def save_screening_version(
    cw: Casework,
    actor: Actor,
    texts: ScreeningTexts,
    comment: str,
    *,
    activate: bool = False,
    origin: str | None = None,
) -> int:
    """Store the draft as a new version (and make it active if asked); nothing is stored when
    a text or the comment is wrong."""
    require(actor, Action.MANAGE_SCREENING_RULES)
    comment = comment.strip()
    errors: list[FieldError] = []
    try:
        check_draft(texts)
    except ValidationError as exc:
        errors += exc.errors
    if not comment:
        errors.append(FieldError("comment", "say what changed and why"))
    elif len(comment) > 2000:
        errors.append(FieldError("comment", "at most 2000 characters"))
    if errors:
        raise ValidationError(errors)
    now = cw.now()
    with cw.db.transaction(write=True) as session:
        repo = ScreeningVersionRepository(session)
        _ensure_packaged(cw, session, repo)
        version_id = repo.add(
            questionnaire_text=texts.questionnaire,
            rules_text=texts.rules,
            pathways_text=texts.pathways,
            comment=comment,
            created_by=actor.username[:64],
            created_at=now,
        )
        _audit(cw, session, actor, "screening_rules.save", version_id, origin)
        if activate:
            repo.activate(version_id, by=actor.username[:64], at=now)
            _audit(cw, session, actor, "screening_rules.activate", version_id, origin)
    cw.forget_active_screening()
    return version_id


def activate_screening_version(
    cw: Casework, actor: Actor, version_id: int, *, origin: str | None = None
) -> None:
    """Make a stored version (an older one too) the one new screenings use."""
    require(actor, Action.MANAGE_SCREENING_RULES)
    with cw.db.transaction(write=True) as session:
        repo = ScreeningVersionRepository(session)
        _ensure_packaged(cw, session, repo)
        if repo.get(version_id) is None:
            raise NotFoundError(f"no screening rules version {version_id}")
        repo.activate(version_id, by=actor.username[:64], at=cw.now())
        _audit(cw, session, actor, "screening_rules.activate", version_id, origin)
    cw.forget_active_screening()


def _ensure_packaged(cw: Casework, session: UnitOfWork, repo: ScreeningVersionRepository) -> None:
    if repo.active_id() is not None or repo.get(1) is not None:
        return
    texts = packaged_screening_texts()
    repo.add(
        questionnaire_text=texts.questionnaire,
        rules_text=texts.rules,
        pathways_text=texts.pathways,
        comment=PACKAGED_COMMENT,
        created_by=_SYSTEM,
        created_at=cw.now(),
    )
    repo.activate(1, by=_SYSTEM, at=cw.now())


def _audit(
    cw: Casework,
    session: UnitOfWork,
    actor: Actor,
    action: str,
    version_id: int,
    origin: str | None,
) -> None:
    cw.audit(
        session,
        actor,
        action=action,
        entity="screening_rules",
        entity_id=str(version_id),
        origin=origin,
    )
