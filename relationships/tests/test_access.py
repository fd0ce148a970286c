"""relationship_for_write, goal_for_write and step_for_write: outside the user's scope is a
404, the same as a missing record; inside it without the role for that write is a 403. The
mentor writes meetings and the plan of their own relationship, and nothing else."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from relationships.plans.selectors import goal_for_write, step_for_write
from relationships.selectors import relationship_for_write
from relationships.tests.factories import GoalFactory, StepFactory

MISSING = 999_999


@pytest.mark.parametrize("mentor_may_write", [False, True])
def test_a_coordinator_writes_their_own_schemes_relationships(world, mentor_may_write):
    found = relationship_for_write(
        world.coordinator_a, world.relationship_a.pk, mentor_may_write=mentor_may_write
    )
    assert found == world.relationship_a


def test_the_mentor_writes_only_what_mentors_write(world):
    """Meetings, goals and steps, yes; reviews, pauses, closure and un-matching, no."""
    relationship = relationship_for_write(
        world.mentor_a, world.relationship_a.pk, mentor_may_write=True
    )
    assert relationship == world.relationship_a
    with pytest.raises(PermissionDenied):
        relationship_for_write(world.mentor_a, world.relationship_a.pk)


@pytest.mark.parametrize("mentor_may_write", [False, True])
def test_a_manager_reads_a_relationship_but_writes_nothing_to_it(world, mentor_may_write):
    with pytest.raises(PermissionDenied):
        relationship_for_write(
            world.manager, world.relationship_a.pk, mentor_may_write=mentor_may_write
        )


@pytest.mark.parametrize(
    ("user", "relationship"),
    [
        ("coordinator_b", "relationship_a"),
        ("mentor_a", "relationship_a_other"),  # another mentor's, same scheme
        ("no_role", "relationship_a"),
    ],
)
@pytest.mark.parametrize("mentor_may_write", [False, True])
def test_a_relationship_outside_scope_is_a_404(world, user, relationship, mentor_may_write):
    for pk in (getattr(world, relationship).pk, MISSING):
        with pytest.raises(Http404):
            relationship_for_write(getattr(world, user), pk, mentor_may_write=mentor_may_write)


def test_goals_and_steps_are_for_the_mentor_and_the_coordinators(world):
    step = StepFactory(goal=GoalFactory(relationship=world.relationship_a))
    for user in (world.mentor_a, world.coordinator_a):
        assert goal_for_write(user, step.goal.pk) == step.goal
        assert step_for_write(user, step.pk) == step
    with pytest.raises(PermissionDenied):
        goal_for_write(world.manager, step.goal.pk)
    with pytest.raises(PermissionDenied):
        step_for_write(world.manager, step.pk)


@pytest.mark.parametrize("user", ["coordinator_b", "mentor_a", "no_role"])
def test_another_relationships_goals_and_steps_are_a_404(world, user):
    step = StepFactory(goal=GoalFactory(relationship=world.relationship_a_other))
    for pk in (step.goal.pk, MISSING):
        with pytest.raises(Http404):
            goal_for_write(getattr(world, user), pk)
    for pk in (step.pk, MISSING):
        with pytest.raises(Http404):
            step_for_write(getattr(world, user), pk)
