import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import User
from accounts.selectors import user_roles
from audit.models import AuditEvent


def auditevent_visible_to(user: User | AnonymousUser) -> QuerySet[AuditEvent]:
    """The audit trail is for managers (management oversight); nobody else reads it."""
    if user_roles(user).is_manager:
        return AuditEvent.objects.all()
    return AuditEvent.objects.none()


def audit_events_filtered(
    events: QuerySet[AuditEvent],
    *,
    actor: User | None = None,
    target_type: str = "",
    target_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    if actor is not None:
        events = events.filter(actor=actor)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events.select_related("actor", "scheme")


ACTION_LABELS = {
    "mentee.viewed": "Opened a mentee's record",
    "mentee.created": "Added a mentee",
    "relationship.created": "Matched a mentor with a mentee",
    "relationship.viewed": "Opened a relationship's record",
    "scheme.created": "Created a scheme",
    "scheme.updated": "Edited a scheme",
    "user.invited": "Invited a person",
    "user.closed": "Closed an account",
    "user.reopened": "Reopened an account",
    "membership.added": "Gave a role",
    "membership.removed": "Took away a role",
    "mentor.viewed": "Opened a mentor's file",
    "mentor.created": "Added a mentor",
    "mentor.updated": "Edited a mentor's details",
    "mentor.status_changed": "Changed a mentor's status",
    "mentor.dbs_check_added": "Recorded a DBS check",
    "mentor.clearance_added": "Recorded a prison clearance",
    "mentor.training_added": "Recorded training",
    "mentor.reference_added": "Recorded a reference",
    "mentor.availability_set": "Set a mentor's availability",
    "mentor.unavailable_period_added": "Recorded a mentor's time away",
    "mentor.supervision_logged": "Logged supervision",
    "mentor.imported": "Imported a mentor",
    "mentor.unavailable_period_removed": "Removed a mentor's time away",
    "mentor.contact_changed": "Changed a mentor's contact details",
    "mentor.capacity_requested": "Asked for a change of capacity",
    "mentor.capacity_approved": "Approved a change of capacity",
    "mentor.capacity_declined": "Declined a change of capacity",
    "mentor.reflection_saved": "Saved a reflection for supervision",
    "mentor.expiry_reminded": "Reminded a mentor and their coordinators that a check expires",
    "mentee.updated": "Edited a mentee's details",
    "mentee.imported": "Imported a mentee",
    "mentee.readiness_recorded": "Recorded readiness for mentoring",
    "mentee.needs_recorded": "Recorded needs and preferences",
    # Equality monitoring (mentees/equality/): the questions named, never the answers.
    "mentee.equality_recorded": "Recorded a person's equality answers",
    "mentee.equality_cleared": "Removed a person's equality answers, as they asked",
    "mentee.equality_viewed": "Opened a person's equality answers",
    "referral.created": "Took a referral",
    "referral.moved": "Moved a referral",
    "consent.recorded": "Recorded consent",
    "consent.withdrawn": "Recorded withdrawal of consent",
    "restriction.added": "Added a safety restriction",
    "restriction.ended": "Ended a safety restriction",
    "contact_attempt.recorded": "Logged a contact attempt",
    "relationship.closed": "Closed a relationship",
    # Matching
    "relationship.unmatched": "Undid a match (un-matched)",
    "scheme.funding_added": "Added funding",
    "scheme.funding_removed": "Removed funding",
    "scheme.target_added": "Added a target",
    "scheme.target_removed": "Removed a target",
    "import.completed": "Imported a spreadsheet",
    "import.uploaded": "Uploaded a spreadsheet to import",
    "import.checked": "Checked a spreadsheet before importing it",
    "import.confirmed": "Confirmed a spreadsheet import",
    "import.done": "Imported a spreadsheet",
    "flag.acknowledged": "Acknowledged a flag",
    "report.requested": "Asked for a funder report",
    "report.extract_requested": "Asked for a case-level extract",
    "report.downloaded": "Downloaded a report",
    "flag.resolved": "Resolved a flag by hand",
    "flag.resolved_with_closure": "Closed a relationship, which resolved its flag",
    # Goal plans, reviews and the relationship's life.
    "relationship.paused": "Paused a relationship",
    "relationship.resumed": "Resumed a relationship",
    "relationship.ending_agreed": "Recorded an agreed exit plan",
    "relationship.reopened": "Reopened a relationship",
    "relationship.imported_gap": "Imported where a relationship had got to",
    "goal.created": "Added a goal",
    "goal.updated": "Edited a goal",
    "goal.status_changed": "Marked a goal achieved, dropped or active",
    "step.created": "Added a step",
    "step.updated": "Edited a step",
    "step.done": "Marked a step done",
    "review.recorded": "Recorded a review",
    # Meetings (relationships.meetings.services)
    "meeting.logged": "Logged a meeting",
    "meeting.concern_raised": "Raised a concern with the coordinators",
    # Concerns (concerns.services, concerns.transitions)
    "concern.raised": "Raised a concern",
    "concern.viewed": "Opened a concern",
    "concern.acknowledged": "Acknowledged a concern",
    "concern.action_added": "Recorded an action on a concern",
    "concern.closed": "Closed a concern",
    "concern.escalated": "Escalated a concern to the managers (not acknowledged in time)",
    "relationship.activated": "First meeting held: relationship active",
    # Imports of past relationships and meetings (relationships/imports.py).
    "relationship.imported": "Imported a relationship",
    "meeting.imported": "Imported a meeting",
    # Funder reports (reports/).
    "report.exported": "Exported a funder report",
    # Reading without changing (issue 15).
    "mentee.edit_form_viewed": "Opened a mentee's details to edit (date of birth, prison number)",
    "mentee.searched": "Searched the mentee list",
    "flag.viewed": "Opened a flag",
    "report.viewed": "Read a report on screen",
    "audit.viewed": "Read the audit trail",
    # Match offers (relationships/matching/).
    "offer.made": "Offered a match to a mentor",
    "offer.viewed": "Opened a match offer",
    "offer.accepted": "Accepted a match offer",
    "offer.declined": "Declined a match offer",
    "offer.lapsed": "A match offer was not answered in time",
    "offer.withdrawn": "Withdrew a match offer",
    "offer.accept_refused": "Tried to accept a match offer that could not be taken",
    "plan.planned": "Planned a meeting",
    "plan.moved": "Moved a planned meeting to a new time",
    "plan.held": "Recorded a planned meeting as held",
    "plan.did_not_attend": "Recorded that the mentee did not turn up to a planned meeting",
    "plan.cancelled_by_mentee": "Recorded a planned meeting as cancelled by the mentee",
    "plan.cancelled_by_mentor": "Recorded a planned meeting as cancelled by the mentor",
    "plan.cancelled_by_coordinator": "Cancelled a planned meeting for the coordinator",
    "plan.reminded": "Reminded the mentor of a planned meeting, the day before",
    "plan.asked": "Asked the mentor whether a planned meeting happened",
    # Signing in, passwords and sessions (accounts/).
    "user.logged_in": "Signed in",
    "user.login_failed": "Failed to sign in (wrong email or password)",
    "user.locked_out": "Locked out after too many failed sign-ins",
    "user.logged_out": "Signed out",
    "user.password_changed": "Changed their password",
    "user.password_reset_requested": "Asked for a password reset email",
    "user.password_reset": "Set a new password from a reset email",
    "user.sessions_ended": "Signed out everywhere else",
    # The second factor: a code from an authenticator app (accounts/second_factor/).
    "second_factor.enrolled": "Set up sign-in codes from an authenticator app",
    "second_factor.verified": "Gave a correct sign-in code (fully signed in)",
    "second_factor.failed": "Gave a wrong sign-in code",
    "second_factor.recovery_code_used": "Signed in with a recovery code",
    "second_factor.reset": "Reset a person's sign-in codes (they set them up again)",
    "second_factor.recovery_codes_renewed": "Made new recovery codes (the old ones stop working)",
    # Retention, erasure and subject access (privacy/).
    "retention.run": "Nightly clean-up: old records anonymised, private notes deleted",
    "mentee.anonymised": "Removed a person's details at the end of the time they are kept",
    "mentee.erased": "Erased a person's record at their request",
    "subject_access.generated": "Drafted a copy of a person's record for them",
    "subject_access.viewed": "Read a copy of a person's record",
    "subject_access.released": "Released a copy of a person's record to be given to them",
    "subject_access.downloaded": "Downloaded a copy of a person's record",
}

#: How the second step was passed (``second_factor.verified``'s ``device``), in words.
DEVICE_LABELS = {"app": "the authenticator app", "recovery_code": "a recovery code"}

#: The filters a search event names, in words (the words searched for are never kept).
FILTER_LABELS = {
    "q": "name or reference",
    "scheme": "scheme",
    "situation": "situation",
    "status": "referral status",
    "actor": "person",
    "target_type": "record type",
    "target_id": "record",
    "date_from": "from",
    "date_to": "to",
}

#: Case records that belong to one person: the trail names the person's reference and links
#: to their record, not a database number.
PERSON_RECORDS = {
    "mentees.referral": "mentee__reference",
    "mentees.consent": "mentee__reference",
    "mentees.safetyrestriction": "mentee__reference",
    "mentees.contactattempt": "referral__mentee__reference",
    "relationships.relationship": "mentee__reference",
    "relationships.goal": "relationship__mentee__reference",
    "relationships.step": "goal__relationship__mentee__reference",
    "relationships.review": "relationship__mentee__reference",
    "relationships.meeting": "relationship__mentee__reference",
    "concerns.concern": "mentee__reference",
}
PERSON_RECORD_LABELS = {
    "mentees.referral": "Referral",
    "mentees.consent": "Consent",
    "mentees.safetyrestriction": "Restriction",
    "mentees.contactattempt": "Contact attempt",
    "relationships.relationship": "Relationship",
    "relationships.goal": "Goal",
    "relationships.step": "Step",
    "relationships.review": "Review",
    "relationships.meeting": "Meeting",
    "concerns.concern": "Concern",
}


@dataclass(frozen=True)
class DescribedEvent:
    """An audit event as a manager reads it: what happened, to which record, in words."""

    event: AuditEvent
    label: str
    target_label: str
    target_url: str | None
    detail: list[str]


def _targets(events: list[AuditEvent]) -> dict[tuple[str, str], tuple[str, str | None]]:
    """Labels and links for every record the events name: one query per kind of record."""
    from mentees.models import Mentee
    from schemes.models import Mentor, Scheme

    ids: dict[str, set[int]] = {}
    for e in events:
        if e.target_id.isdecimal():
            ids.setdefault(e.target_type, set()).add(int(e.target_id))
    found: dict[tuple[str, str], tuple[str, str | None]] = {}
    for pk, ref in Mentee.objects.filter(pk__in=ids.get("mentees.mentee", ())).values_list(
        "pk", "reference"
    ):
        found["mentees.mentee", str(pk)] = (f"Mentee {ref}", reverse("mentees:detail", args=[pk]))
    for pk, name in User.objects.filter(pk__in=ids.get("accounts.user", ())).values_list(
        "pk", "full_name"
    ):
        found["accounts.user", str(pk)] = (name, reverse("accounts:detail", args=[pk]))
    for pk, name in Scheme.objects.filter(pk__in=ids.get("schemes.scheme", ())).values_list(
        "pk", "name"
    ):
        found["schemes.scheme", str(pk)] = (name, reverse("schemes:detail", args=[pk]))
    for mentor in Mentor.objects.filter(pk__in=ids.get("schemes.mentor", ())).only(
        "pk", "given_name", "family_name", "reference"
    ):
        pk = mentor.pk
        found["schemes.mentor", str(pk)] = (
            f"Mentor {mentor}",
            reverse("mentors:detail", args=[pk]),
        )
    return found


def _person_records(ids: dict[str, set[int]]) -> dict[tuple[str, str], tuple[str, str | None]]:
    """Labels for records that belong to a person: one query per kind present."""
    from django.apps import apps

    found: dict[tuple[str, str], tuple[str, str | None]] = {}
    for label, path in PERSON_RECORDS.items():
        if not ids.get(label):
            continue
        model = apps.get_model(label)
        mentee_path = path.removesuffix("__reference") + "_id"
        rows = model.objects.filter(pk__in=ids[label]).values_list("pk", path, mentee_path)
        for pk, reference, mentee_id in rows:
            found[label, str(pk)] = (
                f"{PERSON_RECORD_LABELS[label]} of mentee {reference}",
                reverse("mentees:detail", args=[mentee_id]),
            )
    return found


STEP_LABELS = {
    "referral.moved": "Referral",
    "mentor.status_changed": "Status",
}


def record_kind_name(target_type: str) -> str:
    """A kind of record in words, from the model's verbose name: ``reports.reportexport``
    is "Report export", never "Reportexport". A label no longer installed falls back to
    its model name with underscores as spaces."""
    from django.apps import apps

    try:
        name = str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        name = target_type.rsplit(".", 1)[-1].replace("_", " ")
    return name[:1].upper() + name[1:]


def audit_events_described(events: list[AuditEvent]) -> list[DescribedEvent]:
    targets = _targets(events)
    ids: dict[str, set[int]] = {}
    for e in events:
        if e.target_id.isdecimal():
            ids.setdefault(e.target_type, set()).add(int(e.target_id))
    targets.update(_person_records(ids))
    described = []
    for e in events:
        default = (f"{record_kind_name(e.target_type)} #{e.target_id}", None)
        label, url = targets.get((e.target_type, e.target_id), default)
        detail = []
        if "role" in e.detail:
            detail.append(f"Role: {e.detail['role']}")
        if e.detail.get("fields"):
            detail.append("Changed: " + ", ".join(_words(f) for f in e.detail["fields"]))
        if e.detail.get("filters"):
            names = (FILTER_LABELS.get(f, _words(f)) for f in e.detail["filters"])
            detail.append("Filters: " + ", ".join(names))
        if e.action == "second_factor.verified":
            device = e.detail.get("device")
            detail.append(f"With: {DEVICE_LABELS.get(device, _words(device))}")
        if e.action == "mentee.searched":
            detail.append(f"People listed: {e.detail.get('results', 0)}")
        if e.detail.get("via") == "command_line":
            detail.append("Done from the command line on the server")
        if e.action in STEP_LABELS:
            step = f"{_words(e.detail.get('from'))} → {_words(e.detail.get('to'))}"
            reason = f" ({_words(e.detail['reason'])})" if e.detail.get("reason") else ""
            detail.append(f"{STEP_LABELS[e.action]}: {step}{reason}")
        described.append(
            DescribedEvent(
                event=e,
                label=ACTION_LABELS.get(e.action, e.action),
                target_label=label,
                target_url=url,
                detail=detail,
            )
        )
    return described


def _words(code: object) -> str:
    """A stored code (in_training, cap_meetings) as words a manager reads (in training)."""
    text = str(code or "").removeprefix("flag_").replace("_", " ")
    return text or "new"
