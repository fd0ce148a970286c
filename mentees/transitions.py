"""The referral pipeline: the only code that changes a referral's status.

Every step, by hand, by a relationship, by an import or by the demo data, goes through
``referral_transition`` (one referral) or ``referrals_transition_many`` (a batch): the step is
checked against ``TRANSITIONS``, written as a dated ``ReferralTransition`` row, audited as
``referral.moved`` and followed by a sweep of the scheme after commit. What a step means for
the person's relationship (a referral stopped by hand closes it) is the caller's business:
``mentees.services.referral_move``.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_build, audit_save_many
from core.queue import sweep_soon
from mentees.models import Referral, ReferralTransition
from mentees.selectors import consent_current

Status = Referral.Status
ER = Referral.ExitReason
EXITS = {Status.DECLINED, Status.WITHDRAWN, Status.NOT_SUITABLE, Status.LOST_CONTACT}

#: Where a referral may go next. Matched, active and ended are reached through a
#: relationship (matching, the first meeting, closure), not set by hand. "" is a new referral.
TRANSITIONS: dict[str, set[str]] = {
    "": {Status.REFERRED},
    Status.REFERRED: {Status.ASSESSING, *EXITS},
    Status.ASSESSING: {Status.AWAITING_MATCH, *EXITS},
    Status.AWAITING_MATCH: {Status.ASSESSING, Status.MATCHED, *EXITS - {Status.DECLINED}},
    Status.MATCHED: {Status.ACTIVE, Status.AWAITING_MATCH, Status.ENDED, *EXITS},
    # Back to waiting when the match is undone (the mentor left, or a re-match): the old
    # relationship closes and stays in the history.
    Status.ACTIVE: {Status.AWAITING_MATCH, Status.ENDED, Status.WITHDRAWN, Status.LOST_CONTACT},
    # Only when a closed relationship is reopened (active is never set by hand).
    Status.ENDED: {Status.ACTIVE},
}
SET_BY_RELATIONSHIP = {Status.MATCHED, Status.ACTIVE, Status.ENDED}
#: Where an import may take a referral from "referred" in one recorded jump.
GAP_TARGETS = TRANSITIONS[Status.ASSESSING] | {Status.ASSESSING}
#: The reasons that make sense for each way a referral can stop early.
EXIT_REASONS: dict[str, list[str]] = {
    Status.DECLINED: [ER.NOT_INTERESTED, ER.ALREADY_SUPPORTED, ER.BAD_TIMING, ER.OTHER],
    Status.WITHDRAWN: [
        ER.CONSENT_WITHDRAWN, ER.MOVED_AWAY, ER.RETURNED_TO_CUSTODY, ER.OTHER,
    ],
    Status.NOT_SUITABLE: [
        ER.RISK_TOO_HIGH, ER.NEEDS_SPECIALIST, ER.OUTSIDE_CRITERIA, ER.TOO_SHORT, ER.OTHER,
    ],
    Status.LOST_CONTACT: [ER.NO_RESPONSE, ER.NO_ADDRESS, ER.MOVED_AWAY, ER.OTHER],
}  # fmt: skip


def _label(status: str) -> str:
    return Status(status).label.lower()


def _check(
    referral: Referral,
    *,
    current: str,
    to_status: str,
    on: datetime.date,
    exit_reason: str,
    by_relationship: bool,
) -> str:
    """The step's rules; returns the exit reason to store (kept only where it means something)."""
    if to_status in SET_BY_RELATIONSHIP and not by_relationship:
        raise ValidationError(
            f"A referral becomes “{_label(to_status)}” through its relationship with a mentor, "
            "not by hand"
        )
    if to_status not in TRANSITIONS.get(current, set()):
        now = _label(current) if current else "new"
        raise ValidationError(f"A referral that is {now} cannot move to “{_label(to_status)}”")
    if current and on < referral.status_changed_on:
        last = f"{referral.status_changed_on:%d %b %Y}"
        raise ValidationError({"on": f"The date cannot be before the last step ({last})"})
    if on > timezone.localdate():
        raise ValidationError({"on": "The date cannot be in the future"})
    if to_status in EXITS and not exit_reason:
        raise ValidationError({"exit_reason": "Say why the referral stops here"})
    if to_status in EXITS and exit_reason not in EXIT_REASONS[to_status]:
        allowed = ", ".join(ER(r).label.lower() for r in EXIT_REASONS[to_status])
        raise ValidationError(
            {"exit_reason": f"For {_label(to_status)}, the reason is one of: {allowed}"}
        )
    return exit_reason if to_status in EXITS or to_status == Status.ENDED else ""


def _row(
    referral: Referral, *, current: str, on: datetime.date, note: str, by: User | None
) -> ReferralTransition:
    return ReferralTransition(
        referral=referral,
        from_status=current,
        to_status=referral.status,
        exit_reason=referral.exit_reason,
        note=note.strip(),
        on=on,
        by=by,
    )


