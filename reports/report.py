"""The shape of a funder report, shared by the builder, the screen and every export.

A ``Report`` is a list of ``Section``s (funnel, timeliness, contact time, relationships,
outcomes, mentors, flags). Each section carries:

- ``figures``: every number of the section under stable keys, for the ``json`` format (see
  ``docs/reports.md``); rates are floats from 0 to 1, or ``None`` when the denominator is 0
  (shown as "n/a"); in the tables a cell with no base by definition is ``NO_BASE`` (blank);
- ``tables``: what a person reads, as pandas DataFrames with plain-English column headers,
  each with the counts behind every rate;
- ``definitions``: how each figure is counted, one click away on screen and a sheet of its own
  in the XLSX.

Reports are aggregate and pseudonymous: no names, dates of birth or free-text notes, ever.
Demographic breakdowns suppress counts below ``SUPPRESS_BELOW`` as "<5".
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

SUPPRESS_BELOW = 5
#: A figure whose base exists but is zero (a rate with nobody to divide by, an average of
#: nothing): ``None`` in a table, shown "n/a".
NOT_APPLICABLE = "n/a"
#: A cell with no base by definition (the first stage's conversion, the share column of a
#: row that is not a share of anything): left blank everywhere, never "n/a".
NO_BASE = ""

#: ``progress(percent, message)``: how building a report and writing its file tell a
#: background job's progress bar how far they have got.
Progress = Callable[[int, str], None]


@dataclass
class Table:
    key: str  # stable: the CSV file name and XLSX sheet name come from it
    title: str
    frame: pd.DataFrame
    rate_columns: list[str] = field(default_factory=list)  # columns holding 0-1 rates
    note: str = ""


@dataclass
class Section:
    key: str  # stable: "funnel", "timeliness", "contact", "relationships", "outcomes", ...
    title: str
    figures: dict[str, Any]
    tables: list[Table] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)


@dataclass
class Report:
    date_from: datetime.date
    date_to: datetime.date
    schemes: list[tuple[int, str]]  # (id, name) of every scheme covered
    generated_at: datetime.datetime
    sections: list[Section] = field(default_factory=list)
    funder: str = ""
    #: The last day counted: the period's end, or the day the report was built when the
    #: period ends later (a quarter's report set up before the quarter ends). ``None`` means
    #: the period's end.
    counted_to: datetime.date | None = None

    @property
    def last_counted_day(self) -> datetime.date:
        """The last day the figures count: ``counted_to``, or the period's end."""
        return self.counted_to or self.date_to

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def to_json(self) -> dict[str, Any]:
        """Every figure with stable keys (documented in docs/reports.md)."""
        return {
            "period": {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()},
            "schemes": [{"id": pk, "name": name} for pk, name in self.schemes],
            "funder": self.funder,
            "generated_at": self.generated_at.isoformat(),
            "counted_to": self.last_counted_day.isoformat(),
            **{s.key: s.figures for s in self.sections},
        }


def rate(numerator: int, denominator: int) -> float | None:
    """A share from 0 to 1, or None when there is nothing to divide by."""
    return numerator / denominator if denominator else None


def measure_text(value: float) -> str:
    """A measure (hours, days, a score) as a person reads it: one decimal place, or two below
    one, so 0.08 hours reads 0.08 and not 0.1 (or 0.0)."""
    return f"{value:,.2f}" if 0 < abs(value) < 1 else f"{value:,.1f}"


def suppress(count: int) -> int | str:
    """Small-number suppression for demographic breakdowns: below 5 shows as "<5"."""
    return count if count >= SUPPRESS_BELOW or count == 0 else f"<{SUPPRESS_BELOW}"
