"""Every form and every page, sent the bad input of issue 15's item 8: never a 500.

The permission matrix holds a valid POST for every write a role may make. Each of its fields
is sent again with a null character added (PostgreSQL cannot store one), each date as year 1
and as 9999-12-31 (beyond what the funder reports' pandas holds), and each number as 10**22
(beyond a database integer). Every page a role may open is asked for with the same values
in its filters and the usual query parameters (``q``, ``page``, ``scheme``, ``sort``...).
The answer is the page with a message, a redirect or a 404: never a server error; and a date
outside Tandem's years is never stored.
"""

import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from conftest import World
from core.tests.matrix import MATRIX_MODULES, Redirect, Row

pytestmark = pytest.mark.slow

ROWS: list[Row] = [r for name in MATRIX_MODULES for r in importlib.import_module(name).ROWS]
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
HUGE = "9" * 22


def _writer(matrix_row: Row) -> str | None:
    return next((r for r, e in matrix_row.expect.items() if isinstance(e, Redirect)), None)


def _reader(matrix_row: Row) -> str | None:
    return next((r for r, e in matrix_row.expect.items() if e == 200 and r != "anonymous"), None)


WRITES = [(r, role) for r in ROWS if r.write is not None and (role := _writer(r))]
PAGES = [(r, role) for r in ROWS if r.method == "get" and (role := _reader(r))]


def bad_bodies(data: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(field, what was done to it, the body) for each bad value of each field."""
    for key, value in data.items():
        text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
        if not text:
            continue
        yield key, "null", {**data, key: text + "\x00x"}
        if DATE.match(text):
            yield key, "year 1", {**data, key: "0001-01-01" + text[10:]}
            yield key, "year 9999", {**data, key: "9999-12-31" + text[10:]}
        if text.lstrip("-").isdigit():
            yield key, "10**22", {**data, key: HUGE}


@pytest.mark.parametrize(("matrix_row", "role"), WRITES, ids=[f"{r.id}-{o}" for r, o in WRITES])
def test_no_bad_value_in_any_form_field_gives_a_server_error(
    shared_world: World, matrix_row: Row, role: str
):
    """Each field of each form, sent with a null character, a date outside 1900-2199 or an
    enormous number, gets an answer (the form with its message, usually) and no 500; a date
    outside Tandem's years is refused, not stored."""
    world = shared_world
    write = matrix_row.write
    assert write is not None
    user = world.users()[role]
    if matrix_row.prepare:
        matrix_row.prepare(world)
    url = reverse(matrix_row.url_name, kwargs=matrix_row.kwargs(world) or None)
    client = world.client(role)
    client.raise_request_exception = False
    data = write.data(world, user)
    if write.before:
        write.before(world, user, client)
    failures = []
    for key, change, body in bad_bodies(data):
        savepoint = transaction.savepoint()
        response = client.post(url, body)
        transaction.savepoint_rollback(savepoint)
        if response.status_code >= 500:
            failures.append(f"{key} ({change}): {response.status_code}")
        elif change.startswith("year") and response.status_code == 302:
            failures.append(f"{key} ({change}): accepted")
    assert failures == [], f"{url}: {failures}"


NAME = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname=["']([^"']+)["']""")
GET_FORM = re.compile(r"""<form\b(?![^>]*method=["']?post)[^>]*>(.*?)</form>""", re.S | re.I)
USUAL = {"q", "page", "scheme", "sort", "next", "relationship", "reason", "not_ready_page"}


@pytest.mark.parametrize(("matrix_row", "role"), PAGES, ids=[f"{r.id}-{o}" for r, o in PAGES])
def test_no_bad_value_in_a_query_string_gives_a_server_error(
    shared_world: World, matrix_row: Row, role: str
):
    """Each page's filters and the usual query parameters, all together (and, on a page with
    filters, one at a time), sent a null character, an enormous number, year 1 or a negative
    number: no 500."""
    world = shared_world
    if matrix_row.prepare:
        matrix_row.prepare(world)
    url = reverse(matrix_row.url_name, kwargs=matrix_row.kwargs(world) or None)
    client = world.client(role)
    client.raise_request_exception = False
    body = client.get(url).content.decode(errors="replace")
    filters = {n for form in GET_FORM.findall(body) for n in NAME.findall(form)}
    names = USUAL | filters
    failures = []
    for value in ("Ann\x00", HUGE, "0001-01-01", "-1"):
        # A page with filters is sent each on its own too, lest one bad value hide another.
        one_by_one = [{name: value} for name in sorted(names)] if filters else []
        for query in [*one_by_one, dict.fromkeys(names, value)]:
            response = client.get(url, query)
            if response.status_code >= 500:
                failures.append(f"{query}: {response.status_code}")
    assert failures == [], f"{url}: {failures}"
