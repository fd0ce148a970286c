"""The person's record and their referral through the pipeline: taking a referral, changing
the record, moving the referral, and the attempts to reach the person. What is learned while
assessing them (consent, readiness, needs, restrictions) is in ``mentees.assessment``."""

import datetime
import secrets
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.queue import sweep_soon
from core.services import apply_changes
from mentees.models import ContactAttempt, Mentee, Referral
from mentees.selectors import consent_current, consent_withdrawn
from mentees.transitions import referral_transition
from relationships.services import offers_withdraw_for_referral, relationships_end_for_mentee
from schemes.models import Scheme

Status = Referral.Status


class MenteeDetails(TypedDict, total=False):
    """Who a person is, how to reach them and where they are now: the fields of a mentee's
    record that ``referral_create`` takes for someone new and ``mentee_update`` changes."""

    given_name: str
    family_name: str
    date_of_birth: datetime.date | None
    external_reference: str
    phone: str
    email: str
    situation: str
    establishment: str
    expected_release_on: datetime.date | None
    released_on: datetime.date | None
    next_court_date: datetime.date | None
    home_area: str


def _new_reference() -> str:
    """A pseudonymous reference: random, so it reveals nothing about order or volume."""
    for _ in range(10):
        reference = f"T{secrets.randbelow(10**7):07d}"
        if not Mentee.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not find a free mentee reference.")


@transaction.atomic
def referral_create(
    *,
    by: User,
    scheme: Scheme,
    person: MenteeDetails,
    source: str,
    referred_on: datetime.date,
    reason: str,
    referrer_name: str = "",
    referrer_organisation: str = "",
) -> Referral:
    """Take a referral of someone new to the scheme: the person's record and the first step
    of their referral, in one transaction."""
    mentee = Mentee(scheme=scheme, reference=_new_reference(), **person)
    mentee.full_clean()
    mentee.save()
    audit_record(actor=by, action="mentee.created", target=mentee, scheme=scheme)
    return referral_open(
        by=by,
        mentee=mentee,
        source=source,
        referred_on=referred_on,
        reason=reason,
        referrer_name=referrer_name,
        referrer_organisation=referrer_organisation,
    )


@transaction.atomic
def referral_open(
    *,
    by: User,
    mentee: Mentee,
    source: str,
    referred_on: datetime.date,
    reason: str,
    referrer_name: str = "",
    referrer_organisation: str = "",
) -> Referral:
    """A new referral episode for a person the scheme knows (or has just recorded)."""
    if referred_on > timezone.localdate():
        raise ValidationError({"referred_on": "The referral date cannot be in the future"})
    referral = Referral(
        mentee=mentee,
        source=source,
        referrer_name=referrer_name.strip(),
        referrer_organisation=referrer_organisation.strip(),
        referred_on=referred_on,
        reason=reason.strip(),
    )
    referral = referral_transition(
        by=by, referral=referral, to_status=Status.REFERRED, on=referred_on
    )
    audit_record(
        actor=by,
        action="referral.created",
        target=referral,
        scheme=mentee.scheme,
        detail={"mentee": mentee.pk, "source": source},
    )
    return referral


@transaction.atomic
def mentee_update(
    *,
    by: User,
    mentee: Mentee,
    given_name: str,
    family_name: str,
    date_of_birth: datetime.date | None,
    external_reference: str,
    phone: str,
    email: str,
    situation: str,
    establishment: str,
    expected_release_on: datetime.date | None,
    released_on: datetime.date | None,
    next_court_date: datetime.date | None,
    home_area: str,
) -> Mentee:
    """Change identity, contact or situation. The audit names the fields, never the values."""
    changed = apply_changes(
        mentee,
        {
            "given_name": given_name,
            "family_name": family_name,
            "date_of_birth": date_of_birth,
            "external_reference": external_reference,
            "phone": phone,
            "email": email,
            "situation": situation,
            "establishment": establishment,
            "expected_release_on": expected_release_on,
            "released_on": released_on,
            "next_court_date": next_court_date,
            "home_area": home_area,
        },
    )
    if not changed:
        return mentee
    mentee.full_clean()
    mentee.save()
    audit_record(
        actor=by,
        action="mentee.updated",
        target=mentee,
        scheme=mentee.scheme,
        detail={"fields": changed},
    )
    if "released_on" in changed or "situation" in changed:
        sweep_soon(scheme_id=mentee.scheme_id)
    return mentee


