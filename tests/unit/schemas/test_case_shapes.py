"""The casework wire shapes convert into the services' domain inputs, and domain records into
the documented answers, without losing or inventing a field."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from itinera.domain.case import ConsentRecord, LegalBasis, Purpose, Sex
from itinera.domain.case_record import CaseChanges, CaseFile, CaseRecord, ConsentStatement
from itinera.domain.screening import Urgency
from itinera.schemas.case_answers import CaseFileOut, CaseOut
from itinera.schemas.cases import CaseEdit, CaseIn, ReferralIn

AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _record(**changes: object) -> CaseRecord:
    values: dict[str, object] = {
        "id": "C-0000-0000-0001",
        "organisation_id": 7,
        "version": 3,
        "flags": ("pregnant",),
        "consent": ConsentRecord(
            {Purpose.SCREENING: LegalBasis.CONSENT, Purpose.REGISTRATION: LegalBasis.CONSENT},
            AT,
            "worker",
            withdrawn=frozenset({Purpose.SCREENING}),
        ),
        "created_by": "worker",
        "created_at": AT,
        "erased_at": None,
        "sex": "female",
        "age_group": "18-59",
        "nationality": "GIN",
        "arrival_place": "Melilla",
        "arrival_date": date(2026, 11, 1),
        "route_id": None,
        "given_name": "Amina",
        "family_name": "Testperson",
        "date_of_birth": date(1990, 3, 14),
        "contact": None,
        "document_numbers": ("P1",),
    }
    values.update(changes)
    return CaseRecord(**values)  # type: ignore[arg-type]


def test_a_registration_becomes_a_new_case_with_its_consent() -> None:
    new = CaseIn.model_validate(
        {
            "given_name": " Amina ",
            "family_name": "Testperson",
            "sex": "female",
            "date_of_birth": None,
            "nationality": "GIN",
            "arrival_place": "Melilla",
            "arrival_date": "2026-11-01",
            "consent": {"purposes": ["registration", "referral"]},
            "document_numbers": ["P1", "P2"],
        }
    ).to_domain()
    assert (new.given_name, new.sex, new.arrival_date) == ("Amina", Sex.FEMALE, date(2026, 11, 1))
    assert new.document_numbers == ("P1", "P2") and new.contact is None
    assert new.consent == ConsentStatement((Purpose.REGISTRATION, Purpose.REFERRAL))


def test_an_edit_changes_only_the_fields_sent_and_null_clears_one() -> None:
    changes = CaseEdit.model_validate({"version": 4, "contact": None, "arrival_place": "Nador"})
    assert changes.to_domain() == CaseChanges(4, {"contact": None, "arrival_place": "Nador"})
    with_consent = CaseEdit.model_validate(
        {"version": 1, "consent": {"purposes": ["registration"], "basis": "vital-interest"}}
    ).to_domain()
    assert with_consent.values == {}
    assert with_consent.consent == ConsentStatement(
        (Purpose.REGISTRATION,), LegalBasis.VITAL_INTEREST
    )


def test_changes_refuse_a_field_that_is_not_editable() -> None:
    with pytest.raises(ValueError, match="not editable: organisation_id"):
        CaseChanges(1, {"organisation_id": 2})


def test_a_referral_request_keeps_the_pathway_defaults_unset() -> None:
    request = ReferralIn.model_validate(
        {"case_id": "C-1", "to_organisation_id": 2, "pathway": "gbv-services", "reason": "x"}
    ).to_domain()
    assert request.shared_fields is None and request.due_date is None and request.send
    assert request.urgency is Urgency.NORMAL


def test_a_case_answers_its_consent_as_purposes_agreed_and_withdrawn() -> None:
    answer = CaseOut.of(_record()).model_dump(mode="json")
    assert answer["consent"] == {
        "purposes": ["registration"],
        "withdrawn": ["screening"],
        "bases": {"screening": "consent", "registration": "consent"},
        "recorded_at": "2026-11-02T09:30:00+00:00",
        "recorded_by": "worker",
    }
    assert answer["document_numbers"] == ["P1"] and answer["date_of_birth"] == "1990-03-14"
    assert answer["erased"] is False and "screenings" not in answer


def test_an_erased_case_answers_nulls_for_what_identified_the_person() -> None:
    erased = _record(
        given_name=None,
        family_name=None,
        date_of_birth=None,
        document_numbers=None,
        erased_at=AT,
    )
    answer = CaseFileOut.of(CaseFile(erased)).model_dump(mode="json")
    assert answer["erased"] is True and answer["screenings"] == []
    assert [answer[k] for k in ("given_name", "family_name", "document_numbers")] == [None] * 3
    assert list(answer)[-2:] == ["screenings", "erased"]


def test_shared_fields_hold_only_what_was_decrypted() -> None:
    record = _record(contact=None, decrypted=frozenset({"given_name"}))
    assert record.fields() == {
        "id": "C-0000-0000-0001",
        "flags": ["pregnant"],
        "sex": "female",
        "age_group": "18-59",
        "nationality": "GIN",
        "arrival_place": "Melilla",
        "arrival_date": date(2026, 11, 1),
        "route_id": None,
        "given_name": "Amina",
    }
