"""Goal plans and reviews: who writes them, what a review must hold, what it moves."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for, query_count
from mentees.models import NeedDomain
from relationships.models import Goal, GoalScore, Party, PrimaryGood, Relationship, Review, Step
from relationships.plans.services import goal_create, review_record, step_mark_done
from relationships.tests.factories import (
    GoalFactory,
    MeetingFactory,
    RelationshipFactory,
    ReviewFactory,
    StepFactory,
)

TODAY = timezone.localdate


def detail_url(relationship: Relationship) -> str:
    return reverse("relationships:detail", args=[relationship.pk])


def review_args(relationship: Relationship, **kw):
    args = {
        "held_on": TODAY(),
        "mentee_driving": "shared",
        "mentor_driving": "mentor_led",
        "mentee_rating": 7,
        "mentor_rating": 6,
        "ending_plan": "Taper to fortnightly after the housing goal; end by the summer.",
        "goal_changes": "",
        "scores": {},
    }
    return {"relationship": relationship, **args, **kw}


# --- Goals and steps ---------------------------------------------------------------------


def test_the_mentor_adds_a_goal_in_the_mentees_words(world):
    """The mentor of the relationship writes the goal from the page; it is audited and the
    form explains what a primary good is."""
    client = client_for(world.mentor_a)
    url = reverse("relationships:goal_add", args=[world.relationship_a.pk])
    page = client.get(url).content.decode()
    assert "A primary good is something people seek for its own sake" in page
    response = client.post(
        url,
        {
            "title": "Get my own flat by the summer",
            "proposed_by": Party.MENTEE,
            "domain": NeedDomain.ACCOMMODATION,
            "primary_good": PrimaryGood.INNER_PEACE,
        },
    )
    assert response.status_code == 302
    goal = world.relationship_a.goals.get()
    assert (goal.title, goal.created_by, goal.agreed_on) == (
        "Get my own flat by the summer",
        world.mentor_a,
        TODAY(),
    )
    assert AuditEvent.objects.filter(action="goal.created", target_id=str(goal.pk)).exists()
    page = client.get(detail_url(world.relationship_a)).content.decode()
    assert "Get my own flat by the summer" in page
    assert "Good it serves: inner peace" in page


def test_a_goal_is_achieved_with_a_date_and_can_be_set_back(world):
    goal = GoalFactory(relationship=world.relationship_a)
    client = client_for(world.coordinator_a)
    url = reverse("relationships:goal_status", args=[goal.pk])
    client.post(url, {"status": "achieved", "on": TODAY().isoformat()})
    goal.refresh_from_db()
    assert (goal.status, goal.closed_on) == (Goal.Status.ACHIEVED, TODAY())
    response = client.post(url, {"status": "dropped", "on": ""})
    assert "Enter the date the goal was achieved or dropped" in response.content.decode()
    client.post(url, {"status": "active", "on": ""})
    goal.refresh_from_db()
    assert (goal.status, goal.closed_on) == (Goal.Status.ACTIVE, None)


def test_the_mentor_marks_a_step_done_with_one_tap(world):
    """The done button is on the relationship page; one POST marks it and goes back to the
    goals, where the confirmation is shown (not at the top of the page); a second changes
    nothing (a double tap on a phone)."""
    step = StepFactory(goal__relationship=world.relationship_a, description="Ring the council")
    client = client_for(world.mentor_a)
    page = client.get(detail_url(world.relationship_a)).content.decode()
    assert reverse("relationships:step_done", args=[step.pk]) in page
    url = reverse("relationships:step_done", args=[step.pk])
    response = client.post(url)
    assert response["Location"] == detail_url(world.relationship_a) + "#goals"
    goals = client.get(detail_url(world.relationship_a)).content.decode()
    goals = goals[goals.index('id="goals"') :]
    assert "Done: Ring the council" in goals[: goals.index("</section>")]
    client.post(url)
    step.refresh_from_db()
    assert (step.status, step.done_on) == (Step.Status.DONE, TODAY())
    assert AuditEvent.objects.filter(action="step.done", target_id=str(step.pk)).count() == 1


def test_a_step_is_edited_by_owner_date_and_status(world):
    step = StepFactory(goal__relationship=world.relationship_a)
    client = client_for(world.mentor_a)
    due = TODAY() + datetime.timedelta(days=3)
    client.post(
        reverse("relationships:step_edit", args=[step.pk]),
        {
            "description": "Fill in the form",
            "owner": "together",
            "due_on": due,
            "status": "dropped",
        },
    )
    step.refresh_from_db()
    assert (step.description, step.owner, step.due_on, step.status) == (
        "Fill in the form",
        Party.TOGETHER,
        due,
        Step.Status.DROPPED,
    )


def test_managers_only_read_the_plan(world):
    """A manager sees the goals but gets 403 on every write."""
    step = StepFactory(goal__relationship=world.relationship_a)
    client = client_for(world.manager)
    page = client.get(detail_url(world.relationship_a)).content.decode()
    assert step.goal.title in page
    assert "Add a goal" not in page
    assert reverse("relationships:step_done", args=[step.pk]) not in page
    assert client.post(reverse("relationships:step_done", args=[step.pk])).status_code == 403
    step.refresh_from_db()
    assert step.status == Step.Status.TO_DO


def test_nothing_is_added_to_a_closed_relationships_plan(world):
    closed = RelationshipFactory(mentee__scheme=world.scheme_a, status="closed", closed_on=TODAY())
    with pytest.raises(ValidationError, match="closed"):
        goal_create(
            by=world.coordinator_a,
            relationship=closed,
            title="x",
            proposed_by=Party.MENTEE,
            domain=NeedDomain.FINANCE,
            primary_good=PrimaryGood.AGENCY,
        )
    step = StepFactory(goal__relationship=closed)
    with pytest.raises(ValidationError, match="closed"):
        step_mark_done(by=world.coordinator_a, step=step)


# --- Reviews -----------------------------------------------------------------------------


def test_a_review_without_a_plan_for_ending_is_refused(world):
    """The ending is planned at every review: an empty plan is refused, in words, on the
    form's field."""
    with pytest.raises(ValidationError) as exc:
        review_record(by=world.coordinator_a, **review_args(world.relationship_a, ending_plan=" "))
    assert "plan for ending" in str(exc.value.message_dict["ending_plan"])
    client = client_for(world.coordinator_a)
    response = client.post(
        reverse("relationships:review_add", args=[world.relationship_a.pk]),
        {
            "held_on": TODAY().isoformat(),
            "mentee_driving": "shared",
            "mentor_driving": "shared",
            "mentee_rating": 5,
            "mentor_rating": 5,
            "ending_plan": "",
        },
    )
    assert response.status_code == 200
    assert "Write the plan for ending" in response.content.decode()
    assert not Review.objects.exists()


