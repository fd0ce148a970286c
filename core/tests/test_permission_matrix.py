"""The permission matrix: every URL in the project, for every kind of user, with an object
inside and outside each user's scope, and a valid POST for every write a role may make.

The list of URLs comes from the URLconf itself, so a new URL without a row here fails
``test_every_url_has_a_row``. The rows are split by area over this module and its
siblings (``test_permission_matrix_*.py``); this one holds the coverage checks, the admin,
and the site-wide pages: logging in, people, schemes, imports, notifications, reports and
the audit trail. How a row is checked is in ``core/tests/matrix.py``.
"""

from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Membership, Role, User
from accounts.tests.factories import TEST_PASSWORD
from conftest import World
from core.models import Notification
from core.services import heartbeat_record
from core.tests import (
    test_permission_matrix_mentees,
    test_permission_matrix_mentors,
    test_permission_matrix_relationships,
)
from core.tests.matrix import (
    LOGIN,
    Expected,
    Redirect,
    Row,
    Write,
    all_url_patterns,
    assert_outcome,
    cases,
    day,
    row,
    run_case,
    valid,
)
from mentees.models import Mentee
from reports.models import ReportExport
from schemes.models import Funding, Scheme, Target
from schemes.tests.factories import FundingFactory, TargetFactory

HOME = Redirect("home")
NEW_PASSWORD = "a much longer passphrase for 2027"


def _scheme_of(world: World, user: User | None) -> Scheme:
    """The scheme a write by ``user`` is for: scheme B for its coordinator, else scheme A."""
    return (
        world.scheme_b if user is not None and user.pk == world.coordinator_b.pk else world.scheme_a
    )


# --- Logging in and passwords ----------------------------------------------------------------


def _logged_in_as(expected: User | None, client) -> None:
    session_user = client.session.get("_auth_user_id")
    assert session_user == (str(expected.pk) if expected else None), session_user


def _login_done(world: World, user: User | None, client) -> None:
    """Someone logged out logs in as Nell; anyone logged in is sent home, still themselves."""
    _logged_in_as(user or world.no_role, client)


def _password_is(user: User, password: str) -> None:
    assert User.objects.get(pk=user.pk).check_password(password)


def _reset_link_sent(world: World, user: User | None, client) -> None:
    assert [m.to for m in mail.outbox] == [[world.no_role.email]]


def _uid(world: World) -> str:
    return urlsafe_base64_encode(force_bytes(world.no_role.pk))


def _open_reset_link(world: World, user: User | None, client) -> None:
    """Follow the emailed link: its token goes into the session, then the set-password form."""
    token = default_token_generator.make_token(world.no_role)
    url = reverse("password_reset_confirm", kwargs={"uidb64": _uid(world), "token": token})
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].endswith("/set-password/")


def auth_rows() -> list[Row]:
    reset_done = Redirect("password_reset_done")
    complete = Redirect("password_reset_complete")
    return [
        row("login", "", [200, HOME, HOME, HOME, HOME]),
        valid(
            "login",
            "",
            [HOME] * 5,
            Write(
                data=lambda w, u: {"username": w.no_role.email, "password": TEST_PASSWORD},
                done=_login_done,
            ),
        ),
        row(
            "logout",
            "",
            [Redirect("login")] * 5,
            method="post",
            write=Write(done=lambda w, u, client: _logged_in_as(None, client)),
        ),
        row("password_change", "", [LOGIN, 200, 200, 200, 200]),
        valid(
            "password_change",
            "",
            [LOGIN, *[Redirect("password_change_done")] * 4],
            Write(
                data=lambda w, u: {
                    "old_password": TEST_PASSWORD,
                    "new_password1": NEW_PASSWORD,
                    "new_password2": NEW_PASSWORD,
                },
                done=lambda w, u, client: _password_is(u, NEW_PASSWORD),
            ),
        ),
        row("password_change_done", "", [LOGIN, 200, 200, 200, 200]),
        row("password_reset", "", [200] * 5),
        valid(
            "password_reset",
            "",
            [reset_done] * 5,
            Write(data=lambda w, u: {"email": w.no_role.email}, done=_reset_link_sent),
        ),
        row("password_reset_done", "", [200] * 5),
        row(
            "password_reset_confirm",
            "bad link",
            [200] * 5,
            kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"},
        ),
        valid(
            "password_reset_confirm",
            "link from the email",
            [complete] * 5,
            Write(
                before=_open_reset_link,
                data=lambda w, u: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
                done=lambda w, u, client: _password_is(w.no_role, NEW_PASSWORD),
            ),
            kwargs=lambda w: {"uidb64": _uid(w), "token": "set-password"},
        ),
        row("password_reset_complete", "", [200] * 5),
    ]


