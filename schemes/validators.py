"""Checks on what people type into a mentor's or a mentee's record (the model fields point
here; migrations name ``schemes.models.validate_word_list``, which models.py imports)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator


def validate_word_list(value: object) -> None:
    """Languages, interests and skills are short labels that matching will compare, so each
    list holds plain strings only (a JSON list works the same on SQLite and PostgreSQL)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError("Give a list of words, separated by commas.")
    if len(value) > 30:
        raise ValidationError("Give at most 30 entries.")
    if any(len(v) > 60 for v in value):
        raise ValidationError("Keep each entry under 60 characters.")
    if any("\x00" in v for v in value):  # PostgreSQL's JSON cannot hold one
        raise ValidationError("Remove the null character from the list.")


postcode_district = RegexValidator(
    r"^[A-Z]{1,2}[0-9][A-Z0-9]?$",
    "Give the first half of a postcode, for example LS6 or SW1A.",
)
