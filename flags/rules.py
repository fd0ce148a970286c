"""The watcher's rules, as pure functions of plain facts.

Nothing here touches the database: ``flags.sweep`` loads the facts set-wise (a fixed number of
queries, whatever the number of relationships) and calls these. Each rule returns a
``Finding`` with the evidence in plain words and the numbers behind it, or ``None``.
Thresholds come from the scheme (``Scheme.flag_*``), so a scheme can tune its own rhythm.
"""

import datetime
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.formats import date_format

from flags.models import Kind, Severity
from mentees.models import NeedDomain

MET = "met"
DID_NOT_ATTEND = "did_not_attend"
MENTOR = "mentor"
MENTEE = "mentee"
HELP_FOR = "help_for"
MENTOR_LED = "mentor_led"
PAUSED = "paused"
ENDING = "ending"
INTRODUCED = "introduced"

WINDOW_CONTACTS = 8  # mentor driving: the last eight contacts
WINDOW_ARRANGED = 5  # missed meetings: the last five arranged
WINDOW_HELD = 6  # doing things for: the last six meetings held
WINDOW_GAPS = 4  # growing gaps: the last four meetings held give three gaps
RISING_WEEKS = 4  # contact rising: the last four weeks against the four before


def _day(value: datetime.date) -> str:
    return date_format(value, "j M Y")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


@dataclass(frozen=True)
class Thresholds:
    """A scheme's rules for the watcher (see ``schemes.models.Scheme``)."""

    expected_contact_days: int = 7
    review_interval_weeks: int = 6
    cap_meetings: int | None = None
    cap_weeks: int | None = None
    no_first_meeting_days: int = 14
    no_contact_after_release_days: int = 7
    review_overdue_days: int = 14
    waiting_for_match_days: int = 21
    no_contact_attempt_days: int = 10
    missed_meetings: int = 3
    mentor_led_percent: int = 80
    done_for_percent: int = 50
    too_long_weeks: int = 4


@dataclass(frozen=True)
class Contact:
    """A logged meeting, held or not."""

    on: datetime.date
    outcome: str
    initiated_by: str
    purpose: str


@dataclass(frozen=True)
class ReviewFacts:
    held_on: datetime.date
    mentee_driving: str
    mentor_driving: str
    steps_total: int
    steps_owned_by_mentee: int
    scores: dict[str, float]  # domain → mean score at this review


