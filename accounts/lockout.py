"""Password guessing: three limits, each counted by django-axes over the cool-off window.

- one account from one address (``LOGIN_FAILURE_LIMIT``, 5): someone who mistyped is paused
  on the device they are using, nobody else is;
- one address across every account (``LOGIN_FAILURE_LIMIT_PER_ADDRESS``, 10): password spraying,
  a few guesses at each of many accounts, stops after a handful of accounts. It holds only
  for accounts that were themselves guessed at from that address in the window: a colleague
  behind the same office NAT (or the same proxy) whose account nobody guessed at logs in as
  usual, and a password reset, which clears the account's failures, lets its owner back in.
  Past the limit a sprayer gets one guess at each new account, then that one is locked too,
  until the address reaches ``LOGIN_FAILURE_CAP_PER_ADDRESS`` (30): from then on every account
  is refused from that address, colleagues included, so one common password cannot be tried
  on every account;
- one account across every address (``LOGIN_FAILURE_LIMIT_PER_ACCOUNT``, 20): guessing from
  many addresses still stops. It is the highest of the three on purpose: anyone who knows an
  email address can trip it and so lock its owner out from everywhere, so it only has to stop
  a slow, distributed attack, and the owner can always end it by resetting their password.

django-axes compares every lockout parameter against one limit, so the handler below reports
a count that reaches the pair's limit exactly when any of the three limits is reached.
"""

import ipaddress

import ipware.ip
from axes.conf import settings as axes_settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.utils import reset
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

#: The order of AXES_LOCKOUT_PARAMETERS in settings: pair, account, address.
LOCKOUT_PARAMETERS: list[str | list[str]] = [["username", "ip_address"], "username", "ip_address"]


def failure_limits() -> list[int]:
    """The limit for each of LOCKOUT_PARAMETERS, in the same order."""
    return [
        settings.AXES_FAILURE_LIMIT,
        settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT,
        settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS,
    ]


class LimitsPerParameterHandler(AxesDatabaseHandler):
    """django-axes' database handler, with a limit of its own for each lockout parameter."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        pair, _, address = counts
        if address >= settings.LOGIN_FAILURE_CAP_PER_ADDRESS:
            return settings.AXES_FAILURE_LIMIT
        if address and not pair:
            # Nobody guessed at this account from here: the address's count is not its own.
            counts[2] = 0
        if any(count >= limit for count, limit in zip(counts, failure_limits(), strict=True)):
            return settings.AXES_FAILURE_LIMIT
        return pair


def _an_address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: django-ipware's answer, as django-axes would ask for it,
    or, when it has none, the address the nearest proxy saw.

    Behind two or more proxies, a request that reached the nearest one directly (or through a
    proxy that forwards no header) carries a shorter ``X-Forwarded-For`` than expected, and
    ipware finds no client in it: every such request would share one count, so a few could
    lock out all the rest. The rightmost entry was written by the trusted proxy nearest
    Tandem, so it is still a real address; with no usable entry, the connection's own."""
    address, _ = ipware.ip.get_client_ip(
        request,
        proxy_order=axes_settings.AXES_IPWARE_PROXY_ORDER,
        proxy_count=axes_settings.AXES_IPWARE_PROXY_COUNT,
        proxy_trusted_ips=axes_settings.AXES_IPWARE_PROXY_TRUSTED_IPS,
        request_header_order=axes_settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    if address:
        return str(address)
    if "HTTP_X_FORWARDED_FOR" in axes_settings.AXES_IPWARE_META_PRECEDENCE_ORDER:
        entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entries and (nearest := _an_address(entries[-1])):
            return nearest
    return _an_address(request.META.get("REMOTE_ADDR", "")) or None


def client_address(request: HttpRequest) -> str | None:
    """The address the person is connecting from, resolved exactly as the lockout resolves it
    (django-ipware behind ``TRUSTED_PROXY_COUNT`` proxies), so the audit, the sessions page
    and django-axes' own log agree."""
    address = getattr(request, "axes_ip_address", None)
    return address if address else get_client_ip_address(request)


def failures_forgiven(*, request: HttpRequest, email: str) -> None:
    """A correct password clears the failures of this account from this address only.

    django-axes' own ``AXES_RESET_ON_SUCCESS`` clears every row matching any lockout
    parameter, so logging in to one's own account would wipe the address's guesses at other
    accounts: a sprayer with an account of their own could reset their count at will."""
    address = client_address(request)
    if address:
        reset(ip=address, username=email)


def account_failures_forgiven(*, email: str) -> None:
    """A password set from an emailed link proves the person holds the address: any lockout
    of the account (perhaps tripped by someone else to keep them out) ends."""
    reset(username=email)
