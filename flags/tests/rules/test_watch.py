"""Imported history stays quiet: the watcher reads nothing before a record's go-live date
(``watched_from``), on hand-built facts at a fixed date (no database). Each clock starts no
earlier than the go-live date, so a flag comes only once its threshold has passed since then:
not raised just under it, raised just over."""

import dataclasses
from typing import TypeVar

from flags.models import Flag, Kind
from flags.rules.facts import Finding, ReferralFacts, RelationshipFacts
from flags.rules.watch import referral_findings, relationship_findings, watched_relationship
from flags.tests.rules.build import (
    TODAY,
    contacts,
    day,
    days,
    logged,
    newest_first,
    referral,
    relationship,
    review,
)
from mentees.models import NeedDomain
from relationships.models import Meeting, Party

YEAR = 365
MISSED = Meeting.Outcome.DID_NOT_ATTEND
Facts = TypeVar("Facts", RelationshipFacts, ReferralFacts)


def relationship_kinds(r: RelationshipFacts) -> dict[str, Finding]:
    """What the sweep finds on the relationship: each rule over the facts as watched."""
    return {f.kind: f for f in relationship_findings(r, TODAY)}


def referral_kinds(f: ReferralFacts) -> dict[str, Finding]:
    return {x.kind: x for x in referral_findings(f, TODAY)}


def live_from(r: Facts, go_live: int) -> Facts:
    """The facts with a go-live date ``go_live`` days before TODAY."""
    return dataclasses.replace(r, watched_from=day(go_live))


# --- Silence --------------------------------------------------------------------------------


def test_a_relationship_last_met_a_year_before_go_live_is_silent_only_after_the_expected_days():
    """Last met a year before the go-live date: silence is counted from the go-live date, so
    14 days on (twice the expected 7) it is not flagged, and 15 days on it is, with the
    days since the go-live date and saying the clock started then."""
    last_met = days(2 * YEAR, 2 * YEAR + 7)
    history = relationship(matched=3 * YEAR, recent_held=last_met, held_count=2)
    assert Kind.SILENCE in relationship_kinds(history)  # without a go-live date: flagged
    assert (
        relationship_kinds(
            live_from(relationship(matched=3 * YEAR, recent_held=last_met, held_count=2), 14)
        )
        == {}
    )
    found = relationship_kinds(
        live_from(relationship(matched=3 * YEAR, recent_held=last_met, held_count=2), 15)
    )
    assert list(found) == [Kind.SILENCE]
    assert found[Kind.SILENCE].figures["days_since_meeting"] == 15
    assert found[Kind.SILENCE].evidence.startswith(
        "No meeting held for 15 days: none since 15 Feb 2026, when Tandem began watching."
    )


def test_a_meeting_since_go_live_is_the_one_silence_counts_from():
    """Matched a year ago, met 15 days ago, after a go-live date 40 days ago: silent as any
    relationship would be, and nothing said about the go-live date (the rule found the same
    on the facts as loaded)."""
    r = live_from(relationship(matched=YEAR, recent_held=days(15, 18), held_count=2), 40)
    found = relationship_kinds(r)
    assert list(found) == [Kind.SILENCE]
    assert "Tandem began watching" not in found[Kind.SILENCE].evidence


# --- Clocks that start no earlier than the go-live date -------------------------------------


def test_a_match_before_go_live_with_no_meeting_is_counted_from_go_live():
    """Matched a year before go-live and never met: no first meeting is flagged only after
    14 days since the go-live date."""
    assert relationship_kinds(live_from(relationship(matched=YEAR), 14)) == {}
    found = relationship_kinds(live_from(relationship(matched=YEAR), 15))
    assert list(found) == [Kind.NO_FIRST_MEETING]
    assert found[Kind.NO_FIRST_MEETING].figures["days_since_match"] == 15


def test_a_review_due_before_go_live_is_overdue_from_go_live():
    """A review due a year ago is overdue by the days since the go-live date: 14 not
    flagged, 15 flagged."""

    def due_long_ago(go_live: int) -> RelationshipFacts:
        r = relationship(
            matched=2 * YEAR, next_review_on=day(YEAR), recent_held=days(3), held_count=1
        )
        return live_from(r, go_live)

    assert Kind.REVIEW_OVERDUE not in relationship_kinds(due_long_ago(14))
    found = relationship_kinds(due_long_ago(15))
    assert found[Kind.REVIEW_OVERDUE].figures["days_overdue"] == 15


def test_a_referral_waiting_for_years_before_go_live_flags_after_the_schemes_wait():
    """Waiting since years before the go-live date: waiting for a match only after 21 days
    since it (the scheme's threshold), not at 21."""

    def waiting(go_live: int) -> ReferralFacts:
        return live_from(referral(referred=4 * YEAR, waiting=3 * YEAR, last_attempt=1), go_live)

    assert referral_kinds(waiting(21)) == {}
    found = referral_kinds(waiting(22))
    assert list(found) == [Kind.WAITING_FOR_MATCH]
    assert found[Kind.WAITING_FOR_MATCH].figures["days_waiting"] == 22


