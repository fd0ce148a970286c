import datetime
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from accounts.models import User
from accounts.selectors import session_limits_for
from accounts.session_services import session_end, session_over_limit


def duration_words(length: datetime.timedelta) -> str:
    """ "30 minutes", "12 hours"."""
    minutes = int(length.total_seconds() // 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def session_limits(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Ends a session that has been idle too long, or open too long whatever the activity
    (settings ``SESSION_IDLE_MINUTES_*``, ``SESSION_ABSOLUTE_HOURS_*``), and sends the person
    to log in again, saying why. Costs no query on most requests: the timestamps are in the
    session, and the roles are the ones the page reads anyway."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            reason = session_over_limit(request=request, user=user)
            if reason is not None:
                limits = session_limits_for(user)
                session_end(request=request, reason=reason)
                if reason == "idle":
                    words = (
                        f"You were signed out after {duration_words(limits.idle)} without activity"
                    )
                else:
                    words = (
                        "You were signed out because you had been signed in for "
                        f"{duration_words(limits.absolute)}"
                    )
                messages.info(request, f"{words}. Log in again to carry on.")
                return redirect_to_login(request.get_full_path())
        return get_response(request)

    return middleware
