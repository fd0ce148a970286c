"""Every form in Tandem, sent empty and sent with bad values, answers in GOV.UK's pattern: an
error summary at the top (focusable, announced, each link going to its field), "Error: " in
the title, each invalid input tied to its message, and never one of Django's own messages.

The forms are found through the permission matrix: each row that sends a valid POST names a
form and a role that may send it, so a new form is walked here as soon as it has its row.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from conftest import World
from core.tests.form_checks import problems_with, read_page
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
    spoil = _blank if body == "empty" else _bad
    return _post(world, matrix_row, lambda valid: {k: spoil(v) for k, v in valid.items()})


def _post(
    world: World, matrix_row: Row, change: Callable[[dict[str, Any]], dict[str, Any]]
) -> tuple[Any, str]:
    """POST the row's valid body, changed by ``change``, as the first role that may write."""
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
    return client.post(url, change(valid)), url


def _has_errors(response: Any) -> bool:
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if getattr(value, "is_bound", False) and getattr(value, "errors", None):
                return True
    return False


#: Buttons with nothing to fill in: the POST is the whole answer, sent empty or not.
BUTTONS = {
    "logout",
    "accounts:set_active",
    "accounts:membership_remove",
    "schemes:funding_remove",
    "schemes:target_remove",
    "core:notifications_read",
    "mentees:restriction_end",
    "relationships:step_done",
    "relationships:offer_accept",
    "relationships:offer_withdraw",
    "mentees:referral_start_assessment",
    "mentees:referral_add_to_waiting_list",
    "concerns:acknowledge",
    "sessions_sign_out_others",
    "second_factor:recovery_codes_renew",
    "privacy:access_generate",
    "privacy:access_release",
    "mentees:equality_clear",
    "home:import_job_go",
    "relationships:plan_answer_not_held",
    "mentors:own_away_remove",
    "mentors:capacity_decide",
}
#: The forms that may accept what the walk sends, and why; any other must come back with
#: its errors (a form that takes an empty POST would otherwise pass the walk unchecked).
ACCEPTED = {
    # nothing ticked: the person has no needs listed; the mentor is free at no time of the week
    "empty": BUTTONS | {"mentees:needs", "mentors:own_availability"},
    # "-5" is a note like any other, and a reflection like any other
    "bad values": BUTTONS | {"flags:resolve", "mentors:own_reflection"},
}


@pytest.mark.parametrize("body", ["empty", "bad values"])
@pytest.mark.parametrize("matrix_row", WRITES, ids=[r.id for r in WRITES])
def test_a_form_sent_wrong_answers_in_the_users_words(
    shared_world: World, matrix_row: Row, body: str
):
    """Sent empty or with bad values, the form comes back with the summary, the title and
    messages in the user's words, every link and description pointing at the page's inputs;
    only a form listed in ACCEPTED, with its reason, may take what was sent."""
    response, url = _send(shared_world, matrix_row, body)
    if response.status_code != 200:
        assert matrix_row.url_name in ACCEPTED[body], (
            f"{url} ({body}) was accepted ({response.status_code}): a form that takes this "
            "is listed in ACCEPTED, saying why"
        )
        return
    problems = problems_with(response.content.decode(), has_errors=_has_errors(response))
    assert not problems, f"{url} ({body}): " + "; ".join(problems)


def test_the_walk_covers_the_forms_that_matter():
    """The walk reaches the forms this issue named: the meeting, referral, goal and login
    forms are among the rows sent wrong."""
    names = {r.url_name for r in WRITES}
    assert {"relationships:meeting_new", "mentees:referral_new", "relationships:goal_add"} <= names


def _optional_but_refused(response: Any) -> list[str]:
    """Each field on the page marked "(optional)" that has an error all the same."""
    found: list[str] = []
    seen: set[int] = set()
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if id(value) in seen or not getattr(value, "is_bound", False) or not value.errors:
                continue
            seen.add(id(value))
            for name, errors in value.errors.items():
                if name in value.fields and "(optional" in str(value[name].label):
                    found.append(f"{value[name].label}: {list(errors)}")
    return found


@pytest.mark.parametrize("matrix_row", WRITES, ids=[r.id for r in WRITES])
def test_a_field_marked_optional_is_never_refused_for_being_empty(
    shared_world: World, matrix_row: Row
):
    """Each answer of a valid form left empty in turn: a field whose label says "(optional)"
    is never the one refused (a field needed only sometimes says when in its label)."""
    world = shared_world
    with transaction.atomic():
        valid = matrix_row.write.data(world, world.users()[_writer(matrix_row)])  # type: ignore[union-attr]
        transaction.set_rollback(True)
    for name, value in valid.items():
        if value in ("", []):
            continue
        with transaction.atomic():
            response, url = _post(world, matrix_row, lambda v: {**v, name: _blank(value)})  # noqa: B023
            transaction.set_rollback(True)
        if response.status_code == 200:
            refused = _optional_but_refused(response)
            assert not refused, f"{url} with {name} empty: " + "; ".join(refused)


#: A date years ahead, as a date or date-and-time field is posted.
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _later(value: str) -> str:
    return DATE.sub("2031-03-04", value)