def test_a_review_scores_every_goal_and_moves_the_next_review(world):
    """Each goal being worked on gets a score (its domain copied), the review takes the due
    date the relationship had, and the next review is one scheme interval after it."""
    world.scheme_a.review_interval_weeks = 6
    world.scheme_a.save()
    relationship = world.relationship_a
    relationship.next_review_on = TODAY() - datetime.timedelta(days=9)
    relationship.save()
    housing = GoalFactory(relationship=relationship, domain=NeedDomain.ACCOMMODATION)
    work = GoalFactory(relationship=relationship, domain=NeedDomain.ETE, title="Get a CSCS card")
    GoalFactory(
        relationship=relationship, status=Goal.Status.DROPPED, closed_on=TODAY(), title="Old"
    )
    client = client_for(world.coordinator_a)
    url = reverse("relationships:review_add", args=[relationship.pk])
    assert "Get a CSCS card" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            f"score_{housing.pk}": 4,
            f"score_{work.pk}": 8,
            "held_on": TODAY().isoformat(),
            "mentee_driving": "mentee_led",
            "mentor_driving": "shared",
            "mentee_rating": 8,
            "mentor_rating": 7,
            "goal_changes": "Dropped the old goal.",
            "ending_plan": "Close at the next review if the flat comes through.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    review = Review.objects.get()
    assert review.due_on == TODAY() - datetime.timedelta(days=9)
    assert sorted(review.scores.values_list("domain", "score")) == [
        ("accommodation", 4),
        ("ete", 8),
    ]
    relationship.refresh_from_db()
    assert relationship.next_review_on == TODAY() + datetime.timedelta(weeks=6)
    assert AuditEvent.objects.filter(action="review.recorded").exists()


def test_every_goal_being_worked_on_must_be_scored(world):
    goal = GoalFactory(relationship=world.relationship_a)
    with pytest.raises(ValidationError) as exc:
        review_record(by=world.coordinator_a, **review_args(world.relationship_a))
    assert f"score_{goal.pk}" in exc.value.message_dict


