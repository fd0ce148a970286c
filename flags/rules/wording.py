"""How the rules write their evidence: dates, counts and scores in plain words."""

import datetime

from django.utils.formats import date_format


def format_day(value: datetime.date) -> str:
    """``1 Jan 2026``."""
    return date_format(value, "j M Y")


def plural(n: int, word: str, plural: str | None = None) -> str:
    """``1 day``, ``2 days``."""
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def format_score(x: float) -> str:
    """One decimal place, without a trailing ``.0``: ``4``, ``4.5``."""
    return f"{x:.1f}".removesuffix(".0")
