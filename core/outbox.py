"""The server's half of the phone's outbox (static/js/outbox.js).

The outbox sends a kept form in the background with ``X-Tandem-Outbox: 1`` and reads "204 No
Content" as "logged". A form sent the usual way is kept on the phone too, until a page tells
the phone it was logged: the view remembers the form's client id in the session, once, and
the next page that draws the navbar hands it to outbox.js (``data-outbox-logged``), which
deletes its copy instead of sending it again. A client id is a random UUID: no case data.
"""

import uuid

from django.http import HttpRequest

HEADER = "X-Tandem-Outbox"
_LOGGED = "outbox_logged"
#: A few forms logged before a page was drawn; more would mean nobody is reading them.
_LOGGED_KEPT = 20


def from_the_outbox(request: HttpRequest) -> bool:
    """Is this the outbox sending a kept form in the background (nobody sees the answer)?"""
    return request.headers.get(HEADER) == "1"


def outbox_logged_tell(request: HttpRequest, client_id: uuid.UUID) -> None:
    """Tell the phone, on the next page, that the form ``client_id`` is logged."""
    logged = [*request.session.get(_LOGGED, []), str(client_id)]
    request.session[_LOGGED] = logged[-_LOGGED_KEPT:]


def outbox_logged_told(request: HttpRequest) -> str:
    """The client ids logged since the last page, space-separated; told only once."""
    session = getattr(request, "session", None)
    if session is None or _LOGGED not in session:
        return ""
    return " ".join(session.pop(_LOGGED))
