"""What the relationship, matching and meeting rows of the permission matrix share: which
relationship a row is about, and where a write on it lands."""

from collections.abc import Callable

from conftest import World
from core.tests.matrix import Redirect
from relationships.models import Relationship

S = Relationship.Status
PickRelationship = Callable[[World], Relationship]


def fresh(relationship: Relationship) -> Relationship:
    """The relationship as the database has it now."""
    return Relationship.objects.get(pk=relationship.pk)


def detail(pick: PickRelationship, anchor: str | Callable[[World], str] = "") -> Redirect:
    """Back to the relationship's page (at ``anchor``) after a write."""
    return Redirect("relationships:detail", lambda w: {"pk": pick(w).pk}, anchor)


def own(w: World) -> Relationship:
    """mentor_a's relationship, in scheme A."""
    return w.relationship_a


def other(w: World) -> Relationship:
    """Another mentor's relationship in scheme A: out of mentor_a's scope."""
    return w.relationship_a_other
