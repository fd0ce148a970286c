"""Django's password rules, in the user's words (GOV.UK style: "Password must be 12 characters
or more", no full stop), for both the message when a rule is broken and the hint under the box.
AUTH_PASSWORD_VALIDATORS points at these."""

import re
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import password_validation as django
from django.core.exceptions import ValidationError

#: Long passwords people choose that Django's list misses (scripts/make_password_list.py).
LONG_COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-long-passwords.txt"
PRODUCT_NAMES = ("tandem",)


class MinimumLengthValidator(django.MinimumLengthValidator):
    """At least ``min_length`` characters."""

    def get_error_message(self) -> str:
        return f"Password must be {self.min_length} characters or more"

    def get_help_text(self) -> str:
        return f"Must be {self.min_length} characters or more."


class UserAttributeSimilarityValidator(django.UserAttributeSimilarityValidator):
    """Not like the person's name or email address, and not containing either: Django only
    compares the whole password, so "JaneSmith2025!" would pass for Jane Smith."""

    def validate(self, password: str, user: Any = None) -> None:
        super().validate(password, user)
        if user is None:
            return
        lowered = password.lower()
        email = str(getattr(user, "email", "") or "").lower()
        parts = re.split(r"\W+", str(getattr(user, "full_name", "") or "").lower())
        parts += re.split(r"\W+", email.split("@")[0])
        if any(len(part) >= 4 and part in lowered for part in parts):
            raise ValidationError(
                "Password must not include your name or email address",
                code="password_too_similar",
            )

    def get_error_message(self) -> str:
        return "Password must not be so like your %(verbose_name)s"

    def get_help_text(self) -> str:
        return "Must not be like your name or email address."


@cache
def _long_common_passwords() -> frozenset[str]:
    return frozenset(LONG_COMMON_PASSWORDS.read_text().split())


class CommonPasswordValidator(django.CommonPasswordValidator):
    """Not one of the 20,000 most common passwords (Django's list), nor one of the long ones
    people choose to meet a length rule (our list: doubled words, common words with digits)."""

    def validate(self, password: str, user: Any = None) -> None:
        super().validate(password, user)
        if password.lower().strip() in _long_common_passwords():
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self) -> str:
        return "Password is too easy to guess: choose one that is not a common password"

    def get_help_text(self) -> str:
        return "Must not be a common password, like password123."


class NumericPasswordValidator(django.NumericPasswordValidator):
    """Not only digits."""

    def get_error_message(self) -> str:
        return "Password must include letters or symbols, not only numbers"

    def get_help_text(self) -> str:
        return "Must not be only numbers."


class RepetitionValidator:
    """Not one character or a short run of characters repeated ("aaaaaaaaaaaa",
    "abcabcabcabc"), and not so few different characters that it is as easy to guess."""

    min_different = 5

    def validate(self, password: str, user: Any = None) -> None:
        if re.fullmatch(r"(.{1,6})\1+", password.lower()) or (
            len(set(password.lower())) < self.min_different
        ):
            raise ValidationError(
                "Password must not be one letter or a short pattern repeated, like aaaaaaaaaaaa",
                code="password_repetitive",
            )

    def get_help_text(self) -> str:
        return "Must not be a letter or pattern repeated, like aaaaaaaaaaaa."


class ProductNameValidator:
    """Not containing the name of the service: the first word anyone guessing would try."""

    def validate(self, password: str, user: Any = None) -> None:
        if any(name in password.lower() for name in PRODUCT_NAMES):
            raise ValidationError(
                "Password must not include the word Tandem", code="password_product_name"
            )

    def get_help_text(self) -> str:
        return "Must not include the word Tandem."
