"""Pure arithmetic for the relationship page: the scheme's cap, an overdue review, and the
chart of each goal domain's score over time. No database here, so each is tested alone."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Warn this close to a cap, so the ending can be planned rather than hit.
CAP_WARN_MEETINGS = 2
CAP_WARN_WEEKS = 4


@dataclass(frozen=True)
class CapPart:
    """One half of a cap (meetings or weeks) as the page says it."""

    text: str  # "8 of 12 meetings (met)"
    level: str  # "ok", "near", "reached" or "passed"


def _level(used: int, cap: int, warn: int) -> str:
    if used > cap:
        return "passed"
    if used == cap:
        return "reached"
    if cap - used <= warn:
        return "near"
    return "ok"


def cap_progress(
    *,
    cap_meetings: int | None,
    cap_weeks: int | None,
    meetings_held: int,
    matched_on: datetime.date,
    on: datetime.date,
) -> list[CapPart]:
    """Where a relationship stands against its scheme's cap, as of ``on``.

    Meetings count those that took place (a missed one is not a session used). Weeks are
    calendar weeks from the match, the first week being week 1; paused weeks count, since
    the scheme's funding period runs on regardless. An open-ended scheme gives nothing.
    """
    parts = []
    if cap_meetings is not None:
        noun = "meeting" if cap_meetings == 1 else "meetings"
        parts.append(
            CapPart(
                f"{meetings_held} of {cap_meetings} {noun} (met)",
                _level(meetings_held, cap_meetings, CAP_WARN_MEETINGS),
            )
        )
    if cap_weeks is not None:
        week = max(0, (on - matched_on).days) // 7 + 1
        level = _level(week, cap_weeks, CAP_WARN_WEEKS)
        # Week 26 of 26 is the last week, not yet past it.
        parts.append(
            CapPart(f"week {week} of {cap_weeks}", "near" if level == "reached" else level)
        )
    return parts


def review_overdue_days(
    *, next_review_on: datetime.date | None, is_open: bool, is_paused: bool, on: datetime.date
) -> int | None:
    """Days a review is overdue, or None when it is not. A paused relationship is not
    expected to hold reviews, and a closed one has none to come."""
    if next_review_on is None or not is_open or is_paused or next_review_on >= on:
        return None
    return (on - next_review_on).days


def overdue_words(days: int) -> str:
    return f"Review overdue by {days} day{'' if days == 1 else 's'}"


# --- The chart ---------------------------------------------------------------------------

#: Line colours that keep their contrast on white, one per domain in order of appearance.
PALETTE = ["#0d6efd", "#d63384", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"]


@dataclass(frozen=True)
class ScoreRow:
    """One goal score at one review, as read from the database."""

    review_id: int
    held_on: datetime.date
    domain: str
    score: int


@dataclass
class Series:
    domain: str
    label: str
    colour: str
    points: list[tuple[datetime.date, float]] = field(default_factory=list)
    xy: list[tuple[float, float]] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:g},{y:g}" for x, y in self.xy)


@dataclass
class Chart:
    """What the template draws: the series with their SVG coordinates, the axes, and the
    same numbers as a table (one row per review, one column per domain)."""

    width: int
    height: int
    series: list[Series]
    dates: list[datetime.date]
    x_ticks: list[tuple[float, datetime.date, str]]  # x, date, SVG text-anchor
    y_ticks: list[tuple[float, int]]
    table: list[tuple[datetime.date, list[float | None]]]
    left: int
    right: int
    top: int
    bottom: int


def domain_series(
    rows: Iterable[ScoreRow], labels: dict[str, str]
) -> tuple[list[datetime.date], list[Series]]:
    """Each domain's score per review: the mean of that domain's goal scores at that review
    (two housing goals scored 4 and 7 give 5.5), in date order."""
    sums: dict[tuple[str, int], list[int]] = defaultdict(list)
    review_dates: dict[int, datetime.date] = {}
    order: list[str] = []
    for r in sorted(rows, key=lambda r: (r.held_on, r.review_id)):
        sums[(r.domain, r.review_id)].append(r.score)
        review_dates[r.review_id] = r.held_on
        if r.domain not in order:
            order.append(r.domain)
    reviews = sorted(review_dates, key=lambda rid: (review_dates[rid], rid))
    series = []
    for i, domain in enumerate(order):
        s = Series(domain, labels.get(domain, domain), PALETTE[i % len(PALETTE)])
        for rid in reviews:
            scores = sums.get((domain, rid))
            if scores:
                s.points.append((review_dates[rid], round(sum(scores) / len(scores), 1)))
        series.append(s)
    return [review_dates[rid] for rid in reviews], series


def domain_chart(
    rows: Iterable[ScoreRow], labels: dict[str, str], *, width: int = 340, height: int = 200
) -> Chart | None:
    """Lay the series out in an SVG box of ``width`` by ``height`` (scaled by the browser
    to the column's width). x is proportional to the date; y runs 1 (bottom) to 10 (top).
    None when no review has scored a goal yet."""
    dates, series = domain_series(rows, labels)
    if not dates:
        return None
    left, right, top, bottom = 28, 12, 10, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = dates[0], dates[-1]
    span = (last - first).days

    def x(d: datetime.date) -> float:
        if span == 0:
            return round(left + plot_w / 2, 1)
        return round(left + plot_w * (d - first).days / span, 1)

    def y(score: float) -> float:
        return round(top + plot_h * (10 - score) / 9, 1)

    for s in series:
        s.xy = [(x(d), y(v)) for d, v in s.points]
    # Label at most the first, the last and one between, so dates never overlap on a phone.
    tick_dates = [first] if span == 0 else [first, last]
    if len(dates) > 2:
        tick_dates.insert(1, dates[len(dates) // 2])
    by_date = {s.domain: dict(s.points) for s in series}
    table = [(d, [by_date[s.domain].get(d) for s in series]) for d in dict.fromkeys(dates)]
    return Chart(
        width=width,
        height=height,
        series=series,
        dates=dates,
        x_ticks=[
            (
                x(d),
                d,
                "middle"
                if span == 0
                else "start"
                if d == first
                else "end"
                if d == last
                else "middle",
            )
            for d in tick_dates
        ],
        y_ticks=[(y(v), v) for v in (1, 4, 7, 10)],
        table=table,
        left=left,
        right=width - right,
        top=top,
        bottom=height - bottom,
    )
