"""The demo data tells the research's story, and a coordinator trying it does not dead-end:
most people referred never meet a mentor, most who meet do so once or twice, waits are days
and weeks, and everyone waiting for a match gets at least one explained suggestion."""

import datetime
import statistics
from collections import defaultdict
from itertools import pairwise

import pytest
from django.utils import timezone

from demo.tests.seeding import seeded_once
from mentees.models import Mentee, Referral
from mentees.selectors import waiting_list
from relationships.matching.ranking import ranking_for
from relationships.matching.text import postcode_district
from relationships.models import Meeting, Relationship
from reports.rows import load_rows
from reports.sections.funnel import funnel_section
from schemes.models import Mentor, Scheme

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


#: The default seed and scale, as `make run` loads them; seeded once for the module.
seeded_module = seeded_once()


@pytest.fixture
def seeded(seeded_module, db) -> None:
    """The demo, for one case (in a savepoint of its own)."""


def test_every_waiting_person_gets_an_explained_suggestion(seeded):
    """Each person waiting for a match has a mentor suggested, and the top suggestion says
    in words why, including how near they live: both live in postcode districts."""
    today = timezone.localdate()
    waiting = list(waiting_list(Referral.objects.all(), today=today))
    assert len(waiting) >= 20
    for referral in waiting:
        ranking = ranking_for(referral.mentee, on=today)
        assert ranking.suggestions, (referral.mentee, [e.reasons for e in ranking.excluded])
        top = ranking.suggestions[0]
        assert top.scoring, referral.mentee
        distance = next(c for c in top.criteria if c.key == "distance")
        assert "Cannot compare" not in distance.sentence
    # Not one mentor for everyone: the suggestions are spread over the pool.
    tops = {ranking_for(r.mentee, on=today).suggestions[0].mentor.pk for r in waiting}
    assert len(tops) >= Scheme.objects.count() * 2


def test_everyone_lives_in_a_postcode_district(seeded):
    """Home areas are postcode districts ("LS6"), as the referral form asks, so matching can
    compare them."""
    areas = [*Mentee.objects.values_list("home_area", flat=True)]
    areas += Mentor.objects.values_list("home_area", flat=True)
    assert areas and all(postcode_district(area) == area for area in areas)


def test_the_funnel_falls_steeply_after_matching(seeded):
    """The funder report's funnel on the demo data: most people referred never meet a mentor;
    most who meet do so once or twice; fewer than half of those matched meet three or more
    times; a smaller tail keeps going and some end as planned."""
    today = timezone.localdate()
    rows = load_rows(
        scheme_ids=list(Scheme.objects.values_list("pk", flat=True)),
        date_from=today - datetime.timedelta(days=4 * 365),
        date_to=today,
    )
    funnel = funnel_section(rows).figures
    referred, matched, met = funnel["referred"], funnel["matched"], funnel["any_contact"]
    assert funnel["referred"] == Referral.objects.count()
    assert matched < referred / 2
    assert met < referred / 3  # most referred never meet a mentor
    assert met < matched * 0.8  # many matched never meet
    assert met - funnel["met_3_plus"] > met / 2  # most who meet do so once or twice
    assert funnel["met_once"] > 0
    assert 0 < funnel["met_3_plus"] < matched / 2
    assert funnel["met_5_plus"] > 0 and funnel["ended_as_planned"] > 0


def test_relationships_meet_weekly_to_fortnightly(seeded):
    """Mentors and mentees meet about once a week or fortnight, never on Christmas Day: held
    meetings are a week or two apart, no relationship has met more than once a week on
    average, and some met three to eight times before they stopped."""
    held = defaultdict(list)
    for relationship, at in Meeting.objects.filter(outcome=Meeting.Outcome.MET).values_list(
        "relationship_id", "held_at"
    ):
        held[relationship].append(at.date())
    gaps = [(b - a).days for days in held.values() for a, b in pairwise(sorted(days))]
    assert 6 <= statistics.median(gaps) <= 15
    assert not any((d.month, d.day) == (12, 25) for days in held.values() for d in days)
    for days in held.values():
        weeks = (max(days) - min(days)).days / 7
        assert len(days) <= weeks + 2, (len(days), weeks)
    assert sum(3 <= len(days) <= 8 for days in held.values()) >= 5


def test_waits_are_days_and_weeks(seeded):
    """Nobody has waited for a match for months on end: people waiting now, and those matched
    in the past, waited under 120 days since they were referred."""
    today = timezone.localdate()
    waits = [
        (today - r.referred_on).days for r in waiting_list(Referral.objects.all(), today=today)
    ]
    assert waits and max(waits) < 120
    referred = dict(Referral.objects.values_list("mentee_id", "referred_on"))
    matched = Relationship.objects.values_list("mentee_id", "matched_on")
    past = [(on - referred[mentee]).days for mentee, on in matched]
    assert past and min(past) >= 0 and max(past) < 120
