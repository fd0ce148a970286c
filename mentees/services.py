import datetime
import secrets
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.queue import sweep_soon
from core.services import apply_changes
from mentees.models import (
    AVAILABILITY_CHOICES,
    Consent,
    ContactAttempt,
    Mentee,
    Referral,
    SafetyRestriction,
)
from mentees.selectors import consent_withdrawn
from mentees.transitions import referral_transition
from relationships.services import relationships_end_for_mentee
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
        raise ValidationError({"referred_on": "The referral date cannot be in the future."})
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
    return referral


@transaction.atomic
def consent_record(
    *,
    by: User,
    mentee: Mentee,
    given_on: datetime.date,
    information_sheet_version: str,
    confirmed_voluntary: bool,
    confirmed_recording: bool,
) -> Consent:
    if not (confirmed_voluntary and confirmed_recording):
        raise ValidationError(
            "Consent needs both confirmations. If the person did not confirm them, explain "
            "again or record that they declined."
        )
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": "The date cannot be in the future."})
    consent = Consent(
        mentee=mentee,
        given_on=given_on,
        explained_by=by,
        information_sheet_version=information_sheet_version.strip(),
        confirmed_voluntary=True,
        confirmed_recording=True,
    )
    consent.full_clean()
    try:
        with transaction.atomic():
            consent.save()
    except IntegrityError as exc:
        raise ValidationError("This person already has current consent recorded.") from exc
    audit_record(actor=by, action="consent.recorded", target=consent, scheme=mentee.scheme)
    return consent


@transaction.atomic
def consent_withdraw(*, by: User, consent: Consent, withdrawn_on: datetime.date) -> Consent:
    """Withdrawal is the person's right and stops all new contact: the open referral ends as
    withdrawn, and no contact attempt can be logged until consent is given again."""
    if consent.withdrawn_on is not None:
        raise ValidationError("This consent has already been withdrawn.")
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": "The date cannot be in the future."})
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError("This consent has already been withdrawn.")
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_recorded_by = by
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "withdrawal_recorded_by"])
    audit_record(actor=by, action="consent.withdrawn", target=consent, scheme=consent.mentee.scheme)
    referral = consent.mentee.referrals.filter(status__in=Referral.OPEN_STATUSES).first()
    if referral is not None:
        referral_move(
            by=by,
            referral=referral,
            to_status=Status.WITHDRAWN,
            on=max(withdrawn_on, referral.status_changed_on),
            exit_reason=Referral.ExitReason.CONSENT_WITHDRAWN,
        )
    relationships_end_for_mentee(
        by=by, mentee=consent.mentee, on=withdrawn_on, reason="consent_withdrawn"
    )
    return consent


@transaction.atomic
def readiness_record(
    *,
    by: User,
    mentee: Mentee,
    assessed_on: datetime.date,
    knows_what_mentoring_is: str,
    sees_it_as_worthwhile_now: str,
    life_stable_enough: str,
    recognises_lack_of_support: str,
) -> Mentee:
    """The four readiness answers (``Readiness`` values), as assessed on a day."""
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": "The date cannot be in the future."})
    apply_changes(
        mentee,
        {
            "knows_what_mentoring_is": knows_what_mentoring_is,
            "sees_it_as_worthwhile_now": sees_it_as_worthwhile_now,
            "life_stable_enough": life_stable_enough,
            "recognises_lack_of_support": recognises_lack_of_support,
            "readiness_assessed_on": assessed_on,
        },
    )
    mentee.full_clean()
    mentee.save()
    audit_record(actor=by, action="mentee.readiness_recorded", target=mentee, scheme=mentee.scheme)
    return mentee


_AVAILABILITY_ORDER = {code: i for i, (code, _) in enumerate(AVAILABILITY_CHOICES)}


def _availability_order(code: str) -> int:
    """Monday morning first; anything unknown last, for ``full_clean`` to refuse."""
    return _AVAILABILITY_ORDER.get(code, len(_AVAILABILITY_ORDER))


@transaction.atomic
def needs_record(
    *,
    by: User,
    mentee: Mentee,
    needs: list[str],
    strengths: str,
    preferred_mentor_gender: str,
    preferred_language: str,
    wants_peer_mentor: bool,
    needs_preferred_language: bool | None = None,
    availability: list[str] | None = None,
    interests: list[str] | None = None,
) -> Mentee:
    """Needs, strengths and the preferences matching weighs. The matching fields are
    optional here (None leaves them as they are) so older callers keep working."""
    fields = {
        "needs": sorted(set(needs)),
        "strengths": strengths.strip(),
        "preferred_mentor_gender": preferred_mentor_gender.strip(),
        "preferred_language": preferred_language.strip(),
        "wants_peer_mentor": wants_peer_mentor,
    }
    if needs_preferred_language is not None:
        fields["needs_preferred_language"] = needs_preferred_language
    if availability is not None:
        fields["availability"] = sorted(set(availability), key=_availability_order)
    if interests is not None:
        seen: dict[str, str] = {}
        for word in interests:
            word = " ".join(word.split())
            if word:
                seen.setdefault(word.casefold(), word)
        fields["interests"] = list(seen.values())
    if fields.get("needs_preferred_language") and not fields["preferred_language"]:
        raise ValidationError(
            {"needs_preferred_language": "Say which language first, then tick this."}
        )
    changed = apply_changes(mentee, fields)
    if changed:
        mentee.full_clean()
        mentee.save()
        audit_record(
            actor=by,
            action="mentee.needs_recorded",
            target=mentee,
            scheme=mentee.scheme,
            detail={"fields": changed},
        )
    return mentee


@transaction.atomic
def restriction_add(
    *, by: User, mentee: Mentee, kind: str, instruction: str, assessment_notes: str = ""
) -> SafetyRestriction:
    restriction = SafetyRestriction(
        mentee=mentee,
        kind=kind,
        instruction=instruction.strip(),
        assessment_notes=assessment_notes.strip(),
        recorded_on=timezone.localdate(),
        recorded_by=by,
    )
    restriction.full_clean()
    restriction.save()
    audit_record(actor=by, action="restriction.added", target=restriction, scheme=mentee.scheme)
    return restriction


@transaction.atomic
def restriction_end(*, by: User, restriction: SafetyRestriction) -> SafetyRestriction:
    if restriction.ended_on is not None:
        raise ValidationError("This restriction has already ended.")
    restriction.ended_on = timezone.localdate()
    restriction.save(update_fields=["ended_on"])
    audit_record(
        actor=by, action="restriction.ended", target=restriction, scheme=restriction.mentee.scheme
    )
    return restriction


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
        raise ValidationError("This referral has closed; open a new one to get back in touch.")
    if consent_withdrawn(referral.mentee):
        raise ValidationError(
            "This person has withdrawn their consent: no new contact until they give it "
            "again. If they have, record their consent first."
        )
    if attempted_on > timezone.localdate():
        raise ValidationError({"attempted_on": "The date cannot be in the future."})
    if attempted_on < referral.referred_on:
        raise ValidationError({"attempted_on": "The date cannot be before the referral."})
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
