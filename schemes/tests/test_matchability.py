"""Who can be matched on a given day, and why not: every reason, at the edges of each date.

``mentor_matchability`` (one mentor, reasons in words) and ``mentors_matchable`` (a whole
pool in one query) must always agree."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from relationships.models import Relationship
from relationships.tests.factories import RelationshipFactory
from schemes.mentors.selectors import (
    mentor_matchability,
    mentors_matchable,
    mentors_vetting_expiring,
    mentors_vetting_lapsed,
    mentors_with_time_to_active,
)
from schemes.models import Mentor
from schemes.tests.factories import (
    DBSCheckFactory,
    MentorFactory,
    PrisonClearanceFactory,
    UnavailablePeriodFactory,
    days_ago,
    days_ahead,
)

D = datetime.date(2027, 3, 10)  # the day asked about, away from today on purpose


def _after(days: int) -> datetime.date:
    return D + datetime.timedelta(days=days)


@pytest.fixture
def ready(db) -> Mentor:
    """Active, with a DBS check valid on D, no time away and a place free."""
    mentor = MentorFactory(
        status="active", first_active_on=_after(-100), status_since=_after(-100), capacity=2
    )
    DBSCheckFactory(mentor=mentor, issued_on=_after(-365), expires_on=_after(700))
    return mentor


def _reasons(mentor: Mentor, establishment: str | None = None) -> tuple[str, ...]:
    """The reasons, after checking the pool query gives the same yes or no."""
    result = mentor_matchability(mentor=mentor, on=D, establishment=establishment)
    in_pool = mentors_matchable(
        Mentor.objects.filter(pk=mentor.pk), on=D, establishment=establishment
    ).exists()
    assert in_pool == result.ok, result.reasons
    return result.reasons


def _match(mentor: Mentor, status: str = Relationship.Status.ACTIVE) -> None:
    RelationshipFactory(
        mentor=mentor,
        mentee__scheme=mentor.scheme,
        status=status,
        closed_on=D if status == Relationship.Status.CLOSED else None,
    )


def test_an_active_vetted_mentor_with_room_can_be_matched(ready):
    assert _reasons(ready) == ()


@pytest.mark.parametrize("status", ["applied", "in_training", "vetting", "paused", "left"])
def test_only_active_mentors_can_be_matched(ready, status):
    Mentor.objects.filter(pk=ready.pk).update(status=status)
    ready.refresh_from_db()
    assert _reasons(ready) == (f"Not active: their status is “{ready.get_status_display()}”.",)


def test_a_mentor_without_a_dbs_check_cannot_be_matched(ready):
    ready.dbs_checks.all().delete()
    assert _reasons(ready) == ("No DBS check on record.",)


def test_a_dbs_check_expiring_on_the_day_no_longer_counts(ready):
    ready.dbs_checks.update(expires_on=D)
    assert _reasons(ready) == ("Their DBS check expired on 10 March 2027.",)


def test_a_dbs_check_expiring_the_day_after_still_counts(ready):
    ready.dbs_checks.update(expires_on=_after(1))
    assert _reasons(ready) == ()


def test_a_dbs_check_counts_from_its_issue_date(ready):
    ready.dbs_checks.update(issued_on=D)
    assert _reasons(ready) == ()
    ready.dbs_checks.update(issued_on=_after(1))
    assert _reasons(ready) == (
        "No DBS check valid on 10 March 2027: it was issued on 11 March 2027.",
    )


def test_a_renewed_dbs_check_covers_an_expired_one(ready):
    DBSCheckFactory(mentor=ready, issued_on=_after(-2000), expires_on=_after(-1000))
    assert _reasons(ready) == ()


@pytest.mark.parametrize(("start", "end"), [(-3, 3), (0, 5), (-5, 0), (0, 0)])
def test_time_away_covering_the_day_blocks_a_match(ready, start, end):
    """Both the first and the last day of a period count as away."""
    UnavailablePeriodFactory(
        mentor=ready, starts_on=_after(start), ends_on=_after(end), reason="Exams"
    )
    (reason,) = _reasons(ready)
    assert reason.startswith("Unavailable from ") and reason.endswith(" (Exams).")


@pytest.mark.parametrize(("start", "end"), [(-9, -1), (1, 9)])
def test_time_away_before_or_after_the_day_does_not(ready, start, end):
    UnavailablePeriodFactory(mentor=ready, starts_on=_after(start), ends_on=_after(end))
    assert _reasons(ready) == ()


def test_a_mentor_at_capacity_cannot_take_another(ready):
    _match(ready)
    assert _reasons(ready) == ()
    _match(ready, Relationship.Status.PAUSED)
    assert _reasons(ready) == ("No capacity left: 2 open matches for a capacity of 2.",)


def test_closed_relationships_do_not_use_capacity(ready):
    _match(ready, Relationship.Status.CLOSED)
    _match(ready, Relationship.Status.CLOSED)
    _match(ready, Relationship.Status.INTRODUCED)
    assert _reasons(ready) == ()


def test_a_mentee_in_custody_needs_a_clearance_for_that_prison(ready):
    assert _reasons(ready, "HMP Leeds") == ("No valid prison clearance for HMP Leeds.",)
    PrisonClearanceFactory(
        mentor=ready, establishment="HMP Wakefield", issued_on=_after(-10), expires_on=_after(90)
    )
    assert _reasons(ready, "HMP Leeds") == ("No valid prison clearance for HMP Leeds.",)
    PrisonClearanceFactory(
        mentor=ready, establishment="HMP Leeds", issued_on=_after(-10), expires_on=_after(90)
    )
    assert _reasons(ready, "hmp leeds ") == ()
    assert _reasons(ready) == ()


def test_a_prison_clearance_expiring_on_the_day_no_longer_counts(ready):
    PrisonClearanceFactory(
        mentor=ready, establishment="HMP Leeds", issued_on=_after(-300), expires_on=D
    )
    assert _reasons(ready, "HMP Leeds") == (
        "Their clearance for HMP Leeds expired on 10 March 2027.",
    )


def test_every_reason_is_given_at_once(ready):
    """A coordinator sees everything to fix, not one problem at a time."""
    Mentor.objects.filter(pk=ready.pk).update(status="paused", capacity=1)
    ready.refresh_from_db()
    ready.dbs_checks.update(expires_on=_after(-1))
    UnavailablePeriodFactory(mentor=ready, starts_on=D, ends_on=_after(30), reason="")
    _match(ready)
    reasons = _reasons(ready, "HMP Leeds")
    assert len(reasons) == 5, reasons
    assert reasons[2] == "Unavailable from 10 March 2027 to 9 April 2027."


def test_the_pool_query_agrees_with_the_reasons_and_costs_one_query(ready):
    """A mixed pool: only the ready mentors come back, in one query however many there are."""
    blocked = MentorFactory.create_batch(3, scheme=ready.scheme)  # applied, no DBS
    away = MentorFactory(
        scheme=ready.scheme, status="active", first_active_on=_after(-9), status_since=_after(-9)
    )
    DBSCheckFactory(mentor=away, issued_on=_after(-9), expires_on=_after(900))
    UnavailablePeriodFactory(mentor=away, starts_on=_after(-1), ends_on=_after(1))
    pool = Mentor.objects.filter(scheme=ready.scheme)
    with CaptureQueriesContext(connection) as ctx:
        found = list(mentors_matchable(pool, on=D))
    assert found == [ready] and len(ctx.captured_queries) == 1
    assert found[0].places_left == 2 and found[0].open_matches == 0
    for mentor in [*blocked, away]:
        assert not mentor_matchability(mentor=mentor, on=D).ok


def test_vetting_expiring_within_30_days_lists_dbs_and_clearances(db):
    """Valid today and running out within 30 days (inclusive); a renewed clearance for the
    same prison takes the old one off the list."""
    today = timezone.localdate()

    def mentor_with_dbs(expires_in: int) -> Mentor:
        mentor = MentorFactory()
        DBSCheckFactory(mentor=mentor, issued_on=days_ago(900), expires_on=days_ahead(expires_in))
        return mentor

    soon, edge, later, expired = (mentor_with_dbs(n) for n in (10, 30, 31, 0))
    renewed = mentor_with_dbs(400)
    DBSCheckFactory(mentor=renewed, issued_on=days_ago(900), expires_on=days_ahead(5))
    cleared = mentor_with_dbs(400)
    PrisonClearanceFactory(mentor=cleared, expires_on=days_ahead(20))
    recleared = mentor_with_dbs(400)
    PrisonClearanceFactory(mentor=recleared, expires_on=days_ahead(20))
    PrisonClearanceFactory(mentor=recleared, establishment="hmp leeds", expires_on=days_ahead(300))

    expiring = set(mentors_vetting_expiring(Mentor.objects.all(), today=today))
    assert expiring == {soon, edge, cleared}
    lapsed = set(mentors_vetting_lapsed(Mentor.objects.all(), today=today))
    assert lapsed == {expired}
    assert later not in expiring


def test_the_time_from_application_to_active_can_be_reported(db):
    """Days from application to first active, for mentors who got there; None for others."""
    MentorFactory(applied_on=days_ago(90), status_since=days_ago(90))
    MentorFactory(
        applied_on=days_ago(90),
        status="active",
        first_active_on=days_ago(20),
        status_since=days_ago(20),
    )
    rows = mentors_with_time_to_active(
        Mentor.objects.order_by(F("first_active_on").asc(nulls_last=True))
    )
    assert [m.time_to_active for m in rows] == [datetime.timedelta(days=70), None]
