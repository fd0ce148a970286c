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
from dataclasses import dataclass, field
from typing import Any

from flags.models import Kind
from flags.sweep import preview
from mentees.models import Referral
from relationships.models import Meeting, Relationship
from schemes.models import Scheme

#: The kinds whose records the watcher reads from the go-live date (``watched_from``).
WATCHED = {"mentees", "relationships"}


@dataclass
class Written:
    """The ids of the records an import wrote (the importers' ``ImportReport.written``):
    exactly its own, not whatever a coordinator adds to the scheme meanwhile."""

    referrals: list[int] = field(default_factory=list)
    relationships: list[int] = field(default_factory=list)
    meetings: list[int] = field(default_factory=list)

    def add(self, written: dict[str, list[int]]) -> None:
        self.referrals += written.get("referrals", [])
        self.relationships += written.get("relationships", [])
        self.meetings += written.get("meetings", [])


def watched(kind: str, go_live: datetime.date) -> dict[str, datetime.date]:
    """The importer's keyword for ``kind``: its records watched from ``go_live``, if the
    watcher reads that kind (``WATCHED``)."""
    return {"watched_from": go_live} if kind in WATCHED else {}


def first_look(*, scheme: Scheme, go_live: datetime.date, written: Written) -> dict[str, Any]:
    """The import's rows (``written``), as history or live, and the flags the first sweep
    of ``scheme`` would raise about them now, by kind: numbers and codes only, for the job's
    summary."""
    referrals = Referral.objects.filter(pk__in=written.referrals)
    relationships = Relationship.objects.filter(pk__in=written.relationships)
    meetings = Meeting.objects.filter(pk__in=written.meetings)
    open_referrals = referrals.filter(status__in=Referral.OPEN_STATUSES).count()
    open_relationships = relationships.filter(status__in=Relationship.OPEN_STATUSES).count()
    held_since = meetings.filter(held_at__date__gte=go_live).count()
    return {
        "go_live": go_live.isoformat(),
        "referrals": {"live": open_referrals, "history": len(written.referrals) - open_referrals},
        "relationships": {
            "live": open_relationships,
            "history": len(written.relationships) - open_relationships,
        },
        "meetings": {"live": held_since, "history": len(written.meetings) - held_since},
        "flags": preview(
            scheme_id=scheme.pk,
            relationship_ids=set(written.relationships),
            referral_ids=set(written.referrals),
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