def test_contact_attempts_before_go_live_count_for_nothing_and_the_clock_starts_there():
    """The last contact attempt years ago: no contact attempt flagged after 10 days since
    the go-live date, not at 10."""

    def referred(go_live: int) -> ReferralFacts:
        return live_from(referral(referred=4 * YEAR, last_attempt=3 * YEAR), go_live)

    assert referral_kinds(referred(10)) == {}
    found = referral_kinds(referred(11))
    assert list(found) == [Kind.NO_CONTACT_ATTEMPT]
    assert found[Kind.NO_CONTACT_ATTEMPT].figures["days_since_attempt"] == 11


# --- Events before the go-live date are dropped ---------------------------------------------


def test_missed_meetings_mentor_driving_and_reviews_before_go_live_count_for_nothing():
    """Meetings held, seven of the last eight started by the mentor, five not attended, and
    two reviews with unchanged scores, all before the go-live date; met since: nothing
    raised. Without a go-live date each would be."""

    def busy_history() -> RelationshipFacts:
        mentor = Party.MENTOR
        return relationship(
            matched=YEAR,
            **logged(
                contacts(2),
                contacts(40, 41, 42, 43, 44, outcome=MISSED, initiated_by=mentor),
                contacts(45, 46, 47, 48, 49, 50, 51, 52, initiated_by=mentor),
            ),
            held_count=9,
            reviews=[
                review(50, {NeedDomain.ACCOMMODATION: 4}),
                review(90, {NeedDomain.ACCOMMODATION: 4}),
            ],
        )

    unwatched = relationship_kinds(busy_history())
    assert {Kind.MISSED_MEETINGS, Kind.MENTOR_DRIVING, Kind.SCORES_FLAT} <= set(unwatched)
    assert relationship_kinds(live_from(busy_history(), 30)) == {}


def test_a_release_before_go_live_calls_for_nothing_and_one_after_it_does():
    """Released before the go-live date: no "no contact after release" (silence and the
    first meeting watch the relationship from then). Released 8 days ago, after it, with
    no contact since: flagged as always."""
    before = live_from(relationship(matched=YEAR, released_on=day(40), recent_held=days(3)), 30)
    assert Kind.NO_CONTACT_AFTER_RELEASE not in relationship_kinds(before)
    after = live_from(relationship(matched=YEAR, released_on=day(8), recent_held=days(9)), 30)
    assert Kind.NO_CONTACT_AFTER_RELEASE in relationship_kinds(after)


def test_go_live_today_raises_nothing_about_any_history():
    """A go-live date of today: a relationship matched years ago, never reviewed, silent for
    a year, and a referral waiting for years, raise nothing."""
    r = live_from(
        relationship(
            matched=3 * YEAR, next_review_on=day(YEAR), recent_held=days(YEAR), held_count=1
        ),
        0,
    )
    assert relationship_kinds(r) == {}
    assert relationship_kinds(live_from(relationship(matched=3 * YEAR), 0)) == {}
    assert referral_kinds(live_from(referral(referred=4 * YEAR, waiting=3 * YEAR), 0)) == {}


def test_pauses_are_clipped_to_go_live_and_still_not_counted():
    """Paused from before the go-live date until 10 days ago, last met a year ago: the 10
    days since the pause ended are under twice the expected days, so no silence."""
    r = live_from(
        relationship(
            matched=2 * YEAR,
            recent_held=days(YEAR),
            held_count=1,
            pauses=[(day(YEAR - 10), day(10))],
        ),
        30,
    )
    seen = watched_relationship(r, TODAY)
    assert seen.pauses == [(day(30), day(10))]
    assert relationship_kinds(r) == {}


def test_the_longest_evidence_with_its_go_live_words_fits_a_flag():
    """A relationship never started, matched before the go-live date, paused, with meetings
    missed and cancelled since, one plan unanswered and one to come: its one flag's evidence,
    with the words on the go-live date, fits the flag's evidence column."""
    r = live_from(
        relationship(
            matched=3 * YEAR,
            recent=newest_first(
                contacts(20, 21, 22, outcome=MISSED),
                contacts(23, 24, outcome=Meeting.Outcome.CANCELLED_BY_MENTEE),
            ),
            pauses=[(day(19), day(16))],
            last_unanswered_plan_on=day(5),
            oldest_unanswered_plan_on=day(5),
            unanswered_plans=1,
            next_plan_on=day(-3),
        ),
        30,
    )
    (finding,) = relationship_kinds(r).values()
    assert "when Tandem began watching" in finding.evidence
    assert len(finding.evidence) <= Flag._meta.get_field("evidence").max_length
