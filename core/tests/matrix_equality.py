"""The writes the equality-monitoring rows of the permission matrix send: a valid body for
each, and what must have changed after it."""

from typing import Any

from accounts.models import User
from conftest import World
from core.tests.matrix import Write, today
from mentees.models import Mentee

ANSWERS = {"gender": "another_way", "ethnicity": "white_roma", "disability": "not_said"}


def answered(mentee: Mentee) -> int:
    """The person with answers on record, for a row that removes them; their id."""
    Mentee.objects.filter(pk=mentee.pk).update(
        gender="woman", ethnicity="asian_indian", disability="no", equality_answered_on=today()
    )
    return mentee.pk


def record(pick) -> Write:
    def data(world: World, user: User | None) -> dict[str, Any]:
        return dict(ANSWERS)

    def done(world: World, user: User | None, client) -> None:
        mentee = Mentee.objects.get(pk=pick(world).pk)
        assert {name: getattr(mentee, name) for name in ANSWERS} == ANSWERS
        assert mentee.equality_answered_on == today()

    return Write(audit=("mentee.equality_recorded",), data=data, done=done)


def cleared(world: World, user: User | None, client) -> None:
    mentee = Mentee.objects.get(pk=world.mentee_a_unmatched.pk)
    assert (mentee.gender, mentee.ethnicity, mentee.disability) == ("", "", "")
    assert mentee.equality_answered_on is None