def _date_errors(world: World, matrix_row: Row, name: str, *, alone: bool) -> list[str]:
    """The errors on ``name`` when it is set years ahead: ``alone``, with the rest of the body
    valid; otherwise with every other field left empty."""

    def change(valid: dict[str, Any]) -> dict[str, Any]:
        others = valid if alone else {k: _blank(v) for k, v in valid.items()}
        return {**others, name: _later(valid[name])}

    with transaction.atomic():
        response, _ = _post(world, matrix_row, change)
        transaction.set_rollback(True)
    if response.status_code != 200:
        return []
    form = response.context.get("form")
    return list(form.errors.get(name, [])) if form is not None else []


@pytest.mark.parametrize("matrix_row", WRITES, ids=[r.id for r in WRITES])
def test_a_date_years_ahead_is_reported_with_the_other_errors(shared_world: World, matrix_row: Row):
    """A date in 2031 that is refused is refused on the first submit, alongside the form's
    other errors, not only once those are fixed (the meeting form's old defect): the check
    is in the form, not only in the service behind it."""
    world = shared_world
    with transaction.atomic():
        valid = matrix_row.write.data(world, world.users()[_writer(matrix_row)])  # type: ignore[union-attr]
        transaction.set_rollback(True)
    dated = [k for k, v in valid.items() if isinstance(v, str) and DATE.match(v)]
    for name in dated:
        if _date_errors(world, matrix_row, name, alone=True):
            assert _date_errors(world, matrix_row, name, alone=False), (
                f"{matrix_row.id}: {name} in 2031 is refused only once the rest is right"
            )


#: A whole number, as a number field is posted.
NUMBER = re.compile(r"^\d+$")
#: The limits a message states: "must be 1 or more", "must be between 1 and 100".
LOWEST = re.compile(r"must be (?:between )?(-?\d+)(?: or more| and)")
HIGHEST = re.compile(r"(?:must be |between -?\d+ and )(-?\d+)(?: or less)?$")


def _number_errors(world: World, matrix_row: Row, name: str, value: str) -> tuple[list[str], str]:
    """The errors on ``name``, and the page, when it alone is set to ``value``."""
    with transaction.atomic():
        response, url = _post(world, matrix_row, lambda valid: {**valid, name: value})
        transaction.set_rollback(True)
    if response.status_code != 200:
        return [], ""
    form = response.context.get("form")
    errors = list(form.errors.get(name, [])) if form is not None else []
    page = response.content.decode()
    problems = problems_with(page, has_errors=_has_errors(response))
    assert not problems, f"{url} ({name}={value}): " + "; ".join(problems)
    return errors, page


@pytest.mark.parametrize("matrix_row", WRITES, ids=[r.id for r in WRITES])
def test_a_number_out_of_range_is_refused_at_the_limit_it_states(
    shared_world: World, matrix_row: Row
):
    """A number below its least (-5, 0) or above its most (99999999) is refused in the user's
    words, and the limit the message states is itself accepted: never "must be 0 or more"
    for a field that refuses 0 too, never "Ensure this value is…"."""
    world = shared_world
    with transaction.atomic():
        valid = matrix_row.write.data(world, world.users()[_writer(matrix_row)])  # type: ignore[union-attr]
        transaction.set_rollback(True)
    numbers = [k for k, v in valid.items() if isinstance(v, str | int) and NUMBER.match(str(v))]
    for name in numbers:
        for value, limit in (("-5", LOWEST), ("0", LOWEST), ("99999999", HIGHEST)):
            for error in _number_errors(world, matrix_row, name, value)[0]:
                stated = limit.search(error)
                if stated:
                    refused, _ = _number_errors(world, matrix_row, name, stated.group(1))
                    assert not refused, (
                        f"{matrix_row.id}: {name}={value} says “{error}”, "
                        f"but {stated.group(1)} is refused too: {refused}"
                    )


PAGES = [r for r in MATRIX if r.method == "get" and 200 in r.expect.values()]


@pytest.mark.parametrize("matrix_row", PAGES, ids=[r.id for r in PAGES])
def test_no_page_offers_dashes_or_asterisks(shared_world: World, matrix_row: Row):
    """Every page a role opens, forms and filters alike, says "Choose…" (or "Any") for an
    empty choice, never Django's "---------", marks no field with an asterisk, and uses no
    id twice (two forms on one page each with a "note": its label, its summary link and its
    description would all find the first)."""
    role = next(role for role, e in matrix_row.expect.items() if e == 200)
    if matrix_row.prepare:
        matrix_row.prepare(shared_world)
    url = reverse(matrix_row.url_name, kwargs=matrix_row.kwargs(shared_world) or None)
    response = shared_world.client(role).get(url)
    if not response["Content-Type"].startswith("text/html"):
        return  # the favicon, the manifest, the service worker: no form to read
    body = response.content.decode()
    assert "---------" not in body and "asteriskField" not in body, url
    twice = read_page(body).duplicate_ids
    assert not twice, f"{url}: ids used twice: {sorted(twice)}"
