"""Crafted timelines for the per-rule sweep tests: relationships, meetings and reviews in
the database, with time fixed at ``TODAY``, and what the sweep then leaves live."""

import datetime

from django.utils import timezone

from accounts.tests.factories import UserFactory
from flags.models import Flag
from flags.sweep import sweep
from mentees.models import NeedDomain
from mentees.tests.factories import MenteeFactory
from relationships.models import GoalScore, Relationship
from relationships.tests.factories import (
    GoalFactory,
    MeetingFactory,
    RelationshipFactory,
    ReviewFactory,
)

TODAY = datetime.date(2026, 3, 2)


def day(n: int) -> datetime.date:
    """``n`` days before TODAY."""
    return TODAY - datetime.timedelta(days=n)


def at(n: int) -> datetime.datetime:
    """Noon, local time, ``n`` days before TODAY."""
    return timezone.make_aware(datetime.datetime.combine(day(n), datetime.time(12)))


def relationship(scheme, *, matched: int = 60, **kw) -> Relationship:
    kw.setdefault("status", Relationship.Status.ACTIVE)
    return RelationshipFactory(
        mentee=MenteeFactory(scheme=scheme, family_name="Flagworth"),
        matched_on=day(matched),
        **kw,
    )


def meet(r: Relationship, *days_ago: int, **kw) -> None:
    for n in days_ago:
        MeetingFactory(relationship=r, held_at=at(n), **kw)


def live(kind: str, target) -> Flag | None:
    field = "relationship" if isinstance(target, Relationship) else "referral"
    return Flag.objects.filter(kind=kind, status__in=Flag.LIVE_STATUSES, **{field: target}).first()


def evidence(kind: str, target, today: datetime.date = TODAY) -> str | None:
    sweep(today=today)
    flag = live(kind, target)
    return flag.evidence if flag else None


def assert_resolved(kind: str, target, today: datetime.date = TODAY) -> None:
    sweep(today=today)
    assert live(kind, target) is None
    flag = Flag.objects.get(
        kind=kind, **{"relationship" if isinstance(target, Relationship) else "referral": target}
    )
    assert flag.status == Flag.Status.RESOLVED
    assert flag.resolved_by is None and flag.resolution_note == "The condition cleared."


def review_with_scores(r, held: int, scores: dict, **kw):
    """A review held ``held`` days before TODAY, scoring each goal in ``scores``."""
    review = ReviewFactory(relationship=r, held_on=day(held), recorded_by=UserFactory(), **kw)
    for goal, score in scores.items():
        GoalScore.objects.create(review=review, goal=goal, domain=goal.domain, score=score)
    return review


def two_goals(r):
    """A housing goal and a work goal, agreed 60 days before TODAY."""
    housing = GoalFactory(relationship=r, domain=NeedDomain.ACCOMMODATION, agreed_on=day(60))
    work = GoalFactory(relationship=r, domain=NeedDomain.ETE, title="A job", agreed_on=day(60))
    return housing, work