# --- People ------------------------------------------------------------------------------


INVITED = "ivy.invited@example.org"


def _invited(world: World, user: User | None, client) -> None:
    invited = User.objects.get(email=INVITED)
    assert not invited.has_usable_password()
    assert invited.memberships.filter(role=Role.COORDINATOR, scheme=world.scheme_a).exists()


def _closed(user: User) -> User:
    User.objects.filter(pk=user.pk).update(is_active=False)
    return user


def _is_active(user: User, active: bool) -> None:
    assert User.objects.get(pk=user.pk).is_active is active


def people_rows() -> list[Row]:
    to_a = Redirect("accounts:detail", lambda w: {"pk": w.coordinator_a.pk})
    to_b = Redirect("accounts:detail", lambda w: {"pk": w.coordinator_b.pk})
    return [
        row("accounts:list", "", [LOGIN, 403, 403, 403, 200]),
        row("accounts:invite", "", [LOGIN, 403, 403, 403, 200]),
        valid(
            "accounts:invite",
            "",
            [
                LOGIN,
                403,
                403,
                403,
                Redirect("accounts:detail", lambda w: {"pk": User.objects.get(email=INVITED).pk}),
            ],
            Write(
                audit=("user.invited", "membership.added"),
                data=lambda w, u: {
                    "full_name": "Ivy Invited",
                    "email": INVITED,
                    "role": Role.COORDINATOR,
                    "scheme": w.scheme_a.pk,
                },
                done=_invited,
            ),
        ),
        row(
            "accounts:detail",
            "",
            [LOGIN, 403, 403, 403, 200],
            kwargs=lambda w: {"pk": w.coordinator_a.pk},
        ),
        valid(
            "accounts:detail",
            "a role added",
            [LOGIN, 403, 403, 403, to_a],
            Write(
                audit=("membership.added",),
                data=lambda w, u: {"role": Role.COORDINATOR, "scheme": w.scheme_b.pk},
                done=lambda w, u, c: w.coordinator_a.memberships.get(scheme=w.scheme_b),
            ),
            kwargs=lambda w: {"pk": w.coordinator_a.pk},
        ),
        row(
            "accounts:detail",
            "no such person",
            [LOGIN, 403, 403, 403, 404],
            kwargs=lambda w: {"pk": 999_999},
        ),
        row(
            "accounts:set_active",
            "",
            [LOGIN, 403, 403, 403, to_b],
            method="post",
            kwargs=lambda w: {"pk": w.coordinator_b.pk},
            # No "active": the account is closed, as with the page's "close" button.
            write=Write(
                audit=("user.closed",), done=lambda w, u, c: _is_active(w.coordinator_b, False)
            ),
        ),
        valid(
            "accounts:set_active",
            "close",
            [LOGIN, 403, 403, 403, to_b],
            Write(
                audit=("user.closed",),
                data=lambda w, u: {"active": "0"},
                done=lambda w, u, c: _is_active(w.coordinator_b, False),
            ),
            kwargs=lambda w: {"pk": w.coordinator_b.pk},
        ),
        valid(
            "accounts:set_active",
            "reopen",
            [LOGIN, 403, 403, 403, Redirect("accounts:detail", lambda w: {"pk": w.no_role.pk})],
            Write(
                audit=("user.reopened",),
                data=lambda w, u: {"active": "1"},
                done=lambda w, u, c: _is_active(w.no_role, True),
            ),
            kwargs=lambda w: {"pk": _closed(w.no_role).pk},
        ),
        row(
            "accounts:set_active",
            "no such person",
            [LOGIN, 403, 403, 403, 404],
            method="post",
            kwargs=lambda w: {"pk": 999_999},
        ),
        row(
            "accounts:membership_remove",
            "",
            [LOGIN, 403, 403, 403, to_a],
            method="post",
            kwargs=lambda w: {
                "pk": w.coordinator_a.pk,
                "membership_pk": w.coordinator_a.memberships.get().pk,
            },
            write=Write(
                audit=("membership.removed",),
                done=lambda w, u, c: _no_memberships(w.coordinator_a),
            ),
        ),
        row(
            "accounts:membership_remove",
            "role of someone else",
            [LOGIN, 403, 403, 403, 404],
            method="post",
            kwargs=lambda w: {
                "pk": w.coordinator_a.pk,
                "membership_pk": w.coordinator_b.memberships.get().pk,
            },
        ),
    ]