def test_a_review_snapshots_the_steps_the_mentee_owns(world):
    """Counted: steps to do or done, on goals not dropped. "Together" is not the mentee's
    own; dropped steps are out of the plan."""
    goal = GoalFactory(relationship=world.relationship_a)
    StepFactory(goal=goal, owner=Party.MENTEE)
    StepFactory(goal=goal, owner=Party.MENTEE, status=Step.Status.DONE, done_on=TODAY())
    StepFactory(goal=goal, owner=Party.MENTOR)
    StepFactory(goal=goal, owner=Party.TOGETHER)
    StepFactory(goal=goal, owner=Party.MENTEE, status=Step.Status.DROPPED)
    dropped_goal = GoalFactory(
        relationship=world.relationship_a, status=Goal.Status.DROPPED, closed_on=TODAY()
    )
    StepFactory(goal=dropped_goal, owner=Party.MENTEE)
    review = review_record(
        by=world.coordinator_a, **review_args(world.relationship_a, scores={goal.pk: 5})
    )
    assert (review.steps_total, review.steps_owned_by_mentee) == (4, 2)


def test_the_mentor_reads_reviews_but_cannot_record_one(world):
    ReviewFactory(relationship=world.relationship_a, ending_plan="Wind down over the summer.")
    client = client_for(world.mentor_a)
    page = client.get(detail_url(world.relationship_a)).content.decode()
    assert "Wind down over the summer." in page
    assert "Record a review" not in page
    url = reverse("relationships:review_add", args=[world.relationship_a.pk])
    assert client.post(url).status_code == 403
    other = reverse("relationships:review_add", args=[world.relationship_a_other.pk])
    assert client.get(other).status_code == 404


@pytest.mark.parametrize("who", ["mentor", "coordinator"])
def test_an_overdue_review_is_shown_in_words(world, who):
    """Mentor and coordinator both see "Review overdue by 9 days" on the relationship page;
    not while the relationship is paused."""
    relationship = world.relationship_a
    relationship.next_review_on = TODAY() - datetime.timedelta(days=9)
    relationship.save()
    user = world.mentor_a if who == "mentor" else world.coordinator_a
    client = client_for(user)
    assert "Review overdue by 9 days" in client.get(detail_url(relationship)).content.decode()
    relationship.status = Relationship.Status.PAUSED
    relationship.save()
    assert "overdue" not in client.get(detail_url(relationship)).content.decode()


def test_the_chart_and_its_numbers_are_on_the_page(world):
    """The page draws each domain's line and lists the same numbers in a table."""
    goal = GoalFactory(relationship=world.relationship_a, domain=NeedDomain.FINANCE)
    for days, score in [(20, 3), (5, 6)]:
        review = ReviewFactory(
            relationship=world.relationship_a, held_on=TODAY() - datetime.timedelta(days=days)
        )
        GoalScore.objects.create(review=review, goal=goal, domain=goal.domain, score=score)
    page = client_for(world.coordinator_a).get(detail_url(world.relationship_a)).content.decode()
    assert "<polyline" in page
    assert "<td>3</td>" in page and "<td>6</td>" in page
    assert "Progress by area" in page


def test_the_cap_is_shown_as_it_approaches(world):
    world.scheme_a.cap_meetings = 12
    world.scheme_a.save()
    for _ in range(10):
        MeetingFactory(relationship=world.relationship_a)
    MeetingFactory(relationship=world.relationship_a, outcome="did_not_attend")
    page = client_for(world.mentor_a).get(detail_url(world.relationship_a)).content.decode()
    assert "10 of 12 meetings (met)" in page
    assert "text-bg-warning" in page


def _history(relationship: Relationship, n: int) -> None:
    for i in range(n):
        goal = GoalFactory(relationship=relationship, title=f"Goal {i}")
        StepFactory(goal=goal)
        StepFactory(goal=goal, owner=Party.MENTOR)
        review = ReviewFactory(
            relationship=relationship, held_on=TODAY() - datetime.timedelta(days=30 - i)
        )
        GoalScore.objects.create(review=review, goal=goal, domain=goal.domain, score=5)


@pytest.mark.parametrize("who", ["mentor", "coordinator"])
def test_relationship_page_queries_do_not_grow_with_goals_steps_and_reviews(world, who):
    world.scheme_a.cap_meetings = 12
    world.scheme_a.save()
    user = world.mentor_a if who == "mentor" else world.coordinator_a
    client = client_for(user)
    _history(world.relationship_a, 1)
    url = detail_url(world.relationship_a)
    few = query_count(client, url)
    _history(world.relationship_a, 6)
    assert query_count(client, url) == few