@dataclass
class RelationshipFacts:
    """What the watcher knows about one open relationship."""

    id: int
    status: str
    matched_on: datetime.date
    thresholds: Thresholds
    next_review_on: datetime.date | None = None
    released_on: datetime.date | None = None
    exit_plan: str = ""
    planned_end_on: datetime.date | None = None
    # Newest first: the last WINDOW_CONTACTS contacts of any outcome, and the last
    # WINDOW_HELD meetings held.
    recent: list[Contact] = field(default_factory=list)
    recent_held: list[datetime.date] = field(default_factory=list)
    recent_held_purposes: list[str] = field(default_factory=list)
    held_count: int = 0
    last_contact_on: datetime.date | None = None  # any contact held, of any mode
    cap_reached_on: datetime.date | None = None  # the day the cap_meetings-th meeting was held
    held_recent_weeks: int = 0  # meetings held in the last RISING_WEEKS weeks
    held_weeks_before: int = 0  # … and in the RISING_WEEKS weeks before those
    goals_total: int = 0
    goals_open: int = 0
    goals_achieved: int = 0
    last_goal_achieved_on: datetime.date | None = None
    reviews: list[ReviewFacts] = field(default_factory=list)  # newest first, at most two
    pauses: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)

    def paused_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Days in [start, end) on which the relationship was paused."""
        total = 0
        for began, ended in self.pauses:
            lo, hi = max(began, start), min(ended or end, end)
            total += max(0, (hi - lo).days)
        return total


@dataclass(frozen=True)
class ReferralFacts:
    id: int
    status: str
    referred_on: datetime.date
    waiting_since: datetime.date | None
    last_attempt_on: datetime.date | None
    thresholds: Thresholds


@dataclass(frozen=True)
class Finding:
    kind: Kind
    target_id: int
    evidence: str
    figures: dict = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.kind]


SEVERITY: dict[str, Severity] = {
    Kind.NO_CONTACT_AFTER_RELEASE: Severity.HIGH,
    Kind.NO_FIRST_MEETING: Severity.HIGH,
    Kind.SILENCE: Severity.HIGH,
    Kind.MISSED_MEETINGS: Severity.MEDIUM,
    Kind.GAPS_GROWING: Severity.MEDIUM,
    Kind.REVIEW_OVERDUE: Severity.MEDIUM,
    Kind.WAITING_FOR_MATCH: Severity.MEDIUM,
    Kind.NO_CONTACT_ATTEMPT: Severity.MEDIUM,
    Kind.MENTOR_DRIVING: Severity.MEDIUM,
    Kind.DONE_FOR: Severity.MEDIUM,
    Kind.TOO_LONG: Severity.MEDIUM,
    Kind.SCORES_FLAT: Severity.LOW,
    Kind.CONTACT_RISING: Severity.LOW,
    Kind.MENTEE_STEPS_FALLING: Severity.LOW,
    Kind.DRIVING_GAP: Severity.LOW,
}

#: What the mentor sees: a gentle prompt written for them, never the coordinator's view.
MENTOR_PROMPTS: dict[str, str] = {
    Kind.NO_FIRST_MEETING: "Could you and your mentee fix a first meeting? Your coordinator "
    "can help arrange it.",
    Kind.NO_CONTACT_AFTER_RELEASE: "The first days after release matter most. Could you get "
    "in touch, or ask your coordinator to help?",
    Kind.SILENCE: "It has been a while since you met. Could you suggest a time?",
    Kind.GAPS_GROWING: "Meetings have been further apart lately. Is the timing still working "
    "for you both?",
    Kind.MISSED_MEETINGS: "A few meetings have been missed. Could you ask your mentee what "
    "would make meeting easier?",
    Kind.REVIEW_OVERDUE: "A review is due. Your coordinator will be in touch to set one up.",
    Kind.SCORES_FLAT: "Could you and your mentee look again at whether the goals still feel right?",
    Kind.MENTOR_DRIVING: "Could your mentee set up the next meeting or choose the next step?",
    Kind.DONE_FOR: "Next time, could you do it together, with your mentee leading?",
    Kind.TOO_LONG: "Could you and your mentee start talking about how and when you'll end?",
    Kind.CONTACT_RISING: "You've been meeting more often. Could you check together what the "
    "extra time is for?",
    Kind.MENTEE_STEPS_FALLING: "Could your mentee own more of the next steps?",
    Kind.DRIVING_GAP: "You and your mentee see who leads differently. Could you talk about it "
    "next time?",
}


# --- Stalling -------------------------------------------------------------------------------


def no_first_meeting(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """Matched, and no meeting held N days after the match (paused days do not count)."""
    if r.held_count:
        return None
    limit = r.thresholds.no_first_meeting_days
    paused = r.paused_days_between(r.matched_on, today)
    days = (today - r.matched_on).days - paused
    if days <= limit:
        return None
    not_counting = f", not counting {_plural(paused, 'day')} paused" if paused else ""
    return Finding(
        Kind.NO_FIRST_MEETING,
        r.id,
        f"Matched {_plural(days, 'day')} ago{not_counting}, and no meeting held yet "
        f"(flagged after {limit}).",
        {"days_since_match": days, "threshold_days": limit},
    )


def no_contact_after_release(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """Released from custody, and no contact within N days of the release date."""
    if r.released_on is None or r.released_on > today or r.released_on < r.matched_on:
        return None  # released before the match: ``no_first_meeting`` covers it
    if r.last_contact_on is not None and r.last_contact_on >= r.released_on:
        return None
    limit = r.thresholds.no_contact_after_release_days
    days = (today - r.released_on).days
    if days <= limit:
        return None
    return Finding(
        Kind.NO_CONTACT_AFTER_RELEASE,
        r.id,
        f"Released {_plural(days, 'day')} ago, on {_day(r.released_on)}, and no contact "
        f"since (expected within {limit}).",
        {"days_since_release": days, "threshold_days": limit},
    )


def silence(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """No meeting held for more than twice the scheme's expected days between contacts."""
    if not r.recent_held:
        return None  # never met: that is ``no_first_meeting``
    last = r.recent_held[0]
    expected = r.thresholds.expected_contact_days
    paused = r.paused_days_between(last, today)
    days = (today - last).days - paused
    if days <= 2 * expected:
        return None
    not_counting = f", not counting {_plural(paused, 'day')} paused" if paused else ""
    return Finding(
        Kind.SILENCE,
        r.id,
        f"No meeting held for {_plural(days, 'day')}{not_counting}: the last was on "
        f"{_day(last)}. The scheme expects one every {_plural(expected, 'day')}.",
        {"days_since_meeting": days, "expected_days": expected},
    )