def _no_memberships(user: User) -> None:
    assert not Membership.objects.filter(user=user).exists()


# --- Schemes -----------------------------------------------------------------------------

NEW_SCHEME = "Eastfield Community Mentoring"
SCHEME_FORM_FIELDS = [
    "name",
    "kind",
    "area",
    "cap_meetings",
    "cap_weeks",
    "review_interval_weeks",
    "expected_contact_days",
    *(f.name for f in Scheme._meta.fields if f.name.startswith("flag_")),
]


def _scheme_form(scheme: Scheme, **changes: Any) -> dict[str, Any]:
    """The scheme form as a person would send it: every field, empty ones as ""."""
    values = {name: getattr(scheme, name) for name in SCHEME_FORM_FIELDS} | changes
    return {name: "" if value is None else value for name, value in values.items()}


def _funding(world: World) -> int:
    return FundingFactory(scheme=world.scheme_a).pk


def _target(world: World) -> int:
    return TargetFactory(scheme=world.scheme_a).pk


def scheme_rows() -> list[Row]:
    scheme_a = {"kwargs": lambda w: {"pk": w.scheme_a.pk}}
    to_a = Redirect("schemes:detail", lambda w: {"pk": w.scheme_a.pk})
    return [
        row("schemes:list", "", [LOGIN, 403, 200, 200, 200]),
        row("schemes:new", "", [LOGIN, 403, 403, 403, 200]),
        valid(
            "schemes:new",
            "",
            [
                LOGIN,
                403,
                403,
                403,
                Redirect(
                    "schemes:detail", lambda w: {"pk": Scheme.objects.get(name=NEW_SCHEME).pk}
                ),
            ],
            Write(
                audit=("scheme.created",),
                data=lambda w, u: _scheme_form(
                    Scheme(name=NEW_SCHEME, kind=Scheme.Kind.COMMUNITY, area="Eastfield")
                ),
                done=lambda w, u, c: Scheme.objects.get(name=NEW_SCHEME, area="Eastfield"),
            ),
        ),
        row(
            "schemes:detail",
            "scheme A",
            [LOGIN, 403, 200, 404, 200],
            kwargs=lambda w: {"pk": w.scheme_a.pk},
        ),
        row(
            "schemes:detail",
            "scheme B",
            [LOGIN, 403, 404, 200, 200],
            kwargs=lambda w: {"pk": w.scheme_b.pk},
        ),
        row("schemes:edit", "", [LOGIN, 403, 403, 403, 200], **scheme_a),
        valid(
            "schemes:edit",
            "",
            [LOGIN, 403, 403, 403, to_a],
            Write(
                audit=("scheme.updated",),
                data=lambda w, u: _scheme_form(w.scheme_a, area="Northgate and Moor", cap_weeks=52),
                done=lambda w, u, c: Scheme.objects.get(
                    pk=w.scheme_a.pk, area="Northgate and Moor", cap_weeks=52
                ),
            ),
            **scheme_a,
        ),
        row(
            "schemes:edit",
            "no such scheme",
            [LOGIN, 403, 403, 403, 404],
            kwargs=lambda w: {"pk": 999_999},
        ),
        row("schemes:funding_add", "", [LOGIN, 403, 403, 403, 200], **scheme_a),
        valid(
            "schemes:funding_add",
            "",
            [LOGIN, 403, 403, 403, to_a],
            Write(
                audit=("scheme.funding_added",),
                data=lambda w, u: {
                    "funder": "Northgate Trust",
                    "reference": "NT-7",
                    "starts_on": "2026-04-01",
                    "ends_on": "2027-03-31",
                },
                done=lambda w, u, c: Funding.objects.get(
                    scheme=w.scheme_a, funder="Northgate Trust"
                ),
            ),
            **scheme_a,
        ),
        row("schemes:target_add", "", [LOGIN, 403, 403, 403, 200], **scheme_a),
        valid(
            "schemes:target_add",
            "",
            [LOGIN, 403, 403, 403, to_a],
            Write(
                audit=("scheme.target_added",),
                data=lambda w, u: {
                    "stage": "referred",
                    "starts_on": "2026-04-01",
                    "ends_on": "2027-03-31",
                    "number": "25",
                },
                done=lambda w, u, c: Target.objects.get(scheme=w.scheme_a, number=25),
            ),
            **scheme_a,
        ),
        row("schemes:coordinator_add", "", [LOGIN, 403, 403, 403, 200], **scheme_a),
        valid(
            "schemes:coordinator_add",
            "",
            [LOGIN, 403, 403, 403, to_a],
            Write(
                audit=("membership.added",),
                data=lambda w, u: {"person": w.no_role.pk},
                done=lambda w, u, c: w.no_role.memberships.get(
                    role=Role.COORDINATOR, scheme=w.scheme_a
                ),
            ),
            **scheme_a,
        ),
        row(
            "schemes:coordinator_add",
            "no such scheme",
            [LOGIN, 403, 403, 403, 404],
            kwargs=lambda w: {"pk": 999_999},
        ),
        row(
            "schemes:funding_remove",
            "",
            [LOGIN, 403, 403, 403, to_a],
            method="post",
            kwargs=lambda w: {"pk": w.scheme_a.pk, "funding_pk": _funding(w)},
            write=Write(
                audit=("scheme.funding_removed",),
                done=lambda w, u, c: _none_left(Funding.objects.filter(scheme=w.scheme_a)),
            ),
        ),
        row(
            "schemes:funding_remove",
            "another scheme's funding",
            [LOGIN, 403, 403, 403, 404],
            method="post",
            kwargs=lambda w: {
                "pk": w.scheme_a.pk,
                "funding_pk": FundingFactory(scheme=w.scheme_b).pk,
            },
        ),
        row(
            "schemes:target_remove",
            "",
            [LOGIN, 403, 403, 403, to_a],
            method="post",
            kwargs=lambda w: {"pk": w.scheme_a.pk, "target_pk": _target(w)},
            write=Write(
                audit=("scheme.target_removed",),
                done=lambda w, u, c: _none_left(Target.objects.filter(scheme=w.scheme_a)),
            ),
        ),
        row(
            "schemes:target_remove",
            "another scheme's target",
            [LOGIN, 403, 403, 403, 404],
            method="post",
            kwargs=lambda w: {
                "pk": w.scheme_a.pk,
                "target_pk": TargetFactory(scheme=w.scheme_b).pk,
            },
        ),
    ]


