"""The permission matrix: every URL in the project, for every kind of user, with an object
inside and outside each user's scope, and a valid POST for every write a role may make.

The list of URLs comes from the URLconf itself, so a new URL without a row here fails
``test_every_url_has_a_row``. The rows are split by area over this module and its
siblings (``test_permission_matrix_*.py``: people, schemes and the site's pages, mentors,
mentees, relationships, matching and meetings); this one holds the home page, the coverage
checks and the admin. How a row is checked is in ``core/tests/matrix.py``.
"""

from typing import Any

import pytest
from django.urls import reverse

from conftest import World
from core.services import heartbeat_record
from core.tests import (
    test_permission_matrix_concerns,
    test_permission_matrix_equality,
    test_permission_matrix_flags,
    test_permission_matrix_imports,
    test_permission_matrix_matching,
    test_permission_matrix_mentees,
    test_permission_matrix_mentor_self,
    test_permission_matrix_mentors,
    test_permission_matrix_nextstep,
    test_permission_matrix_offers,
    test_permission_matrix_overview,
    test_permission_matrix_people,
    test_permission_matrix_plan_answers,
    test_permission_matrix_plans,
    test_permission_matrix_privacy,
    test_permission_matrix_relationships,
    test_permission_matrix_rule_usefulness,
    test_permission_matrix_schemes,
    test_permission_matrix_second_factor,
    test_permission_matrix_sessions,
    test_permission_matrix_walkthrough,
)
from core.tests.matrix import (
    LOGIN,
    Expected,
    Redirect,
    Row,
    all_url_patterns,
    assert_outcome,
    cases,
    row,
    run_case,
)

ROWS: list[Row] = [
    #                                                 anon    mentor  coord A coord B manager
    row(
        "home",
        "",
        [
            LOGIN,
            Redirect("relationships:my_mentees"),
            Redirect("home:dashboard"),
            Redirect("home:dashboard"),
            Redirect("home:overview"),
        ],
    ),
    # With a fresh worker heartbeat, /healthz answers "all fine" to everyone.
    row("healthz", "", [200, 200, 200, 200, 200], prepare=lambda w: heartbeat_record()),
    # The installable app's shell: the same for everyone, with no case data in it.
    row("core:favicon", "", [200, 200, 200, 200, 200]),
    row("core:manifest", "", [200, 200, 200, 200, 200]),
    row("core:service_worker", "", [200, 200, 200, 200, 200]),
    row("core:offline", "", [200, 200, 200, 200, 200]),
]

#: Every row of the matrix, from this module and its siblings.
MATRIX: list[Row] = [
    *ROWS,
    *test_permission_matrix_mentors.ROWS,
    *test_permission_matrix_people.ROWS,
    *test_permission_matrix_schemes.ROWS,
    *test_permission_matrix_mentees.ROWS,
    *test_permission_matrix_relationships.ROWS,
    *test_permission_matrix_flags.ROWS,
    *test_permission_matrix_matching.ROWS,
    *test_permission_matrix_nextstep.ROWS,
    *test_permission_matrix_offers.ROWS,
    *test_permission_matrix_overview.ROWS,
    *test_permission_matrix_concerns.ROWS,
    *test_permission_matrix_sessions.ROWS,
    *test_permission_matrix_privacy.ROWS,
    *test_permission_matrix_imports.ROWS,
    *test_permission_matrix_mentor_self.ROWS,
    *test_permission_matrix_second_factor.ROWS,
    *test_permission_matrix_equality.ROWS,
    *test_permission_matrix_walkthrough.ROWS,
    *test_permission_matrix_plans.ROWS,
    *test_permission_matrix_plan_answers.ROWS,
    *test_permission_matrix_rule_usefulness.ROWS,
]


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)


# --- Coverage of the URLconf -----------------------------------------------------------------


def missing_rows() -> set[str]:
    declared = {r.url_name for r in MATRIX}
    names = set(all_url_patterns())
    return {n for n in names if not n.startswith("admin:")} - declared


def test_every_url_has_a_row():
    """A URL added to the project without a row in this matrix fails the suite."""
    assert missing_rows() == set()


def test_a_url_without_a_row_is_caught(settings):
    """The coverage check really reads the URLconf: an extra URL is reported as missing."""
    settings.ROOT_URLCONF = "core.tests.urls_with_extra"
    assert missing_rows() == {"unlisted"}


def test_matrix_has_no_stale_rows():
    """Every row names a URL that exists, so a renamed URL cannot leave a check behind."""
    names = set(all_url_patterns())
    assert {r.url_name for r in MATRIX} - names == set()


def test_every_write_a_role_may_make_is_sent_valid():
    """Each URL a role may POST to with a form (the page answers that role with 200) also has
    a row that sends a body the form accepts, and that row lets the role write."""
    gates = {
        (r.url_name, role)
        for r in MATRIX
        if r.method == "post" and r.write is None
        for role, expected in r.expect.items()
        if expected == 200
    }
    written = {
        (r.url_name, role)
        for r in MATRIX
        if r.write is not None
        for role, expected in r.expect.items()
        if isinstance(expected, Redirect)
    }
    assert gates - written == set()


# --- The Django admin ------------------------------------------------------------------------

# The Django admin is for system administrators (is_staff), which none of these roles are:
# every admin page sends them to the admin's own login, except these two.
ADMIN_EXCEPTIONS: dict[str, Expected] = {
    "admin:login": 200,  # the admin's login form (it tells a logged-in non-admin they can't)
    "admin:logout": Redirect("admin:index"),  # nothing to do: back to the admin, then login
}


def admin_sample_kwargs(params: list[str]) -> dict[str, Any]:
    """Plausible arguments for an admin URL, from the pattern's own parameter names."""
    sample = {"app_label": "accounts", "object_id": "1", "content_type_id": 999_999}
    return {p: sample.get(p, "1") for p in params}


ADMIN_URLS = {n: p for n, p in all_url_patterns().items() if n.startswith("admin:")}


@pytest.mark.parametrize("url_name", sorted(ADMIN_URLS))
def test_admin_is_closed_to_every_role(shared_world: World, url_name: str):
    """No scheme role opens the Django admin: each is sent to the admin's login instead."""
    world = shared_world
    url = reverse(url_name, kwargs=admin_sample_kwargs(ADMIN_URLS[url_name]) or None)
    for role in world.users():
        response = world.client(role).get(url)
        expected = ADMIN_EXCEPTIONS.get(url_name)
        if expected is None:
            assert response.status_code == 302, f"{role} {url}: {response.status_code}"
            assert response["Location"].startswith(reverse("admin:login")), response["Location"]
        else:
            assert_outcome(response, expected, url, world)