def gaps_growing(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """The last three gaps between meetings each longer than the one before, and the latest
    longer than the expected interval. Paused days do not count in a gap."""
    held = r.recent_held[:WINDOW_GAPS]
    if len(held) < WINDOW_GAPS:
        return None
    newest_first = [
        (held[i] - held[i + 1]).days - r.paused_days_between(held[i + 1], held[i])
        for i in range(WINDOW_GAPS - 1)
    ]
    gaps = list(reversed(newest_first))  # oldest gap first
    expected = r.thresholds.expected_contact_days
    if not all(a < b for a, b in itertools.pairwise(gaps)) or gaps[-1] <= expected:
        return None
    return Finding(
        Kind.GAPS_GROWING,
        r.id,
        f"The last three gaps between meetings grew: {gaps[0]}, {gaps[1]} then "
        f"{_plural(gaps[2], 'day')} (the scheme expects {expected}).",
        {"gaps_days": gaps, "expected_days": expected},
    )


def missed_meetings(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """The mentee did not attend M of the last five arranged meetings."""
    arranged = r.recent[:WINDOW_ARRANGED]
    if len(arranged) < WINDOW_ARRANGED:
        return None
    missed = sum(1 for c in arranged if c.outcome == DID_NOT_ATTEND)
    limit = r.thresholds.missed_meetings
    if missed < limit:
        return None
    return Finding(
        Kind.MISSED_MEETINGS,
        r.id,
        f"The mentee did not attend {missed} of the last {WINDOW_ARRANGED} arranged meetings.",
        {"missed": missed, "arranged": WINDOW_ARRANGED, "threshold": limit},
    )


def review_overdue(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """A review overdue by more than N days."""
    if r.next_review_on is None:
        return None
    days = (today - r.next_review_on).days
    limit = r.thresholds.review_overdue_days
    if days <= limit:
        return None
    return Finding(
        Kind.REVIEW_OVERDUE,
        r.id,
        f"The review due on {_day(r.next_review_on)} is {_plural(days, 'day')} overdue "
        f"(flagged after {limit}).",
        {"days_overdue": days, "threshold_days": limit},
    )


def _shared_scores(r: RelationshipFacts) -> list[tuple[str, float, float]] | None:
    if len(r.reviews) < 2:
        return None
    latest, previous = r.reviews[0], r.reviews[1]
    domains = sorted(set(latest.scores) & set(previous.scores))
    if not domains:
        return None
    return [(d, previous.scores[d], latest.scores[d]) for d in domains]


def _score_text(rows: Sequence[tuple[str, float, float]]) -> str:
    labels = dict(NeedDomain.choices)
    return ", ".join(f"{labels.get(d, d)} {_n(b)}" for d, _a, b in rows)


def _n(x: float) -> str:
    return f"{x:.1f}".removesuffix(".0")


def scores_flat(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """Goal scores unchanged across the last two reviews."""
    rows = _shared_scores(r)
    if rows is None or any(a != b for _d, a, b in rows):
        return None
    latest, previous = r.reviews[0], r.reviews[1]
    return Finding(
        Kind.SCORES_FLAT,
        r.id,
        f"Goal scores unchanged between the reviews on {_day(previous.held_on)} and "
        f"{_day(latest.held_on)}: {_score_text(rows)}.",
        {"scores": {d: b for d, _a, b in rows}},
    )


# --- Dependency -----------------------------------------------------------------------------


def mentor_driving(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """The mentor initiated at least P% of the last eight contacts."""
    contacts = r.recent[:WINDOW_CONTACTS]
    if len(contacts) < WINDOW_CONTACTS:
        return None
    by_mentor = sum(1 for c in contacts if c.initiated_by == MENTOR)
    share = 100 * by_mentor / len(contacts)
    limit = r.thresholds.mentor_led_percent
    if share < limit:
        return None
    return Finding(
        Kind.MENTOR_DRIVING,
        r.id,
        f"The mentor initiated {by_mentor} of the last {len(contacts)} contacts "
        f"({share:.0f}%; flagged at {limit}%).",
        {"by_mentor": by_mentor, "contacts": len(contacts), "threshold_percent": limit},
    )


def done_for(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """Practical help done *for* the mentee in at least P% of the last six meetings held."""
    purposes = r.recent_held_purposes[:WINDOW_HELD]
    if len(purposes) < WINDOW_HELD:
        return None
    count = sum(1 for p in purposes if p == HELP_FOR)
    limit = r.thresholds.done_for_percent
    if 100 * count / len(purposes) < limit:
        return None
    return Finding(
        Kind.DONE_FOR,
        r.id,
        f"Practical help was done for the mentee, rather than with them, in {count} of the "
        f"last {len(purposes)} meetings.",
        {"done_for": count, "meetings": len(purposes), "threshold_percent": limit},
    )


PLANNED_END = "the planned end passed"


def too_long(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """All goals achieved, or the scheme's cap or the planned end passed, yet meetings carry
    on for more than N weeks with no ending plan."""
    if not r.recent_held:
        return None
    t = r.thresholds
    reasons: list[tuple[datetime.date, str]] = []
    # An agreed ending answers "no ending plan" for the goals and the cap; running on past
    # the planned end itself is the overrun an ending plan was meant to prevent.
    no_ending_plan = r.status != ENDING and not r.exit_plan.strip()
    if no_ending_plan and r.goals_total and not r.goals_open and r.last_goal_achieved_on:
        achieved = (
            "the one goal was achieved"
            if r.goals_total == 1
            else f"all {r.goals_total} goals were achieved"
        )
        reasons.append((r.last_goal_achieved_on, achieved))
    if no_ending_plan and t.cap_meetings and r.cap_reached_on:
        reasons.append(
            (r.cap_reached_on, f"the scheme's cap of {t.cap_meetings} meetings was reached")
        )
    if no_ending_plan and t.cap_weeks:
        reasons.append(
            (
                r.matched_on + datetime.timedelta(weeks=t.cap_weeks),
                f"the scheme's cap of {t.cap_weeks} weeks passed",
            )
        )
    if r.planned_end_on:
        reasons.append((r.planned_end_on, PLANNED_END))
    reasons = [(since, why) for since, why in reasons if since <= today]
    if not reasons:
        return None
    since, why = min(reasons)
    last = r.recent_held[0]
    weeks = (last - since).days // 7
    if (last - since).days <= 7 * t.too_long_weeks:
        return None
    if why == PLANNED_END:
        evidence = (
            f"The agreed ending was planned for {_day(since)}, yet meetings carried on for "
            f"{_plural(weeks, 'week')} after it."
        )
    else:
        evidence = (
            f"On {_day(since)} {why}, yet meetings carried on for {_plural(weeks, 'week')} "
            f"after, with no ending plan."
        )
    return Finding(
        Kind.TOO_LONG,
        r.id,
        evidence,
        {"since": since.isoformat(), "weeks_after": weeks, "threshold_weeks": t.too_long_weeks},
    )


def _mean(scores: dict[str, float]) -> float:
    return sum(scores.values()) / len(scores)


def contact_rising(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """Contact rising over the last eight weeks while goal scores are flat: more than half
    as many meetings again in the last four weeks as in the four before (and at least two
    more), while the mean goal score did not rise between the last two reviews."""
    before, recent = r.held_weeks_before, r.held_recent_weeks
    if not (recent >= before + 2 and 2 * recent >= 3 * before):
        return None
    if len(r.reviews) < 2 or not r.reviews[0].scores or not r.reviews[1].scores:
        return None
    latest, previous = _mean(r.reviews[0].scores), _mean(r.reviews[1].scores)
    if latest > previous:
        return None
    return Finding(
        Kind.CONTACT_RISING,
        r.id,
        f"{_plural(recent, 'meeting')} held in the last {RISING_WEEKS} weeks against "
        f"{before} in the {RISING_WEEKS} before, while the mean goal score went from "
        f"{_n(round(previous, 1))} to {_n(round(latest, 1))} between the last two reviews.",
        {"recent": recent, "before": before, "score_before": previous, "score_latest": latest},
    )


def mentee_steps_falling(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """The share of steps owned by the mentee fell between the last two reviews."""
    if len(r.reviews) < 2:
        return None
    latest, previous = r.reviews[0], r.reviews[1]
    if not latest.steps_total or not previous.steps_total:
        return None
    was = previous.steps_owned_by_mentee / previous.steps_total
    now = latest.steps_owned_by_mentee / latest.steps_total
    if now >= was:
        return None
    return Finding(
        Kind.MENTEE_STEPS_FALLING,
        r.id,
        f"The mentee owned {previous.steps_owned_by_mentee} of {previous.steps_total} steps "
        f"({was:.0%}) at the review on {_day(previous.held_on)}, and "
        f"{latest.steps_owned_by_mentee} of {latest.steps_total} ({now:.0%}) at the review on "
        f"{_day(latest.held_on)}.",
        {"share_before": round(was, 3), "share_latest": round(now, 3)},
    )


DRIVING_WORDS = {"mentee_led": "mentee-led", "shared": "shared", "mentor_led": "mentor-led"}


def driving_gap(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """At the latest review the mentor said shared or mentee-led; the mentee said mentor-led."""
    if not r.reviews:
        return None
    latest = r.reviews[0]
    if latest.mentee_driving != MENTOR_LED or latest.mentor_driving == MENTOR_LED:
        return None
    return Finding(
        Kind.DRIVING_GAP,
        r.id,
        f"At the review on {_day(latest.held_on)} the mentor said the relationship is "
        f"{DRIVING_WORDS.get(latest.mentor_driving, latest.mentor_driving)}; the mentee said "
        f"it is mentor-led.",
        {"mentor_view": latest.mentor_driving, "mentee_view": latest.mentee_driving},
    )


# --- Referrals ------------------------------------------------------------------------------


def waiting_for_match(f: ReferralFacts, today: datetime.date) -> Finding | None:
    """A referral waiting for a match for more than N days."""
    if f.waiting_since is None:
        return None
    days = (today - f.waiting_since).days
    limit = f.thresholds.waiting_for_match_days
    if days <= limit:
        return None
    return Finding(
        Kind.WAITING_FOR_MATCH,
        f.id,
        f"Waiting for a match for {_plural(days, 'day')}, since {_day(f.waiting_since)} "
        f"(flagged after {limit}).",
        {"days_waiting": days, "threshold_days": limit},
    )


def no_contact_attempt(f: ReferralFacts, today: datetime.date) -> Finding | None:
    """A referral not yet matched with no contact attempt logged in N days."""
    since = f.last_attempt_on or f.referred_on
    days = (today - since).days
    limit = f.thresholds.no_contact_attempt_days
    if days <= limit:
        return None
    what = (
        f"the last was on {_day(f.last_attempt_on)}"
        if f.last_attempt_on
        else f"none since the referral on {_day(f.referred_on)}"
    )
    return Finding(
        Kind.NO_CONTACT_ATTEMPT,
        f.id,
        f"No contact attempt logged for {_plural(days, 'day')}: {what} (flagged after {limit}).",
        {"days_since_attempt": days, "threshold_days": limit},
    )


RelationshipRule = Callable[[RelationshipFacts, datetime.date], Finding | None]

#: Stalling rules are skipped for a paused relationship; dependency rules are not.
STALLING_RULES: dict[str, RelationshipRule] = {
    Kind.NO_FIRST_MEETING: no_first_meeting,
    Kind.NO_CONTACT_AFTER_RELEASE: no_contact_after_release,
    Kind.SILENCE: silence,
    Kind.GAPS_GROWING: gaps_growing,
    Kind.MISSED_MEETINGS: missed_meetings,
    Kind.REVIEW_OVERDUE: review_overdue,
    Kind.SCORES_FLAT: scores_flat,
}
DEPENDENCY_RULES: dict[str, RelationshipRule] = {
    Kind.MENTOR_DRIVING: mentor_driving,
    Kind.DONE_FOR: done_for,
    Kind.TOO_LONG: too_long,
    Kind.CONTACT_RISING: contact_rising,
    Kind.MENTEE_STEPS_FALLING: mentee_steps_falling,
    Kind.DRIVING_GAP: driving_gap,
}
REFERRAL_RULES = {
    Kind.WAITING_FOR_MATCH: waiting_for_match,
    Kind.NO_CONTACT_ATTEMPT: no_contact_attempt,
}


def findings_for_relationship(r: RelationshipFacts, today: datetime.date) -> list[Finding]:
    rules = dict(DEPENDENCY_RULES)
    if r.status != PAUSED:
        rules.update(STALLING_RULES)
    found = []
    for rule in rules.values():
        finding = rule(r, today)
        if finding is not None:
            found.append(finding)
    return found


def findings_for_referral(f: ReferralFacts, today: datetime.date) -> list[Finding]:
    found = []
    for rule in REFERRAL_RULES.values():
        finding = rule(f, today)
        if finding is not None:
            found.append(finding)
    return found
