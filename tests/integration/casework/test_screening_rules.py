"""Screening rules administered in the app (issue 12): versions stored with who, when and why;
the packaged files as version 1; validation as ``itinera screening validate``; an older version
made active again; every change audited; each screening keeps the version it used. SQLite and
PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from itinera.domain.access import Actor, Role
from itinera.domain.errors import PermissionDeniedError, ValidationError
from itinera.reference.screening import packaged_screening_texts
from itinera.services.casework import cases as case_service
from itinera.services.casework import screening_rules as rules
from itinera.services.casework.screening import screen_case
from itinera.services.casework.screening_history import latest_screening
from itinera.storage.accounts.tables import audit_log
from itinera.storage.casework.tables import screening_versions

from .conftest import World, amina

ADMIN = Actor("rules-admin", frozenset({Role.ADMINISTRATOR}), 90, None)
# a stricter disability rule: version 2 no longer flags disability at all
STRICTER = "    when: {equals: {question: has_disability, value: true}}"


def _without_disability_flag() -> rules.ScreeningTexts:
    texts = packaged_screening_texts()
    assert STRICTER in texts.rules, "the packaged disability rule changed: update this test"
    return replace(
        texts, rules=texts.rules.replace(STRICTER, "    when: {not: {answered: has_disability}}")
    )


def _stored_count(world: World) -> int:
    with world.cw.db.transaction() as session:
        return len(session.execute(select(screening_versions.c.id)).all())


def test_the_packaged_files_are_version_1_and_active(world: World) -> None:
    versions = rules.list_screening_versions(world.cw, ADMIN)
    first = versions[-1]
    assert first.id == 1 and first.active
    assert first.rules_text == packaged_screening_texts().rules
    assert world.cw.active_screening()[0] == 1


def test_a_saved_version_is_used_by_new_screenings_and_kept_with_them(world: World) -> None:
    case = case_service.register_case(world.cw, world.worker, amina(date_of_birth="1990-01-01"))
    answers = {"has_disability": True, "age_years": 30}
    before = screen_case(world.cw, world.worker, case.id, answers)
    assert "disability" in [f.code for f in before.flags]
    assert before.screening_version_id == 1

    number = rules.save_screening_version(
        world.cw, ADMIN, _without_disability_flag(), "disability asked elsewhere", activate=True
    )
    assert number >= 2
    stored = rules.get_screening_version(world.cw, ADMIN, number)
    assert (stored.created_by, stored.comment, stored.active) == (
        "rules-admin",
        "disability asked elsewhere",
        True,
    )
    after = screen_case(world.cw, world.worker, case.id, answers)
    assert after.screening_version_id == number
    assert "disability" not in [f.code for f in after.flags]

    # an older version made active again: new screenings use it, the history stays
    rules.activate_screening_version(world.cw, ADMIN, 1)
    again = screen_case(world.cw, world.worker, case.id, answers)
    assert again.screening_version_id == 1
    assert "disability" in [f.code for f in again.flags]
    file = case_service.get_case(world.cw, world.worker, case.id)
    assert [s.screening_version_id for s in file.screenings] == [1, number, 1]
    # a screening made under version N is explained by version N's rules
    earlier = replace(file, screenings=file.screenings[:2])
    report = latest_screening(world.cw, earlier, "fr")
    assert report is not None and report.screening_version_id == number
    assert "disability" not in [f.code for f in report.flags]

    with world.cw.db.transaction() as session:
        actions = session.execute(
            select(audit_log.c.action, audit_log.c.entity_id).where(
                audit_log.c.entity == "screening_rules"
            )
        ).all()
    assert ("screening_rules.save", str(number)) in actions
    assert ("screening_rules.activate", str(number)) in actions
    assert ("screening_rules.activate", "1") in actions


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            lambda t: replace(
                t,
                rules=t.rules.replace(
                    "question: travelling_with, values", "question: travelling_wit, values", 1
                ),
            ),
            "rules_text",
            ["line 11", "unaccompanied-child", "unknown question 'travelling_wit'"],
        ),
        (
            lambda t: replace(
                t, rules=t.rules.replace("pathways_version: 1", "pathways_version: 2")
            ),
            "rules_text",
            ["line 7", "pathways_version"],
        ),
        (
            lambda t: replace(
                t, questionnaire=t.questionnaire.replace("kind: number", "kind: amount", 1)
            ),
            "questionnaire_text",
            ["questionnaire.yaml", "age_years", "kind"],
        ),
        (
            lambda t: replace(t, pathways="pathways: ["),
            "pathways_text",
            ["line 1", "not valid YAML"],
        ),
    ],
)
def test_a_wrong_draft_names_the_text_line_and_field_and_stores_nothing(
    world: World, change: object, field: str, words: list[str]
) -> None:
    count = _stored_count(world)
    with pytest.raises(ValidationError) as caught:
        rules.save_screening_version(
            world.cw,
            ADMIN,
            change(packaged_screening_texts()),
            "a change",  # type: ignore[operator]
        )
    [error] = caught.value.errors
    assert error.field == field
    for word in words:
        assert word in error.message
    assert _stored_count(world) == count


def test_a_version_needs_a_comment(world: World) -> None:
    count = _stored_count(world)
    with pytest.raises(ValidationError) as caught:
        rules.save_screening_version(world.cw, ADMIN, packaged_screening_texts(), "  ")
    assert [e.field for e in caught.value.errors] == ["comment"]
    assert _stored_count(world) == count


@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_manage_screening_rules(world: World, role: Role) -> None:
    actor = Actor(f"someone-{role.value}", frozenset({role}), 91, world.ngo)
    texts = packaged_screening_texts()
    calls = [
        lambda: rules.list_screening_versions(world.cw, actor),
        lambda: rules.get_screening_version(world.cw, actor, 1),
        lambda: rules.activate_screening_version(world.cw, actor, 1),
        lambda: rules.preview_screening(world.cw, actor, texts, {}, "en"),
    ]
    for call in calls:
        if role is Role.ADMINISTRATOR:
            call()
        else:
            with pytest.raises(PermissionDeniedError):
                call()
    count = _stored_count(world)
    if role is not Role.ADMINISTRATOR:
        with pytest.raises(PermissionDeniedError):
            rules.save_screening_version(world.cw, actor, texts, "not mine to change")
        assert _stored_count(world) == count


def test_the_preview_shows_flags_and_pathways_of_the_draft_and_stores_nothing(
    world: World,
) -> None:
    count = _stored_count(world)
    answers = {"age_years": 15, "travelling_with": "alone"}
    report = rules.preview_screening(world.cw, ADMIN, packaged_screening_texts(), answers, "ar")
    assert [f.code for f in report.flags] == ["unaccompanied-separated-child"]
    assert report.recommendations[0].pathway == "child-protection"
    assert report.flags[0].explanations[0].startswith("دون 18")
    with pytest.raises(ValidationError) as caught:
        rules.preview_screening(
            world.cw, ADMIN, packaged_screening_texts(), {"age_years": 400}, "en"
        )
    assert caught.value.errors[0].field == "answers.age_years"
    assert _stored_count(world) == count