def _none_left(queryset) -> None:
    assert not queryset.exists(), list(queryset)


# --- Imports, notifications, reports, the audit trail ----------------------------------------

IMPORT_CSV = (
    "reference,given_name,family_name,date_of_birth,situation,establishment,"
    "expected_release_on,referral_source,referred_on,referral_status,exit_reason,"
    "consent_given_on,consent_sheet_version\n"
    "IM-001,Ann,Importwell,,community,,,probation,{referred_on},,,,\n"
)


def _import_body(world: World, user: User | None) -> dict[str, Any]:
    csv = IMPORT_CSV.format(referred_on=day(-20)).encode()
    return {
        "kind": "mentees",
        "scheme": _scheme_of(world, user).pk,
        "file": SimpleUploadedFile("mentees.csv", csv, content_type="text/csv"),
    }


def _imported(world: World, user: User | None, client) -> None:
    assert Mentee.objects.get(reference="IM-001").scheme_id == _scheme_of(world, user).pk


def _unread_notification(world: World, user: User | None) -> dict[str, Any]:
    if user is None:
        return {}
    return {"notification": Notification.objects.create(recipient=user, subject="Matched").pk}


def _read(world: World, user: User | None, client) -> None:
    assert not Notification.objects.filter(recipient=user, read_at=None).exists()


