"""Django's password rules, in the user's words (GOV.UK style: "Password must be 12 characters
or more", no full stop), for both the message when a rule is broken and the hint under the box.
AUTH_PASSWORD_VALIDATORS points at these."""

from django.contrib.auth import password_validation as django


class MinimumLengthValidator(django.MinimumLengthValidator):
    """At least ``min_length`` characters."""

    def get_error_message(self) -> str:
        return f"Password must be {self.min_length} characters or more"

    def get_help_text(self) -> str:
        return f"Must be {self.min_length} characters or more."


class UserAttributeSimilarityValidator(django.UserAttributeSimilarityValidator):
    """Not like the person's name or email address."""

    def get_error_message(self) -> str:
        return "Password must not be so like your %(verbose_name)s"

    def get_help_text(self) -> str:
        return "Must not be like your name or email address."


class CommonPasswordValidator(django.CommonPasswordValidator):
    """Not one of the 20,000 most common passwords."""

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
