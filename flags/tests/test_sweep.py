"""The sweep as a whole: set-based, safe to run twice at once, and the flag's life."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from flags.models import Action, Flag, Kind
from flags.services import flag_acknowledge, flag_resolve
from flags.sweep import sweep
from flags.tasks import sweep_flags
from mentees.models import Mentee, Referral
from relationships.models import Goal, GoalScore, Meeting, Party, Relationship, Review
from schemes.tests.factories import MentorFactory, SchemeFactory

TODAY = datetime.date(2026, 3, 2)


def at(days_ago: int) -> datetime.datetime:
    noon = datetime.datetime.combine(TODAY - datetime.timedelta(days=days_ago), datetime.time(12))
    return timezone.make_aware(noon)


def build(n: int, *, scheme=None, user=None) -> list[Relationship]:
    """``n`` open relationships, each with a history that raises several kinds of flag:
    meetings mostly started by the mentor, a silence, two reviews with flat scores."""
    scheme = scheme or SchemeFactory()
    mentor = MentorFactory(scheme=scheme, capacity=100)
    user = user or mentor.user or _user()
    start = Mentee.objects.count()
    mentees = Mentee.objects.bulk_create(
        Mentee(scheme=scheme, reference=f"S{start + i:06d}", given_name="Sam", family_name="Sweep")
        for i in range(n)
    )
    relationships = Relationship.objects.bulk_create(
        Relationship(
            mentee=m,
            mentor=mentor,
            status=Relationship.Status.ACTIVE,
            matched_on=TODAY - datetime.timedelta(days=120),
            next_review_on=TODAY - datetime.timedelta(days=30),
        )
        for m in mentees
    )
    Meeting.objects.bulk_create(
        Meeting(
            relationship=r,
            held_at=at(days),
            mode=Meeting.Mode.FACE_TO_FACE,
            initiated_by=Party.MENTOR,
            outcome=Meeting.Outcome.MET,
            purpose=Meeting.Purpose.HELP_FOR,
        )
        for r in relationships
        for days in (100, 90, 80, 70, 60, 50, 45, 40)
    )
    _add_flat_reviews(relationships, user)
    return relationships


def _add_flat_reviews(relationships: list[Relationship], user) -> None:
    """One goal each, and two reviews scoring it the same, at which the mentee owns fewer
    steps and sees the relationship as mentor-led where the mentor sees it as shared."""
    goals = Goal.objects.bulk_create(
        Goal(
            relationship=r,
            title="Somewhere to live",
            proposed_by=Party.MENTEE,
            domain="accommodation",
            primary_good="inner_peace",
            agreed_on=r.matched_on,
            created_by=user,
        )
        for r in relationships
    )
    reviews = Review.objects.bulk_create(
        Review(
            relationship=r,
            held_on=TODAY - datetime.timedelta(days=days),
            mentee_driving="mentor_led",
            mentor_driving="shared",
            mentee_rating=5,
            mentor_rating=8,
            ending_plan="Six months, then close.",
            steps_total=4,
            steps_owned_by_mentee=owned,
            recorded_by=user,
        )
        for r in relationships
        for days, owned in ((80, 3), (50, 1))
    )
    goal_of = {g.relationship_id: g for g in goals}
    GoalScore.objects.bulk_create(
        GoalScore(review=rv, goal=goal_of[rv.relationship_id], domain="accommodation", score=4)
        for rv in reviews
    )


def _user():
    from accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.mark.django_db
def test_the_sweep_costs_the_same_queries_for_10_and_500_relationships():
    """The sweep is set-based: 10 and 500 relationships cost the same number of queries, and
    every flag each should raise is raised."""
    build(10)
    with CaptureQueriesContext(connection) as small:
        first = sweep(today=TODAY)
    build(490)
    Flag.objects.all().delete()
    with CaptureQueriesContext(connection) as large:
        second = sweep(today=TODAY)
    assert first.relationships_checked == 10 and second.relationships_checked == 500
    kinds = {
        Kind.SILENCE,
        Kind.MENTOR_DRIVING,
        Kind.DONE_FOR,
        Kind.REVIEW_OVERDUE,
        Kind.SCORES_FLAT,
        Kind.MENTEE_STEPS_FALLING,
        Kind.DRIVING_GAP,
    }
    assert {f.kind for f in second.raised} == kinds
    assert len(second.raised) == 500 * len(kinds)
    assert len(large.captured_queries) == len(small.captured_queries), [
        q["sql"][:80] for q in large.captured_queries
    ]


@pytest.mark.django_db
def test_a_second_sweep_changes_nothing():
    """A sweep straight after another raises, resolves and updates nothing."""
    build(5)
    first = sweep(today=TODAY)
    second = sweep(today=TODAY)
    assert first.raised and not second.raised and not second.resolved and not second.updated
    assert Flag.objects.count() == len(first.raised)


@pytest.mark.django_db
def test_the_database_refuses_a_second_live_flag_of_a_kind():
    """The database itself refuses a second live flag of a kind on a relationship, open or
    acknowledged."""
    [r] = build(1)
    sweep(today=TODAY)
    flag = Flag.objects.get(relationship=r, kind=Kind.SILENCE)
    duplicate = Flag(
        kind=flag.kind,
        severity=flag.severity,
        scheme=flag.scheme,
        relationship=r,
        evidence="again",
        raised_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    flag_acknowledge(by=_user(), flag=flag, action=Action.TALKED_WITH_MENTOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()  # acknowledged is still live


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_started_together_leave_one_flag_per_kind_and_relationship():
    """Two sweeps started at the same moment both succeed and leave exactly one live flag
    per kind and relationship."""
    build(30)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            sweep(today=TODAY)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    live = Flag.objects.filter(status__in=Flag.LIVE_STATUSES)
    assert live.count() == 30 * 7
    assert live.values("kind", "relationship").distinct().count() == live.count()


@pytest.mark.django_db
def test_acknowledging_records_who_and_what_and_keeps_the_flag_live():
    """Acknowledging needs a reason for 'no action needed', records who did what and audits
    it; the next sweep keeps the flag acknowledged while its condition holds."""
    [r] = build(1)
    sweep(today=TODAY)
    flag = Flag.objects.get(relationship=r, kind=Kind.MENTOR_DRIVING)
    coordinator = _user()
    with pytest.raises(ValidationError, match="Say why"):
        flag_acknowledge(by=coordinator, flag=flag, action=Action.NO_ACTION_NEEDED)
    flag_acknowledge(by=coordinator, flag=flag, action=Action.SUPERVISION_BOOKED, note="Tue 3pm")
    flag.refresh_from_db()
    assert (flag.status, flag.acknowledged_by, flag.action) == (
        Flag.Status.ACKNOWLEDGED,
        coordinator,
        Action.SUPERVISION_BOOKED,
    )
    assert AuditEvent.objects.filter(action="flag.acknowledged", target_id=str(flag.pk)).exists()
    sweep(today=TODAY)
    flag.refresh_from_db()
    assert flag.status == Flag.Status.ACKNOWLEDGED  # the condition still holds


@pytest.mark.django_db
def test_a_flag_resolved_by_hand_is_not_raised_again_straight_away():
    """Resolving by hand needs a note; the next sweep does not raise the same flag again
    although its condition holds."""
    [r] = build(1)
    sweep(today=TODAY)
    flag = Flag.objects.get(relationship=r, kind=Kind.DONE_FOR)
    with pytest.raises(ValidationError, match="Say why"):
        flag_resolve(by=_user(), flag=flag, note=" ")
    flag_resolve(by=_user(), flag=flag, note="Lifts agreed while he has no bus pass.")
    sweep(today=TODAY)
    assert not Flag.objects.filter(
        relationship=r, kind=Kind.DONE_FOR, status__in=Flag.LIVE_STATUSES
    ).exists()


@pytest.mark.django_db
def test_a_sweep_of_one_scheme_leaves_the_others_alone():
    """A sweep of one scheme checks, raises and resolves only that scheme's flags."""
    [mine] = build(1)
    [theirs] = build(1)
    result = sweep(today=TODAY, scheme_id=mine.mentee.scheme_id)
    assert result.relationships_checked == 1
    assert Flag.objects.filter(relationship=mine).exists()
    assert not Flag.objects.filter(relationship=theirs).exists()
    Meeting.objects.filter(relationship=theirs).delete()
    sweep(today=TODAY, scheme_id=mine.mentee.scheme_id)  # must not resolve another scheme's
    assert not Flag.objects.filter(status=Flag.Status.RESOLVED).exists()


