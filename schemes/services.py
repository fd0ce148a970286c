import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from audit.services import audit_record
from core.services import apply_changes
from schemes.models import Funding, Scheme, Target


@transaction.atomic
def scheme_create(
    *,
    by: User | None,
    name: str,
    kind: str,
    area: str,
    cap_meetings: int | None,
    cap_weeks: int | None,
    review_interval_weeks: int,
    expected_contact_days: int,
    flag_no_first_meeting_days: int,
    flag_no_contact_after_release_days: int,
    flag_review_overdue_days: int,
    flag_waiting_for_match_days: int,
    flag_no_contact_attempt_days: int,
    flag_missed_meetings: int,
    flag_mentor_led_percent: int,
    flag_done_for_percent: int,
    flag_too_long_weeks: int,
    concern_acknowledge_hours: int = 24,
    offer_open_days: int = 3,
    retention_years: int = 6,
    private_notes_keep_days: int = 30,
    second_factor_for_mentors: bool = False,
    flag_plan_outcome_days: int = 3,
    expiry_first_reminder_days: int = 60,
    expiry_last_reminder_days: int = 14,
) -> Scheme:
    """A new scheme with its rules for a relationship and the watcher's thresholds. ``by`` is
    None only when the system acts (``manage.py create_scheme`` for a new deployment)."""
    scheme = Scheme(
        name=name.strip(),
        kind=kind,
        area=area.strip(),
        cap_meetings=cap_meetings,
        cap_weeks=cap_weeks,
        review_interval_weeks=review_interval_weeks,
        expected_contact_days=expected_contact_days,
        flag_no_first_meeting_days=flag_no_first_meeting_days,
        flag_no_contact_after_release_days=flag_no_contact_after_release_days,
        flag_review_overdue_days=flag_review_overdue_days,
        flag_waiting_for_match_days=flag_waiting_for_match_days,
        flag_no_contact_attempt_days=flag_no_contact_attempt_days,
        flag_missed_meetings=flag_missed_meetings,
        flag_mentor_led_percent=flag_mentor_led_percent,
        flag_done_for_percent=flag_done_for_percent,
        flag_too_long_weeks=flag_too_long_weeks,
        concern_acknowledge_hours=concern_acknowledge_hours,
        offer_open_days=offer_open_days,
        retention_years=retention_years,
        private_notes_keep_days=private_notes_keep_days,
        second_factor_for_mentors=second_factor_for_mentors,
        flag_plan_outcome_days=flag_plan_outcome_days,
        expiry_first_reminder_days=expiry_first_reminder_days,
        expiry_last_reminder_days=expiry_last_reminder_days,
    )
    scheme.full_clean()
    scheme.save()
    audit_record(actor=by, action="scheme.created", target=scheme, scheme=scheme)
    return scheme


@transaction.atomic
def scheme_update(
    *,
    scheme: Scheme,
    by: User,
    name: str,
    kind: str,
    area: str,
    cap_meetings: int | None,
    cap_weeks: int | None,
    review_interval_weeks: int,
    expected_contact_days: int,
    flag_no_first_meeting_days: int,
    flag_no_contact_after_release_days: int,
    flag_review_overdue_days: int,
    flag_waiting_for_match_days: int,
    flag_no_contact_attempt_days: int,
    flag_missed_meetings: int,
    flag_mentor_led_percent: int,
    flag_done_for_percent: int,
    flag_too_long_weeks: int,
    concern_acknowledge_hours: int = 24,
    offer_open_days: int = 3,
    retention_years: int = 6,
    private_notes_keep_days: int = 30,
    second_factor_for_mentors: bool = False,
    flag_plan_outcome_days: int = 3,
    expiry_first_reminder_days: int = 60,
    expiry_last_reminder_days: int = 14,
) -> Scheme:
    """Change a scheme's details, rules or thresholds; the audit names what changed.

    Works on a fresh, locked copy of the row: the caller's ``scheme`` stays as it was if the
    change is refused, so the page can still name the scheme as it is."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    values = {
        "name": name.strip(),
        "kind": kind,
        "area": area.strip(),
        "cap_meetings": cap_meetings,
        "cap_weeks": cap_weeks,
        "review_interval_weeks": review_interval_weeks,
        "expected_contact_days": expected_contact_days,
        "flag_no_first_meeting_days": flag_no_first_meeting_days,
        "flag_no_contact_after_release_days": flag_no_contact_after_release_days,
        "flag_review_overdue_days": flag_review_overdue_days,
        "flag_waiting_for_match_days": flag_waiting_for_match_days,
        "flag_no_contact_attempt_days": flag_no_contact_attempt_days,
        "flag_missed_meetings": flag_missed_meetings,
        "flag_mentor_led_percent": flag_mentor_led_percent,
        "flag_done_for_percent": flag_done_for_percent,
        "flag_too_long_weeks": flag_too_long_weeks,
        "concern_acknowledge_hours": concern_acknowledge_hours,
        "offer_open_days": offer_open_days,
        "retention_years": retention_years,
        "private_notes_keep_days": private_notes_keep_days,
        "second_factor_for_mentors": second_factor_for_mentors,
        "flag_plan_outcome_days": flag_plan_outcome_days,
        "expiry_first_reminder_days": expiry_first_reminder_days,
        "expiry_last_reminder_days": expiry_last_reminder_days,
    }
    changed = sorted(apply_changes(scheme, values))
    if not changed:
        return scheme
    scheme.full_clean()
    scheme.save()
    audit_record(
        actor=by, action="scheme.updated", target=scheme, scheme=scheme, detail={"fields": changed}
    )
    return scheme


@transaction.atomic
def funding_add(
    *,
    by: User,
    scheme: Scheme,
    funder: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reference: str = "",
) -> Funding:
    funding = Funding(
        scheme=scheme, funder=funder, reference=reference, starts_on=starts_on, ends_on=ends_on
    )
    funding.full_clean()
    funding.save()
    audit_record(
        actor=by,
        action="scheme.funding_added",
        target=scheme,
        scheme=scheme,
        detail={"funding": funding.pk},
    )
    return funding


@transaction.atomic
def funding_remove(*, by: User, funding: Funding) -> None:
    scheme, pk = funding.scheme, funding.pk
    funding.delete()
    audit_record(
        actor=by,
        action="scheme.funding_removed",
        target=scheme,
        scheme=scheme,
        detail={"funding": pk},
    )


@transaction.atomic
def target_add(
    *,
    by: User,
    scheme: Scheme,
    stage: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    number: int,
) -> Target:
    target = Target(scheme=scheme, stage=stage, starts_on=starts_on, ends_on=ends_on, number=number)
    target.full_clean()
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as exc:
        raise ValidationError("There is already a target for this stage and period") from exc
    audit_record(
        actor=by,
        action="scheme.target_added",
        target=scheme,
        scheme=scheme,
        detail={"stage": target.stage, "number": target.number},
    )
    return target


@transaction.atomic
def target_remove(*, by: User, target: Target) -> None:
    scheme, stage = target.scheme, target.stage
    target.delete()
    audit_record(
        actor=by,
        action="scheme.target_removed",
        target=scheme,
        scheme=scheme,
        detail={"stage": stage},
    )
