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
    Role.TRACING: "Tracing team",
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
    "sector": "Sector",
    "pillar": "Pillar",
    "country": "Country",
    "title": "Activity",
    "project_code": "Project code",
    "adm1": "Admin area",
    "adm2": "District",
    "population_group": "For whom",
    "indicator": "Indicator",
    "start": "Start",
    "end": "End",
    "status": "Status",
    "aggregation": "How figures add up over months",
    "budget": "Budget",
    "currency": "Currency",
    "period": "Period",
    "in_need": "People in need",
    "targeted": "People targeted",
    "reached": "People reached",
    "state": "State",
    "keep": "Organisation that stays",
    "child_assent": "The child's assent",
    "child_decision": "Decision for the child",
    "flags_agreed": "Flags shared with agreement",
    "reader": "Reader",
    "comment": "What changed and why",
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
    "job.submit": "Started a job",
    "job.cancel": "Cancelled a job",
    "movements.route_set": "Put figures on a route",
    "movements.reattribute": "Placed figures again by the route rules",
    "screening_rules.save": "Saved a screening rules version",
    "screening_rules.activate": "Made a screening rules version active",
}
_ENTITY = {
    "case": "Case",
    "referral": "Referral",
    "user": "User",
    "organisation": "Organisation",
    "token": "API token",
    "audit": "Audit trail",
    "keys": "Encryption keys",
    "job": "Job",
    "screening_rules": "Screening rules",
    "route_attribution": "Route attribution rules",
}
_JOB_STATUS = {
    "queued": "Waiting for a worker",
    "running": "Running",
    "done": "Done",
    "failed": "Failed",
    "cancelled": "Cancelled",
}
_JOB_STEP = {  # the message keys jobs report with their progress
    "queued": "Waiting for a worker",
    "started": "Started",
    "resumed": "Started again after a restart",
    "reading": "Reading the file",
    "records_read": "Records read",
    "rendering": "Rendering",
    "matching": "Comparing records",
    "siting": "Choosing sites",
    "done": "Done",
    "failed": "Failed",
    "cancelled": "Cancelled",
}
_JOB_KIND = {
    "import.movements": "Import of movement data",
    "import.services": "Import of a service list",
    "report.route": "Route report",
    "tracing.match": "Tracing linkage",
    "services.siting": "Siting of new services",
}
_ROUTE_MEANS = {  # how a figure got its route (domain.route_attribution.RouteMethod)
    "alias": "The publisher's route name",
    "publisher": "The publisher's file layout",
    "place-rule": "A rule for the place",
    "coordinates": "The nearest leg to the coordinates",
    "analyst": "An analyst's choice",
    "none": "On no route",
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
        "job_status": MappingProxyType(_JOB_STATUS),
        "job_step": MappingProxyType(_JOB_STEP),
        "job_kind": MappingProxyType(_JOB_KIND),
        "activity_status": MappingProxyType(
            {
                "planned": "planned",
                "ongoing": "ongoing",
                "completed": "completed",
                "suspended": "suspended",
            }
        ),
        "report_state": MappingProxyType(
            {
                "draft": "draft",
                "submitted": "submitted",
                "approved": "approved",
                "returned": "returned",
            }
        ),
        "aggregation": MappingProxyType(
            {
                "sum": "New people each month (added up)",
                "max": "Cumulative (the largest month counts)",
                "average": "A level (the mean of the months)",
                "count_sites": "Sites served (each once)",
            }
        ),
        "route_means": MappingProxyType(_ROUTE_MEANS),
    }
)
"""vocabulary → code → English label (a message id of the catalogs)."""


def all_labels() -> set[str]:
    from itinera.web.form_messages import MESSAGES

    words = {label for vocabulary in LABELS.values() for label in vocabulary.values()}
    return words | set(MESSAGES.values()) | {"Other information", "Other action", "Other record"}