@pytest.mark.django_db
def test_flag_sweep_command_prints_what_it_raised_and_resolved(capsys):
    """manage.py flag_sweep runs the sweep in the foreground and prints what it checked,
    raised and resolved, for all schemes or one."""
    from relationships.tests.factories import RelationshipFactory

    r = RelationshipFactory(
        status=Relationship.Status.INTRODUCED,
        matched_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    call_command("flag_sweep")
    out = capsys.readouterr().out
    assert "Checked 1 open relationships" in out and "Raised 1 flag." in out
    assert "No first meeting (relationship" in out and "Matched 30 days ago" in out
    assert Flag.objects.filter(relationship=r, status=Flag.Status.OPEN).exists()
    Meeting.objects.create(
        relationship=r,
        held_at=timezone.now(),
        mode=Meeting.Mode.PHONE,
        initiated_by=Party.MENTEE,
        purpose=Meeting.Purpose.GOALS,
    )
    call_command("flag_sweep", "--scheme", str(r.mentee.scheme_id))
    out = capsys.readouterr().out
    assert "Resolved 1 flag." in out and "No first meeting" in out
    assert not Flag.objects.filter(status__in=Flag.LIVE_STATUSES).exists()


@pytest.mark.django_db
def test_flag_sweep_on_another_day_is_a_dry_run(capsys):
    """Trying a rule on a made-up date must never raise or resolve the real flags."""
    [r] = build(1)
    sweep(today=TODAY)
    before = set(Flag.objects.values_list("pk", "status"))
    Meeting.objects.filter(relationship=r).update(initiated_by=Party.MENTEE)
    call_command("flag_sweep", "--today", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "Resolved 1 flag." in out and "Mentor driving" in out
    assert "Dry run: nothing was kept." in out
    assert set(Flag.objects.values_list("pk", "status")) == before


@pytest.mark.django_db
def test_flag_sweep_refuses_an_unknown_scheme():
    """flag_sweep --scheme with an id that does not exist is refused with a clear error."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no scheme with id 999999"):
        call_command("flag_sweep", "--scheme", "999999")


@pytest.mark.django_db
def test_the_task_runs_the_sweep(settings):
    """The Celery task runs the sweep and returns its counts."""
    build(2)
    counts = sweep_flags.apply(kwargs={}).get()
    assert counts["relationships"] == 2 and counts["raised"] > 0


@pytest.mark.django_db
def test_referral_flags_belong_to_the_referrals_scheme():
    """Flags on a referral belong to the referral's scheme."""
    from mentees.tests.factories import ReferralFactory

    scheme = SchemeFactory(name="Waitingham")
    referral = ReferralFactory(
        mentee__scheme=scheme,
        status=Referral.Status.AWAITING_MATCH,
        referred_on=TODAY - datetime.timedelta(days=60),
        status_changed_on=TODAY - datetime.timedelta(days=30),
    )
    sweep(today=TODAY)
    kinds = set(Flag.objects.filter(referral=referral).values_list("kind", "scheme"))
    assert kinds == {(Kind.WAITING_FOR_MATCH, scheme.pk), (Kind.NO_CONTACT_ATTEMPT, scheme.pk)}


@pytest.mark.django_db(transaction=True)
def test_a_sweep_killed_midway_leaves_nothing_half_done_and_the_next_completes(monkeypatch):
    """The sweep is one transaction: a crash after its insert keeps none of it."""
    build(5)
    real_bulk_create = Flag.objects.bulk_create

    def insert_then_die(*args, **kwargs):
        real_bulk_create(*args, **kwargs)
        raise KeyboardInterrupt  # the process is stopped mid-sweep

    monkeypatch.setattr(Flag.objects, "bulk_create", insert_then_die)
    with pytest.raises(KeyboardInterrupt):
        sweep(today=TODAY)
    assert Flag.objects.count() == 0
    monkeypatch.undo()
    result = sweep(today=TODAY)
    assert len(result.raised) == 5 * 7 == Flag.objects.count()
