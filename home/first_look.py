"""What the watcher will make of an import, told before anything is written.

A scheme moving its spreadsheets into Tandem imports years of history; its go-live date (the
day it started using Tandem, asked for on the import page) is each imported referral's and
relationship's ``watched_from``, and the watcher reads nothing before it. An import's check
runs the import and rolls it back; before the rollback, ``first_look`` counts what the rows it
wrote are (history: closed, or a meeting held before the go-live date; live: open, watched
from the go-live date) and how many flags the first sweep would raise about them, by kind, by
running the watcher's facts and rules over them (``flags.sweep.preview``, which writes no
flag).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from flags.models import Kind
from flags.sweep import preview
from mentees.models import Referral
from relationships.models import Meeting, Relationship
from schemes.models import Scheme


@dataclass(frozen=True)
class Marks:
    """The highest ids of the records an import writes, before it began: the rows above
    them are the import's own (the scheme's import lock keeps other imports out)."""

    referral: int
    relationship: int
    meeting: int


def marks() -> Marks:
    def highest(model: Any) -> int:
        return model.objects.aggregate(top=Max("pk"))["top"] or 0

    return Marks(highest(Referral), highest(Relationship), highest(Meeting))


def first_look(*, scheme: Scheme, go_live: datetime.date, since: Marks) -> dict[str, Any]:
    """The import's rows (written since ``since``), as history or live, and the flags the
    first sweep of ``scheme`` would raise about them now, by kind: numbers and codes only,
    for the job's summary."""
    referrals = Referral.objects.filter(mentee__scheme=scheme, pk__gt=since.referral)
    relationships = Relationship.objects.filter(mentee__scheme=scheme, pk__gt=since.relationship)
    meetings = Meeting.objects.filter(relationship__mentee__scheme=scheme, pk__gt=since.meeting)
    open_referrals = referrals.filter(status__in=Referral.OPEN_STATUSES).count()
    open_relationships = relationships.filter(status__in=Relationship.OPEN_STATUSES).count()
    held_since = meetings.filter(held_at__date__gte=go_live).count()
    return {
        "go_live": go_live.isoformat(),
        "referrals": {"live": open_referrals, "history": referrals.count() - open_referrals},
        "relationships": {
            "live": open_relationships,
            "history": relationships.count() - open_relationships,
        },
        "meetings": {"live": held_since, "history": meetings.count() - held_since},
        "flags": preview(
            scheme_id=scheme.pk,
            relationship_ids=set(relationships.values_list("pk", flat=True)),
            referral_ids=set(referrals.values_list("pk", flat=True)),
        ),
    }


def flags_in_words(flags: dict[str, int]) -> list[tuple[str, int]]:
    """Each kind of flag the first sweep would raise, in the words the queue uses, most
    first."""
    labels = dict(Kind.choices)
    return sorted(
        ((labels.get(kind, kind), n) for kind, n in flags.items() if n),
        key=lambda item: (-item[1], item[0]),
    )
