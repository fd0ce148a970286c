"""The offer's state machine: the only code that sets ``MatchOffer.status``.

An offer waits for an answer, then is accepted, declined (with a reason), lapses at its
deadline, or is withdrawn by a coordinator. Every step is dated, names who took it (nobody,
for a lapse) and writes its audit event; an answered offer never moves again.
"""

import datetime

from django.core.exceptions import ValidationError

from accounts.models import User
from audit.services import audit_record
from core.queue import sweep_soon
from relationships.models import DeclineReason, MatchOffer

OS = MatchOffer.Status
#: From pending, every answer; from an answer, nothing.
OFFER_TRANSITIONS: dict[str, frozenset[str]] = {
    OS.PENDING: frozenset({OS.ACCEPTED, OS.DECLINED, OS.LAPSED, OS.WITHDRAWN}),
    OS.ACCEPTED: frozenset(),
    OS.DECLINED: frozenset(),
    OS.LAPSED: frozenset(),
    OS.WITHDRAWN: frozenset(),
}
WORDS: dict[str, str] = {
    OS.ACCEPTED: "accepted",
    OS.DECLINED: "declined",
    OS.LAPSED: "not answered in time",
    OS.WITHDRAWN: "withdrawn",
}


def offer_transition(
    *,
    offer: MatchOffer,
    to: str,
    by: User | None,
    at: datetime.datetime,
    decline_reason: str = "",
    decline_note: str = "",
    on_behalf: bool = False,
) -> MatchOffer:
    """Move ``offer`` (locked by the caller) from pending to ``to``, at ``at``.

    ``on_behalf`` records that a coordinator took the mentor's answer (by phone, or for a
    mentor with no login). The caller runs this in its transaction."""
    if to not in OFFER_TRANSITIONS[offer.status]:
        raise ValidationError(
            f"This offer has already been {WORDS.get(offer.status, offer.status)}, "
            "so it cannot change now"
        )
    if to == OS.DECLINED:
        if decline_reason not in DeclineReason.values:
            raise ValidationError({"decline_reason": "Select why you are declining"})
        if decline_reason == DeclineReason.OTHER and not decline_note.strip():
            raise ValidationError({"decline_note": "Say why you are declining"})
    elif decline_reason or decline_note:
        raise ValidationError("Only a declined offer has a reason for declining")
    was = offer.status
    offer.status = to
    offer.answered_at = at
    offer.answered_by = by
    offer.decline_reason = decline_reason
    offer.decline_note = " ".join(decline_note.split())
    offer.save(
        update_fields=["status", "answered_at", "answered_by", "decline_reason", "decline_note"]
    )
    detail: dict[str, object] = {
        "from": was,
        "to": to,
        "mentee": offer.mentee_id,
        "mentor": offer.mentor_id,
    }
    if decline_reason:
        detail["reason"] = decline_reason
    if on_behalf:
        detail["on_behalf_of_mentor"] = True
    audit_record(
        actor=by,
        action=f"offer.{to}",
        target=offer,
        scheme=offer.mentee.scheme,
        detail=detail,
    )
    # An unanswered offer raises a flag; the answer may resolve it.
    sweep_soon(scheme_id=offer.mentee.scheme_id)
    return offer
