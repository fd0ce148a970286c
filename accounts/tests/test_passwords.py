"""The password rules speak the user's words, GOV.UK style, both when a rule is broken and in
the hint under the new-password box: no "This password is too short. It must contain…"."""

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts

from accounts.forms import PasswordChangeForm, SetPasswordForm


def _new_password_errors(user, password: str) -> list[str]:
    form = SetPasswordForm(user, data={"new_password1": password, "new_password2": password})
    assert not form.is_valid()
    return [error for errors in form.errors.values() for error in errors]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Zq8!vT", "Password must be 12 characters or more"),
        ("password1234", "Password is too easy to guess: choose one that is not a common password"),
        ("480215937461", "Password must include letters or symbols, not only numbers"),
    ],
)
def test_a_broken_password_rule_is_said_plainly(world, password, message):
    """Each rule broken is one message that says what the password must be, with no full stop."""
    assert message in _new_password_errors(world.mentor_a, password)


def test_a_password_like_the_email_address_says_so(world):
    """A password close to the person's email address names what it is too like."""
    user = world.mentor_a
    errors = _new_password_errors(user, user.email)
    assert any(e.startswith("Password must not be so like your ") for e in errors), errors
    assert not any("too similar" in e for e in errors)


def test_the_hint_lists_the_rules_in_plain_words(world):
    """The hint under the new password lists the rules as "Must …", not Django's words."""
    hints = password_validators_help_texts()
    assert "Must be 12 characters or more." in hints
    assert not any("Your password" in hint or "can’t" in hint for hint in hints)
    form = PasswordChangeForm(world.mentor_a)
    assert "Must be 12 characters or more." in str(form.fields["new_password1"].help_text)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (
            "aaaaaaaaaaaa",
            "Password must not be one letter or a short pattern repeated, like aaaaaaaaaaaa",
        ),
        ("tandemtandem", "Password must not include the word Tandem"),
        ("MyTandemLogin2027", "Password must not include the word Tandem"),
        ("qwertyqwerty", "Password is too easy to guess: choose one that is not a common password"),
        ("sunshine2025", "Password is too easy to guess: choose one that is not a common password"),
    ],
)
def test_long_but_easy_passwords_are_refused_saying_why(world, password, message):
    """Twelve characters are not enough: a repeated letter or pattern, the product's name and
    long passwords from the shipped list of common ones are refused, each saying why."""
    assert message in _new_password_errors(world.mentor_a, password)


def test_a_password_containing_the_persons_name_is_refused(world):
    """A password built on the person's own name or email address is refused, even where
    it is too long to be "like" it as a whole."""
    user = world.mentor_a  # Max Mentor
    errors = _new_password_errors(user, "MentorMax!2027xyz")
    assert "Password must not include your name or email address" in errors
    local = user.email.split("@")[0]
    errors = _new_password_errors(user, f"{local}#Q9z-longer")
    assert "Password must not include your name or email address" in errors


def test_a_long_unusual_password_is_accepted(world):
    """A long password that breaks no rule is accepted."""
    password = "plum kettle orbit 47"
    form = SetPasswordForm(
        world.mentor_a, data={"new_password1": password, "new_password2": password}
    )
    assert form.is_valid(), form.errors


def test_the_shipped_list_has_thousands_of_long_passwords():
    """The list of long common passwords ships with Tandem (no download at run time)."""
    from accounts.passwords import LONG_COMMON_PASSWORDS

    entries = LONG_COMMON_PASSWORDS.read_text().split()
    assert len(entries) > 3000
    assert all(len(entry) >= 12 for entry in entries)
