"""What a coordinator learns and records about a person while assessing them, and keeps up
to date while they are matched: informed consent (and its withdrawal), readiness for
mentoring, needs and the preferences matching weighs, and safety restrictions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.services import apply_changes
from mentees.models import (
    AVAILABILITY_CHOICES,
    Consent,
    Mentee,
    Readiness,
    Referral,
    SafetyRestriction,
)
from mentees.next_step import READINESS_QUESTIONS
from mentees.services import referral_move
from relationships.services import relationships_end_for_mentee


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
            "again or record that they declined"
        )
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": "The date cannot be in the future"})
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
        raise ValidationError("This person already has current consent recorded") from exc
    audit_record(actor=by, action="consent.recorded", target=consent, scheme=mentee.scheme)
    return consent


@transaction.atomic
def consent_withdraw(*, by: User, consent: Consent, withdrawn_on: datetime.date) -> Consent:
    """Withdrawal is the person's right and stops all new contact: the open referral ends as
    withdrawn, and no contact attempt can be logged until consent is given again."""
    if consent.withdrawn_on is not None:
        raise ValidationError("This consent has already been withdrawn")
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": "The date cannot be in the future"})
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError("This consent has already been withdrawn")
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
            to_status=Referral.Status.WITHDRAWN,
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
        raise ValidationError({"assessed_on": "The date cannot be in the future"})
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
    referral = _readiness_keep_before_match(mentee)
    audit_record(
        actor=by,
        action="mentee.readiness_recorded",
        target=mentee,
        scheme=mentee.scheme,
        detail={"referral": referral.pk} if referral else None,
    )
    return mentee


#: A referral whose person has not been matched yet: their readiness is still as it was before
#: mentoring.
BEFORE_MATCH = (Referral.Status.REFERRED, Referral.Status.ASSESSING, Referral.Status.AWAITING_MATCH)


def _readiness_keep_before_match(mentee: Mentee) -> Referral | None:
    """Keep the answers on the person's open referral while it is before a match, so the
    funder report counts readiness as it was before mentoring could change it; from the match
    on, a new assessment changes the person's record only."""
    referral = (
        Referral.objects.select_for_update().filter(mentee=mentee, status__in=BEFORE_MATCH).first()
    )
    if referral is None:
        return None
    referral.assessed_readiness_held = sum(
        getattr(mentee, answer) == Readiness.YES for answer in READINESS_QUESTIONS
    )
    referral.assessed_readiness_on = mentee.readiness_assessed_on
    referral.save(update_fields=["assessed_readiness_held", "assessed_readiness_on"])
    return referral


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
            {"needs_preferred_language": "Say which language first, then tick this"}
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
        raise ValidationError("This restriction has already ended")
    restriction.ended_on = timezone.localdate()
    restriction.save(update_fields=["ended_on"])
    audit_record(
        actor=by, action="restriction.ended", target=restriction, scheme=restriction.mentee.scheme
    )
    return restriction
