"""The permission matrix's machinery: rows, expected outcomes, and how one case runs.

A row is one URL with one object (or none), sent by GET or POST, with the outcome expected
for each of the five users. Expected outcomes follow one rule: not logged in → the login
page; the wrong kind of page for your role → 403; a record outside your scope → 404, the
same answer as a record that does not exist.

A POST row proves more than the gate:

- A row with a ``Write`` sends a body the form accepts. Where the user may write, the
  answer is a redirect, the write is in the database (``Write.done``) and the services'
  audit events are there (``Write.audit``), attributed to the user.
- Wherever a POST is refused (login page, 403, 404, 405) or answered with the form again
  (200, with its errors), nothing in the database changed, which is checked row by row.

The cases of a module share one world (``conftest.module_world``); each case runs in a
savepoint of its own, rolled back after it (``conftest.shared_world``).
"""

import datetime
import functools
import html
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import SignedInSession, User
from audit.models import AuditEvent
from conftest import World, database_fingerprint
from schemes.models import Scheme

LOGIN = "login"  # 302 to the login page with ?next=
ROLES = ["anonymous", "mentor", "coordinator_a", "coordinator_b", "manager"]


def today() -> datetime.date:
    return timezone.localdate()


def day(offset: int = 0) -> str:
    """A date ``offset`` days from today, as a date field is posted."""
    return (today() + datetime.timedelta(days=offset)).isoformat()


@dataclass(frozen=True)
class Redirect:
    """302 to this named URL (with arguments taken from the world, if any), plus an anchor.

    The arguments are read after the request, so they may name what the request created."""

    to: str
    kwargs: Callable[[World], dict[str, Any]] | None = None
    anchor: str | Callable[[World], str] = ""

    def path(self, world: World) -> str:
        anchor = self.anchor(world) if callable(self.anchor) else self.anchor
        return reverse(self.to, kwargs=self.kwargs(world) if self.kwargs else None) + anchor


#: "Go to your home page": the root URL, which sends each role to its own.
HOME = Redirect("home")


def scheme_of(world: World, user: User | None) -> Scheme:
    """The scheme a write by ``user`` is for: scheme B for its coordinator, else scheme A."""
    return (
        world.scheme_b if user is not None and user.pk == world.coordinator_b.pk else world.scheme_a
    )


Expected = int | str | Redirect


def _no_data(world: World, user: User | None) -> dict[str, Any]:
    return {}


def _nothing_more(world: World, user: User | None, client: Client) -> None:
    return None


@dataclass(frozen=True)
class Write:
    """A body the form accepts, and how to tell the write happened.

    ``data`` builds the body for the user sending it (it may create what the body names).
    ``before`` runs after the user's client is ready and before the POST. ``done`` asserts
    the change in the database once the POST has redirected; ``audit`` names the events the
    services record, each of which must exist with the user as its actor."""

    audit: tuple[str, ...] = ()
    data: Callable[[World, User | None], dict[str, Any]] = _no_data
    done: Callable[[World, User | None, Client], None] = _nothing_more
    before: Callable[[World, User | None, Client], None] | None = None


@dataclass(frozen=True)
class Row:
    url_name: str
    label: str
    expect: dict[str, Expected]
    kwargs: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    method: str = "get"
    write: Write | None = None
    prepare: Callable[[World], object] | None = None  # state the page needs, before the request

    @property
    def id(self) -> str:
        return f"{self.url_name}{'[' + self.label + ']' if self.label else ''}"


def row(url_name: str, label: str, expect: list[Expected], **kw: Any) -> Row:
    assert len(expect) == len(ROLES), url_name
    return Row(url_name, label, dict(zip(ROLES, expect, strict=True)), **kw)


def valid(url_name: str, label: str, expect: list[Expected], write: Write, **kw: Any) -> Row:
    """A POST of a body the form accepts: ``label`` says which object, this adds "valid"."""
    label = f"{label}, valid POST" if label else "valid POST"
    return row(url_name, label, expect, method="post", write=write, **kw)


def cases(rows: list[Row]) -> dict[str, Any]:
    """``pytest.mark.parametrize`` arguments: one case per row and role."""
    pairs = [(r, role) for r in rows for role in ROLES]
    ids = [f"{r.id}-{role}" for r, role in pairs]
    assert len(set(ids)) == len(ids), "two rows have the same URL name and label"
    return {"argnames": ("matrix_row", "role"), "argvalues": pairs, "ids": ids}


# Written by any request, allowed or not: the session and its "Your sessions" row (touched
# once a minute of activity) and django-axes' log of logins. Everything else must stay as it
# was when a POST is refused.
UNWATCHED = frozenset(
    [
        Session._meta.db_table,
        SignedInSession._meta.db_table,
        *(m._meta.db_table for m in apps.get_app_config("axes").get_models()),
    ]
)


def _form_errors(response) -> str:
    """The errors of the forms on a page, to say why a POST was not accepted."""
    errors = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if hasattr(value, "errors") and getattr(value, "is_bound", False) and value.errors:
                errors.append(value.errors.as_json())
    return "; ".join(dict.fromkeys(errors)) or "(no form errors on the page)"