def _report_body(world: World, user: User | None) -> dict[str, Any]:
    body = {
        "date_from": day(-30),
        "date_to": day(0),
        "schemes": [_scheme_of(world, user).pk],
        "funder": "",
        "format": ReportExport.Format.XLSX,
    }
    if user is not None and user.pk == world.manager.pk:
        body["kind"] = ReportExport.Kind.FUNDER
    return body


def _newest_export(world: World) -> dict[str, Any]:
    return {"pk": ReportExport.objects.latest("pk").pk}


def _report_requested(world: World, user: User | None, client) -> None:
    export = ReportExport.objects.get(requested_by=user)
    assert export.scheme_ids == [_scheme_of(world, user).pk]


def _export(w: World) -> int:
    """coordinator_a's report on scheme A (made on first use)."""
    from django.utils import timezone

    export, _ = ReportExport.objects.get_or_create(
        requested_by=w.coordinator_a,
        defaults={
            "scheme_ids": [w.scheme_a.pk],
            "date_from": timezone.localdate(),
            "date_to": timezone.localdate(),
        },
    )
    return export.pk


def site_rows() -> list[Row]:
    back = Redirect("core:notifications")
    to_list = Redirect("mentees:list")
    report = Redirect("reports:detail", _newest_export)
    own = {"kwargs": lambda w: {"pk": _export(w)}}
    return [
        row("home:dashboard", "", [LOGIN, 403, 200, 200, 200]),
        row("core:no_role", "", [LOGIN, HOME, HOME, HOME, HOME]),
        row("home:import", "", [LOGIN, 403, 200, 200, 403]),
        valid(
            "home:import",
            "mentees",
            [LOGIN, 403, to_list, to_list, 403],
            Write(
                audit=("import.completed", "mentee.imported"),
                data=_import_body,
                done=_imported,
            ),
        ),
        row("core:notifications", "", [LOGIN, 200, 200, 200, 200]),
        row("core:notifications_read", "", [LOGIN, 405, 405, 405, 405]),
        row("core:notifications_read", "POST", [LOGIN, back, back, back, back], method="post"),
        valid(
            "core:notifications_read",
            "one",
            [LOGIN, back, back, back, back],
            Write(data=_unread_notification, done=_read),
        ),
        # Reports are for staff; an export is its asker's alone (anyone else: 404).
        row("reports:new", "", [LOGIN, 403, 200, 200, 200]),
        row("reports:new", "POST", [LOGIN, 403, 200, 200, 200], method="post"),
        valid(
            "reports:new",
            "",
            [LOGIN, 403, report, report, report],
            Write(audit=("report.requested",), data=_report_body, done=_report_requested),
        ),
        row("reports:detail", "coordinator A's", [LOGIN, 403, 200, 404, 404], **own),
        row("reports:progress", "coordinator A's", [LOGIN, 403, 200, 404, 404], **own),
        # Not built yet: the file is not there to download.
        row("reports:download", "coordinator A's", [LOGIN, 403, 404, 404, 404], **own),
        row("audit:list", "", [LOGIN, 403, 403, 403, 200]),
    ]


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
            Redirect("schemes:list"),
        ],
    ),
    # With a fresh worker heartbeat, /healthz answers "all fine" to everyone.
    row("healthz", "", [200, 200, 200, 200, 200], prepare=lambda w: heartbeat_record()),
    *auth_rows(),
    *people_rows(),
    *scheme_rows(),
    *site_rows(),
]

#: Every row of the matrix, from this module and its siblings.
MATRIX: list[Row] = [
    *ROWS,
    *test_permission_matrix_mentors.ROWS,
    *test_permission_matrix_mentees.ROWS,
    *test_permission_matrix_relationships.ROWS,
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