@transaction.atomic
def referral_move(
    *,
    by: User,
    referral: Referral,
    to_status: str,
    on: datetime.date,
    exit_reason: str = "",
    note: str = "",
    by_relationship: bool = False,
) -> Referral:
    """Move a referral one step through the pipeline: dated, attributed and audited.

    Nobody waits for a match without informed consent on record, and a referral that stops
    early says why, in a coded reason the funnel report can count. Matched, active and ended
    follow the relationship (``by_relationship``); leaving a match any other way closes the
    relationship, so the mentor loses sight of the person.
    """
    current = (
        Referral.objects.select_for_update().values_list("status", flat=True).get(pk=referral.pk)
    )
    referral = referral_transition(
        by=by,
        referral=referral,
        to_status=to_status,
        on=on,
        exit_reason=exit_reason,
        note=note,
        by_relationship=by_relationship,
    )
    if current in (Status.MATCHED, Status.ACTIVE) and not by_relationship:
        relationships_end_for_mentee(
            by=by, mentee=referral.mentee, on=on, reason=exit_reason or "unmatched"
        )
    if current == Status.AWAITING_MATCH and not by_relationship:
        # Nobody is asked to mentor someone who stopped waiting.
        offers_withdraw_for_referral(by=by, referral_id=referral.pk)
    return referral


@transaction.atomic
def referral_start_assessment(*, by: User, referral: Referral, on: datetime.date) -> Referral:
    """The named step from "referred" to "assessing" (``mentees.next_step``): one click on
    the person's page, with the pipeline's own checks."""
    return referral_transition(by=by, referral=referral, to_status=Status.ASSESSING, on=on)


@transaction.atomic
def referral_add_to_waiting_list(*, by: User, referral: Referral, on: datetime.date) -> Referral:
    """Ready to match: the person waits for a mentor. Besides the pipeline's own rule
    (consent on record), the named step promises that their readiness was assessed, so it
    asks for it. Someone consented and assessed while still shown as referred goes through
    "assessing" on the way, so the history shows both steps."""
    referral = Referral.objects.select_for_update().select_related("mentee").get(pk=referral.pk)
    if referral.status not in (Status.REFERRED, Status.ASSESSING):
        raise ValidationError(
            f"This referral is {referral.get_status_display().lower()}: only someone referred "
            "or being assessed can be added to the waiting list"
        )
    if consent_current(referral.mentee) is None:
        raise ValidationError(
            "Record the person's informed consent before they wait for a match: mentoring "
            "is voluntary, and they must have agreed to it"
        )
    if referral.mentee.readiness_assessed_on is None:
        raise ValidationError("Record their readiness for mentoring before they wait for a match")
    if referral.status == Status.REFERRED:
        referral = referral_transition(by=by, referral=referral, to_status=Status.ASSESSING, on=on)
    return referral_transition(by=by, referral=referral, to_status=Status.AWAITING_MATCH, on=on)


@transaction.atomic
def contact_attempt_record(
    *,
    by: User,
    referral: Referral,
    attempted_on: datetime.date,
    channel: str,
    outcome: str,
    note: str = "",
) -> ContactAttempt:
    referral = Referral.objects.select_for_update().select_related("mentee").get(pk=referral.pk)
    if not referral.is_open:
        raise ValidationError("This referral has closed; open a new one to get back in touch")
    if consent_withdrawn(referral.mentee):
        raise ValidationError(
            "This person has withdrawn their consent: no new contact until they give it "
            "again. If they have, record their consent first"
        )
    if attempted_on > timezone.localdate():
        raise ValidationError({"attempted_on": "The date cannot be in the future"})
    if attempted_on < referral.referred_on:
        raise ValidationError({"attempted_on": "The date cannot be before the referral"})
    attempt = ContactAttempt(
        referral=referral,
        attempted_on=attempted_on,
        channel=channel,
        outcome=outcome,
        note=note.strip(),
        by=by,
    )
    attempt.full_clean()
    attempt.save()
    audit_record(
        actor=by,
        action="contact_attempt.recorded",
        target=attempt,
        scheme=referral.mentee.scheme,
        detail={"referral": referral.pk, "outcome": outcome},
    )
    sweep_soon(scheme_id=referral.mentee.scheme_id)
    return attempt


def mentee_record_viewed(*, mentee: Mentee, by: User) -> None:
    """Reading a case record is itself recorded: people with convictions are entitled to
    know who has looked at their file."""
    audit_record(actor=by, action="mentee.viewed", target=mentee, scheme=mentee.scheme)


def mentee_edit_form_viewed(*, mentee: Mentee, by: User) -> None:
    """The edit form shows what the record page may not (date of birth, prison number), so
    opening it is recorded as a view of its own."""
    audit_record(actor=by, action="mentee.edit_form_viewed", target=mentee, scheme=mentee.scheme)


def mentees_searched(*, by: User, filters: list[str], scheme: Scheme | None, results: int) -> None:
    """A search of the mentee list is recorded: that it happened, which filters were used
    (by name) and how many people it listed, never the words typed."""
    audit_record(
        actor=by,
        action="mentee.searched",
        target=by,
        scheme=scheme,
        detail={"filters": filters, "results": results},
    )
