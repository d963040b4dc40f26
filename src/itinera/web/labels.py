"""The words pages show for codes of known vocabularies (English message ids, translated by
the catalogs): a page never shows ``in_progress`` or ``service_provider`` to a reader.

``tests/conventions/test_translations.py`` checks every label here has fr and ar entries."""

from __future__ import annotations

from types import MappingProxyType

from itinera.domain.access import Role
from itinera.domain.case_list import CaseStatus
from itinera.domain.referral import ReferralStatus

__all__ = ["LABELS", "all_labels"]

_CASE_STATUS = {
    CaseStatus.REGISTERED: "Registered, not screened",
    CaseStatus.SCREENED: "Screened",
    CaseStatus.REFERRED: "Referred",
    CaseStatus.ERASED: "Erased",
}
_REFERRAL_STATUS = {
    ReferralStatus.DRAFT: "Draft",
    ReferralStatus.SENT: "Sent",
    ReferralStatus.ACCEPTED: "Accepted",
    ReferralStatus.DECLINED: "Declined",
    ReferralStatus.IN_PROGRESS: "In progress",
    ReferralStatus.COMPLETED: "Completed",
    ReferralStatus.CLOSED: "Closed",
}
_ACTION = {  # a button moves a referral: a verb, not the status it leads to
    ReferralStatus.SENT: "Send",
    ReferralStatus.ACCEPTED: "Accept",
    ReferralStatus.DECLINED: "Decline",
    ReferralStatus.IN_PROGRESS: "Start the work",
    ReferralStatus.COMPLETED: "Complete",
    ReferralStatus.CLOSED: "Close",
}
_REMINDER = {"overdue": "Overdue", "due-soon": "Due soon", "draft-unsent": "Draft not sent"}
_ROLE = {
    Role.ADMINISTRATOR: "Administrator",
    Role.ANALYST: "Analyst",
    Role.COORDINATOR: "Coordinator",
    Role.CASEWORKER: "Caseworker",
    Role.SERVICE_PROVIDER: "Service provider",
    Role.GATEWAY_AGENT: "Gateway agent",
    Role.OFFICIAL: "Official",
    Role.PUBLIC: "Public",
}
_FIELD = {
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "contact": "Contact",
    "document_numbers": "Document numbers",
    "document_number": "Document number",
    "sex": "Sex",
    "age_group": "Age group",
    "nationality": "Nationality",
    "arrival_place": "Arrival place",
    "arrival_date": "Arrival date",
    "route_id": "Route",
    "flags": "Vulnerabilities",
    "reason": "Reason",
    "to_organisation_id": "Receiving organisation",
    "consent": "Consent",
    "purposes": "Consent",
    "due_date": "Due date",
    "version": "Version",
    "answers": "Answers",
    "child_assent": "The child's assent",
    "child_decision": "Decision for the child",
    "flags_agreed": "Flags shared with agreement",
    "reader": "Reader",
}
_AUDIT_ACTION = {
    "audit.export": "Exported the audit trail",
    "auth.login": "Logged in",
    "auth.login_failed": "Failed to log in",
    "auth.logout": "Logged out",
    "case.consent": "Recorded consent",
    "case.edit": "Edited a case",
    "case.erase": "Erased a case",
    "case.export": "Exported cases (pseudonymised)",
    "case.read": "Opened a case",
    "case.register": "Registered a case",
    "case.screen": "Screened a case",
    "keys.rotate": "Rotated the encryption keys",
    "organisation.create": "Created an organisation",
    "referral.create": "Created a referral",
    "referral.read": "Opened a referral",
    "referral.transition": "Moved a referral on",
    "token.issue": "Issued an API token",
    "token.revoke": "Revoked an API token",
    "user.create": "Created a user",
}
_ENTITY = {
    "case": "Case",
    "referral": "Referral",
    "user": "User",
    "organisation": "Organisation",
    "token": "API token",
    "audit": "Audit trail",
    "keys": "Encryption keys",
}
_PURPOSE = {
    "registration": "registration",
    "screening": "screening",
    "referral": "referral",
    "follow-up": "follow-up",
}

LABELS = MappingProxyType(
    {
        "case_status": MappingProxyType({k.value: v for k, v in _CASE_STATUS.items()}),
        "referral_status": MappingProxyType({k.value: v for k, v in _REFERRAL_STATUS.items()}),
        "referral_action": MappingProxyType({k.value: v for k, v in _ACTION.items()}),
        "reminder": MappingProxyType(_REMINDER),
        "role": MappingProxyType({k.value: v for k, v in _ROLE.items()}),
        "field": MappingProxyType(_FIELD),
        "contact": MappingProxyType(
            {"phone": "Phone", "whatsapp": "WhatsApp", "hotline": "Hotline"}
        ),
        "audit_action": MappingProxyType(_AUDIT_ACTION),
        "entity": MappingProxyType(_ENTITY),
        "purpose": MappingProxyType(_PURPOSE),
        "country_special": MappingProxyType({"XXA": "Stateless", "XXX": "Unknown"}),
    }
)
"""vocabulary → code → English label (a message id of the catalogs)."""


def all_labels() -> set[str]:
    from itinera.web.form_messages import MESSAGES

    words = {label for vocabulary in LABELS.values() for label in vocabulary.values()}
    return words | set(MESSAGES.values()) | {"Other information", "Other action", "Other record"}