@transaction.atomic
def referral_transition(
    *,
    by: User | None,
    referral: Referral,
    to_status: str,
    on: datetime.date,
    exit_reason: str = "",
    note: str = "",
    by_relationship: bool = False,
) -> Referral:
    """Move one referral one step: checked, dated, attributed, audited, swept.

    Nobody waits for a match without informed consent on record, and a referral that stops
    early says why, in a coded reason the funnel report can count. A new referral (no pk yet,
    or no step recorded) takes its first step, to "referred", here too.
    """
    new = referral.pk is None
    if not new:
        referral = Referral.objects.select_for_update().select_related("mentee").get(pk=referral.pk)
    current = "" if new else referral.status
    exit_reason = _check(
        referral,
        current=current,
        to_status=to_status,
        on=on,
        exit_reason=exit_reason,
        by_relationship=by_relationship,
    )
    if to_status == Status.AWAITING_MATCH and consent_current(referral.mentee) is None:
        raise ValidationError(
            "Record the person's informed consent before they wait for a match: mentoring "
            "is voluntary, and they must have agreed to it"
        )
    referral.status, referral.exit_reason, referral.status_changed_on = to_status, exit_reason, on
    referral.full_clean()
    if new:
        referral.save()
    else:
        referral.save(update_fields=["status", "exit_reason", "status_changed_on"])
    _row(referral, current=current, on=on, note=note, by=by).save()
    if current:
        audit_save_many(
            [
                audit_build(
                    actor=by,
                    action="referral.moved",
                    target=referral,
                    scheme_id=referral.mentee.scheme_id,
                    detail={"from": current, "to": to_status, "reason": exit_reason},
                )
            ]
        )
    sweep_soon(scheme_id=referral.mentee.scheme_id)
    return referral


@dataclass(frozen=True)
class ReferralStep:
    """One step of one referral in a batch (an import, the demo data)."""

    referral: Referral
    to_status: str
    on: datetime.date
    note: str = ""
    exit_reason: str = ""
    #: The referral's first step, to "referred" (no audit of its own: the caller records
    #: the creation, as ``mentee.imported`` or ``referral.created``).
    first: bool = False
    #: A jump over steps the scheme's old records do not show (an import of someone already
    #: assessed, or already stopped): allowed from "referred" to any status but those a
    #: relationship sets, and written as one change row that says so in its note.
    gap: bool = False


@transaction.atomic
def referrals_transition_many(*, by: User | None, steps: Sequence[ReferralStep]) -> None:
    """The batch form of ``referral_transition``, for imports and demo data: the same rules
    (less the consent check, which an import makes on its own rows), the same change rows
    and the same ``referral.moved`` audit events, written a few statements per batch.

    Steps of one referral are taken in the order given. A referral already saved, with its
    current status, is updated in place; one not yet saved (its id given in advance or not)
    starts with a ``first`` step and is created with where its steps leave it, so a batch of
    new referrals costs no update at all.
    """
    rows: list[ReferralTransition] = []
    moved: list[tuple[Referral, str, str, str]] = []  # referral, from, to, reason
    changed: dict[tuple[str, int], Referral] = {}
    schemes: set[int] = set()
    for step in steps:
        referral = step.referral
        current = "" if step.first else referral.status
        if step.gap and (current != Status.REFERRED or step.to_status not in GAP_TARGETS):
            raise ValueError(f"No imported gap from {current!r} to {step.to_status!r}.")
        exit_reason = _check(
            referral,
            # A gap is checked as the last step it stands for: out of assessment.
            current=Status.ASSESSING if step.gap else current,
            to_status=step.to_status,
            on=step.on,
            exit_reason=step.exit_reason,
            by_relationship=not step.gap,
        )
        referral.status, referral.exit_reason = step.to_status, exit_reason
        referral.status_changed_on = step.on
        # An unsaved referral's row takes its id when both are written, below.
        rows.append(_row(referral, current=current, on=step.on, note=step.note, by=by))
        if current:
            moved.append((referral, current, step.to_status, exit_reason))
        new = referral._state.adding
        changed[("new", id(referral)) if new else ("saved", referral.pk)] = referral
        schemes.add(referral.mentee.scheme_id)
    new_ones = [r for key, r in changed.items() if key[0] == "new"]
    saved = [r for key, r in changed.items() if key[0] == "saved"]
    Referral.objects.bulk_create(new_ones, batch_size=2000)
    Referral.objects.bulk_update(
        saved, ["status", "exit_reason", "status_changed_on"], batch_size=2000
    )
    ReferralTransition.objects.bulk_create(rows, batch_size=2000)
    audit_save_many(
        [
            audit_build(
                actor=by,
                action="referral.moved",
                target=referral,
                scheme_id=referral.mentee.scheme_id,
                detail={"from": current, "to": to_status, "reason": exit_reason},
            )
            for referral, current, to_status, exit_reason in moved
        ]
    )
    for scheme_id in schemes:
        sweep_soon(scheme_id=scheme_id)
