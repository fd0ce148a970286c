"""A relationship's life: the only code that changes a relationship's status.

Every step, whether a coordinator takes it, a meeting causes it, an import or the demo data
records it, goes through ``relationship_transition`` (one relationship) or
``relationships_transition_many`` (a batch). Each checks the step against ``STEPS``, writes
the dated ``RelationshipChange`` row and the step's audit event, moves the mentee's referral
where the step says it follows (``REFERRAL_FOLLOWS``), resolves a closing relationship's live
flags in the same transaction (``flags.services.flags_resolve_for_closed``), and asks the
watcher for a sweep once the transaction commits. The services around it check what is
particular to each step (the exit plan, the final review, consent before reopening) and set
the fields it carries.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_build, audit_save_many
from core.queue import sweep_soon
from flags.services import flags_resolve_for_closed
from mentees.models import Referral
from mentees.selectors import referral_latest_for, referral_open_for
from mentees.transitions import ReferralStep, referral_transition, referrals_transition_many
from relationships.meetings.plan_transitions import plans_end_with_relationship
from relationships.models import Relationship, RelationshipChange

S = Relationship.Status
FS = Referral.Status
OPEN = (S.INTRODUCED, S.ACTIVE, S.PAUSED, S.ENDING)


@dataclass(frozen=True)
class Step:
    """A step of the life: the statuses it may start from, where it goes (``None``: back to
    where it was before the pause, or, for an imported gap, the status the record gives), and
    the audit event it writes."""

    sources: tuple[str, ...]
    to: str | None
    action: str


#: Each step of a relationship's life. The first meeting makes an introduced relationship
#: active. Resuming goes back to the status before the pause. An exit plan is agreed on an
#: active relationship (resume a paused one first). A closed one can be reopened, and comes
#: back active. "" is a relationship being matched.
STEPS: dict[str, Step] = {
    # Matching is audited as the relationship's creation (``relationship.created``).
    "match": Step(("",), S.INTRODUCED, ""),
    "first_meeting": Step((S.INTRODUCED,), S.ACTIVE, "relationship.activated"),
    "pause": Step((S.INTRODUCED, S.ACTIVE, S.ENDING), S.PAUSED, "relationship.paused"),
    "resume": Step((S.PAUSED,), None, "relationship.resumed"),
    "agree_ending": Step((S.ACTIVE,), S.ENDING, "relationship.ending_agreed"),
    "close": Step(OPEN, S.CLOSED, "relationship.closed"),
    "unmatch": Step(OPEN, S.CLOSED, "relationship.unmatched"),
    # The referral stopped (consent withdrawn, lost contact...): it has moved already.
    "end_with_referral": Step(OPEN, S.CLOSED, "relationship.closed"),
    "reopen": Step((S.CLOSED,), S.ACTIVE, "relationship.reopened"),
    # An import of a relationship whose records show only where it is now.
    "imported_gap": Step((S.INTRODUCED,), None, "relationship.imported_gap"),
}

#: Where the mentee's open referral goes when the relationship takes a step, and from which
#: statuses. Reopening may take a referral waiting for a match through matched to active.
REFERRAL_FOLLOWS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "match": ((FS.AWAITING_MATCH,), (FS.MATCHED,)),
    "first_meeting": ((FS.MATCHED,), (FS.ACTIVE,)),
    "close": ((FS.MATCHED, FS.ACTIVE), (FS.ENDED,)),
    "unmatch": ((FS.MATCHED, FS.ACTIVE), (FS.AWAITING_MATCH,)),
    "reopen": ((FS.ENDED, FS.AWAITING_MATCH), (FS.ACTIVE,)),
}


def can_take(step: str, status: str) -> bool:
    """May a relationship in ``status`` take ``step``?"""
    return status in STEPS[step].sources


def _target(step: str, relationship: Relationship, to_status: str | None) -> str:
    target = STEPS[step].to
    if target is not None:
        return target
    if to_status is None:
        raise ValueError(f"The step {step!r} needs the status it goes to.")
    return to_status


def _check(step: str, current: str, action_words: str) -> None:
    if not can_take(step, current):
        state = S(current).label.lower() if current else "new"
        raise ValidationError(f"A relationship that is {state} cannot be {action_words}")


@dataclass
class Move:
    """One step of one relationship, for the batch form (and built by the single one)."""

    relationship: Relationship
    step: str
    on: datetime.date
    reason: str = ""
    note: str = ""
    #: Where "resume" and "imported_gap" go; other steps know.
    to_status: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    #: What the mentee's referral is told, when the step moves it.
    referral_exit_reason: str = ""
    referral_note: str = ""
    #: Ends the refusal: "A relationship that is closed cannot be …".
    words: str = "moved on"


def _take(move: Move) -> str:
    """Check the step and set the new status on the instance; returns the status before."""
    current = "" if move.step == "match" else move.relationship.status
    _check(move.step, current, move.words)
    move.relationship.status = _target(move.step, move.relationship, move.to_status)
    return current


def _written(
    move: Move, current: str, target: str, by: User | None
) -> tuple[RelationshipChange, AuditEvent | None]:
    """The change row and audit event of a step taken (the relationship saved)."""
    relationship = move.relationship
    change = RelationshipChange(
        relationship=relationship,
        from_status=current,
        to_status=target,
        on=move.on,
        reason=move.reason[:300],
        note=move.note,
        by=by,
    )
    action = STEPS[move.step].action
    if not action:
        return change, None
    event = audit_build(
        actor=by,
        action=action,
        target=relationship,
        scheme_id=relationship.mentee.scheme_id,
        detail={"from": current, "to": target, **move.detail},
    )
    return change, event


def _followed_referral(mentee_id: int, step: str) -> Referral | None:
    """The referral a step moves: the person's open one; on reopening, their latest (the one
    that ended with the relationship, or a newer one waiting for a match). A reopening whose
    referral cannot follow is refused, so the two never disagree."""
    if step != "reopen":
        return referral_open_for(mentee_id, for_update=True)
    referral = referral_latest_for(mentee_id)
    if referral is not None and referral.status not in REFERRAL_FOLLOWS["reopen"][0]:
        raise ValidationError(
            f"The person's referral is {referral.get_status_display().lower()}. Refer them "
            "again and bring the new referral to “awaiting a match” before reopening"
        )
    return referral


def _referral_steps(
    move: Move, status: str, changed_on: datetime.date
) -> list[tuple[str, datetime.date]]:
    """The steps of a referral now in ``status`` (since ``changed_on``) that follow this
    move: (status, date), dated no earlier than its last step and never in the future."""
    follows = REFERRAL_FOLLOWS.get(move.step)
    if follows is None or status not in follows[0]:
        return []
    statuses = follows[1]
    if move.step == "reopen" and status == FS.AWAITING_MATCH:
        statuses = (FS.MATCHED, FS.ACTIVE)
    on = min(max(move.on, changed_on), timezone.localdate())
    return [(to, on) for to in statuses]


@transaction.atomic
def relationship_transition(
    *,
    by: User | None,
    relationship: Relationship,
    step: str,
    on: datetime.date,
    words: str,
    reason: str = "",
    note: str = "",
    to_status: str | None = None,
    detail: dict[str, Any] | None = None,
    referral_exit_reason: str = "",
    referral_note: str = "",
    update_fields: Sequence[str] = (),
    clean: bool = False,
) -> Relationship:
    """Take one step of one relationship. ``words`` finish the refusal ("A relationship that
    is closed cannot be …"). The caller has locked the row and set any other fields the step
    carries, named in ``update_fields`` so they are saved with the status; ``clean`` checks
    them (``full_clean``) as the step leaves the relationship, before anything is saved (a
    closure's fields are valid only on a closed relationship, a reopened one has none)."""
    move = Move(
        relationship=relationship,
        step=step,
        on=on,
        reason=reason,
        note=note,
        to_status=to_status,
        detail=detail or {},
        referral_exit_reason=referral_exit_reason,
        referral_note=referral_note,
        words=words,
    )
    current = _take(move)
    if clean:
        relationship.full_clean()
    if relationship.pk is None:
        relationship.save()
    else:
        relationship.save(update_fields=["status", *update_fields])
    change, event = _written(move, current, relationship.status, by)
    change.save()
    if event is not None:
        audit_save_many([event])
    referral = _followed_referral(relationship.mentee_id, step)
    follow = _referral_steps(move, referral.status, referral.status_changed_on) if referral else []
    for status, day in follow:
        assert referral is not None  # noqa: S101 (there are steps only with a referral)
        referral = referral_transition(
            by=by,
            referral=referral,
            to_status=status,
            on=day,
            exit_reason=referral_exit_reason if status == FS.ENDED else "",
            note=referral_note,
            by_relationship=True,
        )
    if relationship.status == S.CLOSED:
        flags_resolve_for_closed(relationship_ids=[relationship.pk], by=by)
        plans_end_with_relationship(relationship_ids=[relationship.pk], by=by)
    sweep_soon(scheme_id=relationship.mentee.scheme_id, relationship_id=relationship.pk)
    return relationship


@transaction.atomic
def relationships_transition_many(
    *,
    by: User | None,
    moves: Sequence[Move],
    follow_referrals: bool = True,
    update_fields: Sequence[str] = (),
) -> None:
    """The batch form of ``relationship_transition`` for imports and demo data: the same
    checks, change rows and audit events, and the referral follows by the same table, in a
    few statements per batch.

    Moves of one relationship are taken in the order given. A relationship not yet saved (its
    id given in advance or not) is created with where its moves leave it (so a person's
    earlier, closed relationship and their open one can arrive in one file); saved ones are
    updated (``status`` and ``update_fields``). ``follow_referrals=False`` leaves the
    referrals to the caller (an import that knows the whole history of a person with several
    relationships).
    """
    taken: list[tuple[Move, str, str]] = []
    for move in moves:
        current = _take(move)
        taken.append((move, current, move.relationship.status))
    touched = {id(m.relationship): m.relationship for m, _, _ in taken}.values()
    # Not yet saved, whether or not its id was given in advance (the demo data counts ids
    # itself, so its meetings can point at a relationship before it is written).
    new = [r for r in touched if r._state.adding]
    saved = [r for r in touched if not r._state.adding]
    Relationship.objects.bulk_create(new, batch_size=2000)
    Relationship.objects.bulk_update(saved, ["status", *update_fields], batch_size=2000)
    written = [_written(move, current, target, by) for move, current, target in taken]
    RelationshipChange.objects.bulk_create([c for c, _ in written], batch_size=2000)
    audit_save_many([e for _, e in written if e is not None])
    if follow_referrals:
        _follow_many(by, [(m, m.relationship.mentee_id) for m, _, _ in taken])
    # Only a relationship saved before may have flags; one created closed has none.
    closed = [r.pk for r in saved if r.status == S.CLOSED]
    flags_resolve_for_closed(relationship_ids=closed, by=by)
    plans_end_with_relationship(relationship_ids=closed, by=by)
    for scheme_id in {r.mentee.scheme_id for r in touched}:
        sweep_soon(scheme_id=scheme_id)


def _follow_many(by: User | None, moves: list[tuple[Move, int]]) -> None:
    referrals = {
        r.mentee_id: r
        for r in Referral.objects.filter(
            mentee_id__in={mentee for _, mentee in moves}, status__in=Referral.OPEN_STATUSES
        ).select_related("mentee")
    }
    # A reopening brings back the person's latest referral, as the single form does.
    for mentee_id in {m for move, m in moves if move.step == "reopen"} - set(referrals):
        latest = _followed_referral(mentee_id, "reopen")
        if latest is not None:
            referrals[mentee_id] = latest
    # Where each referral will be after the steps so far, to date the next ones.
    state = {m: (r.status, r.status_changed_on) for m, r in referrals.items()}
    steps: list[ReferralStep] = []
    for move, mentee_id in moves:
        if mentee_id not in referrals or move.step not in REFERRAL_FOLLOWS:
            continue
        for status, day in _referral_steps(move, *state[mentee_id]):
            steps.append(
                ReferralStep(
                    referrals[mentee_id],
                    status,
                    day,
                    note=move.referral_note,
                    exit_reason=move.referral_exit_reason if status == FS.ENDED else "",
                )
            )
            state[mentee_id] = (status, day)
    referrals_transition_many(by=by, steps=steps)
