"""The rules as the sweep applies them: which apply when, each kind's severity and prompt,
and the paused days they leave out, on hand-built facts (no database)."""

from django.core.validators import MaxValueValidator

from flags.models import REFERRAL_KINDS, Kind, Severity
from flags.rules import (
    DEPENDENCY_RULES,
    REFERRAL_RULES,
    STALLING_RULES,
    findings_for_referral,
    findings_for_relationship,
)
from flags.rules import facts as rule_facts
from flags.rules.facts import SEVERITY, RelationshipFacts
from flags.rules.prompts import FALLBACK_PROMPTS, MENTOR_PROMPTS
from flags.tests.rules.build import (
    TODAY,
    contacts,
    day,
    days,
    logged,
    referral,
    relationship,
    review,
)
from relationships.models import Driving, GoalScore, Meeting, Party, Relationship


def stalled_and_driven(status: str) -> RelationshipFacts:
    """Last met 30 days ago, every one of the last eight contacts started by the mentor."""
    return relationship(
        status=status,
        held_count=8,
        **logged(contacts(30, 32, 34, 36, 38, 40, 42, 44, initiated_by=Party.MENTOR)),
    )


def test_an_active_relationship_is_checked_for_stalling_and_dependency():
    """Silence and mentor driving are both found, dependency rules first."""
    found = findings_for_relationship(stalled_and_driven(Relationship.Status.ACTIVE), TODAY)
    assert [f.kind for f in found] == [Kind.MENTOR_DRIVING, Kind.SILENCE]
    assert {f.target_id for f in found} == {1}


def test_a_paused_relationship_is_checked_for_dependency_only():
    """Paused: no stalling flag (not even silence), but mentor driving still is."""
    found = findings_for_relationship(stalled_and_driven(Relationship.Status.PAUSED), TODAY)
    assert [f.kind for f in found] == [Kind.MENTOR_DRIVING]


def test_a_relationship_with_nothing_wrong_has_no_findings():
    """Met two days ago, the mentee leading, a review due: nothing to flag."""
    r = relationship(
        held_count=6,
        next_review_on=day(-10),
        recent=contacts(2, 9, 16, 23, 30, 37, 44, 51),
        recent_held=days(2, 9, 16, 23, 30, 37),
        recent_held_purposes=[Meeting.Purpose.GOALS] * 6,
        reviews=[review(20, mentor_driving=Driving.SHARED, mentee_driving=Driving.SHARED)],
    )
    assert findings_for_relationship(r, TODAY) == []


def test_a_referral_is_checked_by_both_referral_rules():
    """Awaiting a match for 30 days and never tried: both referral flags."""
    found = findings_for_referral(referral(referred=60, waiting=30), TODAY)
    assert [f.kind for f in found] == [Kind.WAITING_FOR_MATCH, Kind.NO_CONTACT_ATTEMPT]
    assert findings_for_referral(referral(referred=5), TODAY) == []


def test_every_kind_has_one_rule_and_a_severity():
    """Each kind of flag is raised by exactly one rule, stalling, dependency or referral, and
    has a severity; referral kinds only by referral rules."""
    kinds = [*STALLING_RULES, *DEPENDENCY_RULES, *REFERRAL_RULES]
    assert sorted(kinds) == sorted(Kind.values)
    assert set(REFERRAL_RULES) == REFERRAL_KINDS
    assert set(SEVERITY) == set(Kind.values)


def test_severities_put_never_started_and_silence_first():
    """No first meeting, no contact after release and silence are high; flat scores, rising
    contact, falling steps, a driving gap and an outcome not recorded are low; the rest
    medium."""
    high = {Kind.NO_FIRST_MEETING, Kind.NO_CONTACT_AFTER_RELEASE, Kind.SILENCE}
    low = {
        Kind.SCORES_FLAT,
        Kind.CONTACT_RISING,
        Kind.MENTEE_STEPS_FALLING,
        Kind.DRIVING_GAP,
        Kind.PLAN_OUTCOME_NOT_RECORDED,
    }
    for kind in Kind:
        expected = Severity.HIGH if kind in high else Severity.LOW if kind in low else None
        assert SEVERITY[kind] == (expected or Severity.MEDIUM), kind


def test_the_mentor_has_a_prompt_for_every_relationship_flag_and_none_for_referrals():
    """Each relationship kind has a mentor's prompt; the waiting list is not theirs."""
    assert set(MENTOR_PROMPTS) == set(Kind.values) - REFERRAL_KINDS


def test_every_mentor_prompt_stands_alone():
    """A prompt is read on its own, on the mentor's home: it says what it is about, never
    "do it" with nothing before it to say what "it" is, and each sentence is complete."""
    for kind, prompt in MENTOR_PROMPTS.items():
        assert " do it " not in f" {prompt.lower()} ", kind
        assert prompt[0].isupper() and prompt.endswith(("?", ".")), kind
        if "{" in prompt:  # filled from the flag's figures, with words for when they are not
            assert kind in FALLBACK_PROMPTS, kind
    done_for = MENTOR_PROMPTS[Kind.DONE_FOR]
    assert "practical tasks for your mentee" in done_for
    assert "could you do tasks like these together, with your mentee leading?" in done_for


def test_the_facts_speak_the_relationships_apps_values():
    """The values the rules compare with are those the relationships app stores."""
    assert rule_facts.DID_NOT_ATTEND == Meeting.Outcome.DID_NOT_ATTEND
    assert rule_facts.MENTOR == Party.MENTOR
    assert rule_facts.HELP_FOR == Meeting.Purpose.HELP_FOR
    assert rule_facts.MENTOR_LED == Driving.MENTOR_LED
    assert rule_facts.PAUSED == Relationship.Status.PAUSED
    assert rule_facts.ENDING == Relationship.Status.ENDING
    top = max(
        v.limit_value
        for v in GoalScore._meta.get_field("score").validators
        if isinstance(v, MaxValueValidator)
    )
    assert top == rule_facts.TOP_SCORE


def test_paused_days_count_only_the_part_of_each_pause_inside_the_span():
    """Days paused in [start, end): pauses overlapping either edge count in part, a pause
    still running counts to the end, one outside the span not at all."""
    r = relationship(
        pauses=[(day(40), day(25)), (day(12), day(10)), (day(3), None), (day(90), day(80))]
    )
    assert r.paused_days_between(day(30), day(0)) == 5 + 2 + 3
    assert r.paused_days_between(day(11), day(5)) == 1
    assert relationship().paused_days_between(day(30), day(0)) == 0
