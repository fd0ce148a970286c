"""The login and password forms follow the same pattern as every other form: an error summary,
"Error:" in the title, and messages in the user's words."""

from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import client_for
from core.tests.form_checks import problems_with


def _errors(response) -> dict[str, list[str]]:
    return {k: list(v) for k, v in response.context["form"].errors.items()}


def test_an_empty_login_asks_for_the_email_and_password(db):
    """Logging in with nothing typed says what to enter, in a summary, with "Error:" first
    in the title."""
    response = Client().post(reverse("login"), {"username": "", "password": ""})
    assert _errors(response) == {
        "username": ["Enter your email address"],
        "password": ["Enter your password"],
    }
    assert problems_with(response.content.decode(), has_errors=True) == []


def test_a_wrong_password_is_explained_in_the_summary(world):
    """A login that matches no account says so at the top of the page."""
    response = Client().post(
        reverse("login"), {"username": world.mentor_a.email, "password": "not it at all"}
    )
    body = response.content.decode()
    assert "don&#x27;t match an account" in body and "There is a problem" in body
    assert problems_with(body, has_errors=True) == []


def test_changing_a_password_explains_each_mistake(world):
    """The password change form asks for each box, and says when the two new ones differ."""
    client = client_for(world.mentor_a)
    empty = client.post(reverse("password_change"), {})
    assert _errors(empty) == {
        "old_password": ["Enter your current password"],
        "new_password1": ["Enter a new password"],
        "new_password2": ["Enter the new password again"],
    }
    assert problems_with(empty.content.decode(), has_errors=True) == []


def test_a_reset_link_asks_for_the_same_new_password_twice(world):
    """Setting a password from a reset link says when the two boxes differ."""
    user = world.mentor_a
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    client = Client()
    url = reverse("password_reset_confirm", args=[uid, token])
    form_url = client.get(url)["Location"]
    response = client.post(
        form_url, {"new_password1": "a long new secret 1", "new_password2": "another"}
    )
    assert _errors(response) == {
        "new_password2": ["The new passwords do not match: type the same one in both boxes"]
    }
    assert problems_with(response.content.decode(), has_errors=True) == []


def test_a_reset_request_asks_for_an_email_address(db):
    """Asking for a reset link with nothing typed asks for the email address."""
    response = Client().post(reverse("password_reset"), {"email": ""})
    assert _errors(response) == {"email": ["Enter your email address"]}
    assert problems_with(response.content.decode(), has_errors=True) == []
