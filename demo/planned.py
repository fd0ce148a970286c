"""Planned meetings for the demo: the demo mentor's next meetings (so My mentees shows each
mentee's next one) and, in the demo coordinator's schemes, a plan in every state, answered
and not.

Each goes through the app's own services (``plan_meeting``, ``plan_move``, ``plan_cancel``,
and for the answers after the time ``meeting_log`` from the plan or ``plan_answer_not_held``),
run as of the moment it happened (demo/clock.py), so its dates and audit events agree. Three
plans are left unanswered after their time: the demo mentor's and another from yesterday
(still within the scheme's days to answer, so "Did it happen?" can be walked logged in as
the demo mentor) and one older than the scheme's ``flag_plan_outcome_days``, for the
"outcome not recorded" flag to find. The demo mentor also has a plan of each answer.
"""

import datetime
import uuid

from django.utils import timezone

from accounts.models import User
from demo.clock import as_of
from relationships.meetings.plan_answers import plan_answer_not_held
from relationships.meetings.plan_services import plan_cancel, plan_meeting, plan_move
from relationships.meetings.services import meeting_log
from relationships.models import Meeting, Party, PlannedMeeting, Relationship
from schemes.models import Mentor, Scheme

PS = PlannedMeeting.Status
RS = Relationship.Status
Place = PlannedMeeting.Place
DAY = datetime.timedelta(days=1)
#: Planned this long before the time it was for.
AHEAD = 4 * DAY
#: Answered this long after its time.
ANSWERED_AFTER = datetime.timedelta(hours=3)
#: The stories of the showcase schemes' plans, one relationship each: (what became of it,
#: its time in days from today). The unanswered old one is past any scheme's days to answer.
STORIES: list[tuple[str, int]] = [
    (PS.HELD, -3),
    (PS.DID_NOT_ATTEND, -4),
    (PS.CANCELLED_BY_MENTEE, -5),
    (PS.CANCELLED_BY_MENTOR, -6),
    ("cancelled ahead by the coordinator", 3),
    ("cancelled ahead by the mentee", 2),
    ("unanswered", -1),
    ("unanswered, too long", -9),
    ("moved", 5),
]
#: The demo mentor's own past plans, so "Did it happen?" can be walked logged in as them:
#: (what became of it, its time in days from today, which of their active relationships).
#: The unanswered one is within every scheme's days to answer, so it raises no flag.
DEMO_MENTOR_STORIES: list[tuple[str, int, int]] = [
    ("unanswered", -1, 0),
    (PS.HELD, -6, 0),
    (PS.DID_NOT_ATTEND, -8, 1),
    (PS.CANCELLED_BY_MENTEE, -9, 2),
    ("cancelled ahead by the mentee", 9, 1),
]
NAMESPACE = uuid.UUID("6f1d0f2e-8a43-4c77-9b1e-5a8c0d3e2b71")


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def seed_plans(
    *, schemes: list[Scheme], demo_mentor: Mentor, coordinator_for: dict[int, User]
) -> dict[str, int]:
    """Plan and answer the demo's meetings; returns how many plans of each state."""
    relationships = Relationship.objects.select_related("mentee__scheme", "mentor__user")
    # All but one of the demo mentor's mentees have a next meeting; the last shows the way
    # to plan one.
    mine = list(relationships.filter(mentor=demo_mentor).exclude(status=RS.CLOSED).order_by("pk"))
    for i, relationship in enumerate(mine[:-1]):
        _plan(relationship, by=_login(relationship), days=1 + i, hour=10 + 2 * (i % 4))
    # Answers log meetings: on active relationships only, so no first meeting is made.
    active = relationships.filter(status=RS.ACTIVE).order_by("pk")
    my_active = list(active.filter(mentor=demo_mentor))
    for story, days, which in DEMO_MENTOR_STORIES:
        if which < len(my_active):
            relationship = my_active[which]
            _tell(story, days, relationship, coordinator_for[relationship.mentee.scheme_id])
    others = active.filter(mentee__scheme__in=schemes, mentor__user__isnull=False).exclude(
        mentor=demo_mentor
    )
    for (story, days), relationship in zip(STORIES, others, strict=False):
        _tell(story, days, relationship, coordinator_for[relationship.mentee.scheme_id])
    by_status: dict[str, int] = {}
    for status in PlannedMeeting.objects.values_list("status", flat=True):
        by_status[status] = by_status.get(status, 0) + 1
    return {
        f"{'plan' if n == 1 else 'plans'} {status.replace('_', ' ')}": n
        for status, n in by_status.items()
    }


def _plan(
    relationship: Relationship, *, by: User, days: int, hour: int, mode: str = ""
) -> PlannedMeeting:
    """A plan made ``AHEAD`` of its time (or now, for one still to come)."""
    starts_at = _at(days, hour)
    made = min(starts_at - AHEAD, timezone.now())
    with as_of(made):
        return plan_meeting(
            relationship=relationship,
            by=by,
            starts_at=starts_at,
            mode=mode or Meeting.Mode.FACE_TO_FACE,
            place=Place.PHONE if mode == Meeting.Mode.PHONE else Place.COMMUNITY_VENUE,
        )


def _login(relationship: Relationship) -> User:
    """The mentor's login (every mentor given plans here has one)."""
    user = relationship.mentor.user
    if user is None:
        raise ValueError(f"{relationship.mentor} has no login to plan with")
    return user


def _tell(story: str, days: int, relationship: Relationship, coordinator: User) -> None:
    mentor = _login(relationship)
    mode = Meeting.Mode.PHONE if days % 2 else Meeting.Mode.FACE_TO_FACE
    plan = _plan(relationship, by=mentor, days=days, hour=14, mode=mode)
    if story in (PS.HELD, *PlannedMeeting.NOT_HELD_ANSWERS):
        _answer(plan, story, by=mentor)
    elif story == "cancelled ahead by the coordinator":
        plan_cancel(
            plan=plan,
            by=coordinator,
            cancelled_by=PS.CANCELLED_BY_COORDINATOR,
            reason="Coordinator off sick; rearranging",
        )
    elif story == "cancelled ahead by the mentee":
        plan_cancel(
            plan=plan, by=mentor, cancelled_by=PS.CANCELLED_BY_MENTEE, reason="Job interview"
        )
    elif story == "moved":
        plan_move(plan=plan, by=mentor, starts_at=_at(days + 2, 11), reason="Bus strike")


def _answer(plan: PlannedMeeting, answer: str, *, by: User) -> None:
    """ "Did it happen?" answered after the time, as the mentor's answer page does: held, by
    logging the meeting from the plan; not held, by the one-tap answer, which logs it with
    that outcome. Either way the meeting is linked to the plan."""
    with as_of(plan.starts_at + ANSWERED_AFTER):
        if answer != PS.HELD:
            plan_answer_not_held(plan=plan, by=by, answer=answer)
            return
        meeting_log(
            by=by,
            relationship=plan.relationship,
            client_id=uuid.uuid5(NAMESPACE, f"plan-{plan.pk}"),
            held_at=plan.starts_at,
            duration_minutes=60,
            mode=plan.mode,
            initiated_by=Party.MENTOR,
            outcome=Meeting.Outcome.MET,
            purpose=Meeting.Purpose.GOALS,
            plan_id=plan.pk,
        )
