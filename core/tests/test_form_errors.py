"""Every form in Tandem, sent empty and sent with bad values, answers in GOV.UK's pattern: an
error summary at the top (focusable, announced, each link going to its field), "Error: " in
the title, each invalid input tied to its message, and never one of Django's own messages.

The forms are found through the permission matrix: each row that sends a valid POST names a
form and a role that may send it, so a new form is walked here as soon as it has its row.
"""

from typing import Any

import pytest

from conftest import World
from core.tests.form_checks import problems_with
from core.tests.matrix import Redirect, Row
from core.tests.test_permission_matrix import MATRIX

WRITES = [r for r in MATRIX if r.write is not None]


def _writer(matrix_row: Row) -> str:
    return next(role for role, e in matrix_row.expect.items() if isinstance(e, Redirect))


def _blank(value: Any) -> Any:
    """What a browser sends for a field left empty: every name, with nothing in it."""
    return [] if isinstance(value, list) else ""


def _bad(value: Any) -> Any:
    """A value no field of its kind accepts where it means something: not a date, a number
    below every minimum, no choice on offer, no id of a form."""
    if isinstance(value, list):
        return ["-5"]
    if isinstance(value, bool):
        return value
    return "-5"


def _send(world: World, matrix_row: Row, body: str) -> tuple[Any, str]:
    from django.urls import reverse

    role = _writer(matrix_row)
    user = world.users()[role]
    if matrix_row.prepare:
        matrix_row.prepare(world)
    url = reverse(matrix_row.url_name, kwargs=matrix_row.kwargs(world) or None)
    client = world.client(role)
    assert matrix_row.write is not None
    valid = matrix_row.write.data(world, user)
    if matrix_row.write.before:
        matrix_row.write.before(world, user, client)
    spoil = _blank if body == "empty" else _bad
    data = {k: spoil(v) for k, v in valid.items()}
    return client.post(url, data), url


def _has_errors(response: Any) -> bool:
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if getattr(value, "is_bound", False) and getattr(value, "errors", None):
                return True
    return False


@pytest.mark.parametrize("body", ["empty", "bad values"])
@pytest.mark.parametrize("matrix_row", WRITES, ids=[r.id for r in WRITES])
def test_a_form_sent_wrong_answers_in_the_users_words(
    shared_world: World, matrix_row: Row, body: str
):
    """Sent empty or with bad values, the form comes back with the summary, the title and
    messages in the user's words, every link and description pointing at the page's inputs."""
    response, url = _send(shared_world, matrix_row, body)
    if response.status_code != 200:
        return  # a button with nothing to fill in: done, or refused with a message
    problems = problems_with(response.content.decode(), has_errors=_has_errors(response))
    assert not problems, f"{url} ({body}): " + "; ".join(problems)


def test_the_walk_covers_the_forms_that_matter():
    """The walk reaches the forms this issue named: the meeting, referral, goal and login
    forms are among the rows sent wrong."""
    names = {r.url_name for r in WRITES}
    assert {"relationships:meeting_new", "mentees:referral_new", "relationships:goal_add"} <= names
