"""The permission matrix for logging in and out, passwords, and the manager's people pages:
every role, with a valid POST for every write a role may make. See core/tests/matrix.py."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Membership, Role, User
from accounts.tests.factories import TEST_PASSWORD
from conftest import World, current_email_queue, run_on_commit_callbacks
from core.tests.matrix import (
    HOME,
    LOGIN,
    Redirect,
    Row,
    Write,
    cases,
    row,
    run_case,
    valid,
)

NEW_PASSWORD = "a much longer passphrase for 2027"


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
    """The link is queued for the worker once the request's transaction commits."""
    run_on_commit_callbacks()
    assert [m["to"] for m in current_email_queue().queued] == [[world.no_role.email]]


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


ROWS: list[Row] = [
    *auth_rows(),
    *people_rows(),
]


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
