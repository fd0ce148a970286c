"""The rows of the permission matrix for "Your sessions": every signed-in role sees its own
sessions and can sign out everywhere else; nobody else's. See ``core/tests/matrix.py``."""

from django.contrib.sessions.models import Session

from accounts.models import SignedInSession, User
from conftest import World, client_for
from core.tests.matrix import LOGIN, Redirect, Row, Write, row, valid

#: The key of the other session each valid POST must end, by user id.
_OTHER_SESSION: dict[int, str] = {}


def _signed_in_elsewhere(world: World, user: User | None, client) -> None:
    """The user is also signed in on a second browser."""
    if user is not None:
        _OTHER_SESSION[user.pk] = client_for(user).session.session_key


def _other_session_ended(world: World, user: User | None, client) -> None:
    assert user is not None
    other = _OTHER_SESSION.pop(user.pk)
    assert not Session.objects.filter(session_key=other).exists()
    assert not SignedInSession.objects.filter(session_key=other).exists()
    # The session that asked stays signed in.
    assert client.session.get("_auth_user_id") == str(user.pk)


def session_rows() -> list[Row]:
    back = Redirect("sessions")
    return [
        row("sessions", "", [LOGIN, 200, 200, 200, 200]),
        valid(
            "sessions_sign_out_others",
            "",
            [LOGIN, back, back, back, back],
            Write(
                audit=("user.sessions_ended",),
                before=_signed_in_elsewhere,
                done=_other_session_ended,
            ),
        ),
        row("sessions_sign_out_others", "GET", [LOGIN, 405, 405, 405, 405]),
    ]
