"""A request whose user is known to be a signed-in ``User``.

Views behind ``role_required`` (and its shorthands) or ``login_required`` take an
``AuthedRequest``: the decorator has already sent anonymous people to the login page, so
``request.user`` is never an ``AnonymousUser`` there and the type checker can hold every
service call to a real ``User``.
"""

from django.http import HttpRequest

from accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