def assert_outcome(response, expected: Expected, url: str, world: World) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, f"{url}: {response.status_code}"
        assert response["Location"].startswith(reverse("login") + "?next="), response["Location"]
    elif isinstance(expected, Redirect):
        if response.status_code == 200:
            raise AssertionError(f"{url}: 200 instead of a redirect: {_form_errors(response)}")
        assert response.status_code == 302, f"{url}: {response.status_code}"
        assert response["Location"] == expected.path(world), response["Location"]
    else:
        assert response.status_code == expected, f"{url}: {response.status_code}"


#: The modules that hold the matrix's rows.
#: Every module of the matrix, found by name, so a new one cannot be left out.
MATRIX_MODULES = sorted(
    f"core.tests.{path.stem}" for path in Path(__file__).parent.glob("test_permission_matrix*.py")
)


@functools.cache
def valid_writes() -> frozenset[tuple[str, str]]:
    """(URL name, role) for every row that sends a valid POST which that role may make."""
    rows = [r for name in MATRIX_MODULES for r in importlib.import_module(name).ROWS]
    return frozenset(
        (r.url_name, role)
        for r in rows
        if r.write is not None
        for role, expected in r.expect.items()
        if isinstance(expected, Redirect)
    )


FORM_TAG = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
POST_METHOD = re.compile(r"""\bmethod\s*=\s*["']?post\b""", re.IGNORECASE)
ACTION = re.compile(r"""\baction\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def forms_posting_to(body: str, url: str) -> set[str]:
    """The URL names the page's POST forms send to (a form without an action, to ``url``)."""
    names = set()
    for tag in FORM_TAG.findall(body):
        if not POST_METHOD.search(tag):
            continue
        action = ACTION.search(tag)
        target = html.unescape(action.group(1)) if action and action.group(1) else url
        names.add(resolve(urlsplit(target).path).view_name)
    return names


def run_case(world: World, matrix_row: Row, role: str) -> None:
    """Each role gets exactly the declared outcome for each URL and object; no page a role
    may open shows a mentee outside that role's scope; a POST writes exactly when it may."""
    user = world.users()[role]
    if matrix_row.prepare:
        matrix_row.prepare(world)
    url = reverse(matrix_row.url_name, kwargs=matrix_row.kwargs(world) or None)
    client = world.client(role)
    write = matrix_row.write
    data = write.data(world, user) if write else {}
    if write and write.before:
        write.before(world, user, client)
    expected = matrix_row.expect[role]
    posting = matrix_row.method == "post"
    writes = posting and write is not None and isinstance(expected, Redirect)
    # A POST that may not write must leave the database as it found it.
    before = database_fingerprint(UNWATCHED) if posting and not writes else {}

    response = getattr(client, matrix_row.method)(url, data)

    assert_outcome(response, expected, url, world)
    if response.status_code == 200:
        body = response.content.decode(errors="replace")  # an icon is not text
        for mentee in OUT_OF_SCOPE[role](world):
            assert mentee.reference not in body, f"{url} shows {mentee.reference} to {role}"
            full_name = escape(f"{mentee.given_name} {mentee.family_name}")
            assert full_name not in body, f"{url} shows {full_name} to {role}"
        # Every form a page offers this role is one the matrix sends valid, for this role.
        untested = {(name, role) for name in forms_posting_to(body, url)} - valid_writes()
        assert not untested, f"{url} offers {role} forms with no valid POST row: {untested}"
    if not posting:
        return
    if writes:
        write.done(world, user, client)
        for action in write.audit:
            assert AuditEvent.objects.filter(action=action, actor=user).exists(), (
                f"{url}: no “{action}” audit event by {role}"
            )
    else:
        after = database_fingerprint(UNWATCHED)
        changed = sorted(t for t in before if after[t] != before[t])
        assert not changed, f"{url}: a POST answered {response.status_code} wrote to {changed}"


OUT_OF_SCOPE = {
    "anonymous": lambda w: [
        w.mentee_a,
        w.mentee_a_unmatched,
        w.mentee_b,
        w.relationship_a_other.mentee,
    ],
    "mentor": lambda w: [w.mentee_a_unmatched, w.mentee_b, w.relationship_a_other.mentee],
    "coordinator_a": lambda w: [w.mentee_b],
    "coordinator_b": lambda w: [w.mentee_a, w.mentee_a_unmatched, w.relationship_a_other.mentee],
    "manager": lambda w: [],
}


def all_url_patterns(patterns: list | None = None, prefix: str = "") -> dict[str, list[str]]:
    """Every URL pattern's full name and parameter names, walked from the URLconf.

    An unnamed pattern fails: it could not be given a row. The one exception is Django's
    admin, whose unnamed ``<object_id>/`` pattern only redirects to its named change view.
    """
    found: dict[str, list[str]] = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            found.update(all_url_patterns(pattern.url_patterns, ns))
        elif isinstance(pattern, URLPattern):
            if not pattern.name and prefix.startswith("admin:"):
                continue
            assert pattern.name, f"URL pattern {pattern.pattern} has no name: give it one"
            route = pattern.pattern
            params = list(getattr(route, "converters", {}) or route.regex.groupindex)
            found[prefix + pattern.name] = params
    return found
