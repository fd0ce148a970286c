"""Calendar quarters: how far ahead a report's period may end, and the trend's quarters.

A quarter's report is set up before the quarter ends, so a period may end as late as the end
of the current calendar quarter (31 March, 30 June, 30 September or 31 December); what it
counts stops at the day it is built (``Report.counted_to``).
"""

import datetime

from django.utils import timezone

#: Short month names for a quarter's label: "Apr", an en dash, "Jun 2025".
_MONTH = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DASH = "\u2013"  # an en dash between a quarter's first and last months


def quarter_start(day: datetime.date) -> datetime.date:
    """The first day of the calendar quarter ``day`` falls in."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: datetime.date) -> datetime.date:
    """The last day of the calendar quarter ``day`` falls in."""
    first = quarter_start(day)
    if first.month == 10:
        return datetime.date(day.year, 12, 31)
    return datetime.date(day.year, first.month + 3, 1) - datetime.timedelta(days=1)


def latest_period_end(today: datetime.date | None = None) -> datetime.date:
    """The latest day a report's period may end: the end of the current quarter."""
    return quarter_end(today or timezone.localdate())


def counted_to(date_to: datetime.date, today: datetime.date | None = None) -> datetime.date:
    """The last day a report counts: its period's end, or today when the period ends later."""
    return min(date_to, today or timezone.localdate())


def quarter_label(start: datetime.date, end: datetime.date) -> str:
    """ "Apr to Jun 2025" with an en dash for a whole quarter; a part of one says which days
    it covers: "... 2025 (from 15 May)", "... 2026 (to 1 Dec)"."""
    first = quarter_start(start)
    label = f"{_MONTH[first.month - 1]}{DASH}{_MONTH[first.month + 1]} {first.year}"
    parts = []
    if start != first:
        parts.append(f"from {start:%-d %b}")
    if end != quarter_end(start):
        parts.append(f"to {end:%-d %b}")
    return f"{label} ({', '.join(parts)})" if parts else label


def quarters_within(
    spans: list[tuple[datetime.date, datetime.date]], last: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The calendar quarters the spans (periods, both days included) cover up to ``last``, in
    order, each cut to the days the spans cover: a span that starts on 15 May gives its first
    quarter from 15 May. Where spans leave a gap inside a quarter, the quarter runs from its
    first covered day to its last."""
    covered: dict[datetime.date, tuple[datetime.date, datetime.date]] = {}
    for start, end in spans:
        end = min(end, last)
        day = start
        while day <= end:
            q_end = min(quarter_end(day), end)
            key = quarter_start(day)
            low, high = covered.get(key, (day, q_end))
            covered[key] = (min(low, day), max(high, q_end))
            day = q_end + datetime.timedelta(days=1)
    return [covered[key] for key in sorted(covered)]
