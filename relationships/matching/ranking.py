"""Ranked mentor suggestions for a mentee waiting for a match, each reason in plain words.

The research found schemes matched mainly on gender and ethnicity, on weak evidence, and that
it left people unmatched. So here:

- **Hard constraints** exclude a mentor, and every excluded mentor is listed with why, so a
  coordinator sees what would need to change: the mentor pool's own rules
  (``schemes.mentors.selectors.mentor_matchability``: active, DBS valid, not away, a place
  left, cleared for the mentee's prison while they are in custody), the mentee's safety
  restrictions about a mentor's gender, and what the mentee asked for (a mentor of a gender
  they name; a language they need).
- **Soft criteria** rank the rest, each worth points with a sentence: shared free time,
  distance between home areas, language, interests, peer experience (only when the mentee
  wants it) and current load. Gender and ethnicity never add a point.
- Ties break by fewest open matches, then family name, given name and id, so the order is
  the same every time.

The hard constraints live in ``relationships.matching.constraints`` and the reading of free
text in ``relationships.matching.text``; this module ranks. Everything but
``matching_candidates`` works on objects already loaded, so one page costs a fixed number of
queries however large the pool.
"""

import datetime
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from mentees.models import AVAILABILITY_CHOICES, Mentee, SafetyRestriction
from relationships.matching.constraints import hard_reasons, matching_notes
from relationships.matching.text import postcode_area, postcode_district, words_by_key
from relationships.models import MatchOffer
from schemes.mentors.selectors import mentors_for_list
from schemes.models import AvailabilitySlot, Mentor, UnavailablePeriod

# Points per criterion. A coordinator reads them next to each sentence, so keep them round.
POINTS_PER_SHARED_SLOT = 4
MAX_AVAILABILITY = 20
SAME_DISTRICT = 20
SAME_AREA = 10
SPEAKS_LANGUAGE = 10
POINTS_PER_SHARED_INTEREST = 3
MAX_INTERESTS = 15
PEER = 15
LOAD_FREE = 10  # no open matches; minus LOAD_STEP for each one they have
LOAD_STEP = 3

SLOT_LABELS = dict(AVAILABILITY_CHOICES)


def _listed(items: list[str], most: int = 4) -> str:
    shown = ", ".join(items[:most])
    return f"{shown} and {len(items) - most} more" if len(items) > most else shown


# --- Soft criteria ---------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One reason a mentor ranks where they do, with the points it adds (0 if none)."""

    key: str
    label: str
    points: int
    sentence: str


def _availability(mentee: Mentee, mentor: Mentor) -> Criterion:
    label = "Free at the same times"
    theirs = {f"{slot.weekday}:{slot.part}" for slot in mentor.slots.all()}
    if not mentee.availability:
        return Criterion("availability", label, 0, "The mentee's free times are not recorded.")
    if not theirs:
        return Criterion("availability", label, 0, "The mentor's free times are not recorded.")
    shared = [code for code in mentee.availability if code in theirs]
    if not shared:
        return Criterion("availability", label, 0, "No free time in common.")
    points = min(MAX_AVAILABILITY, POINTS_PER_SHARED_SLOT * len(shared))
    names = [SLOT_LABELS[code] for code in shared]
    times = "time" if len(shared) == 1 else "times"
    return Criterion(
        "availability", label, points, f"Both free {len(shared)} {times} a week: {_listed(names)}."
    )


def _distance(mentee: Mentee, mentor: Mentor) -> Criterion:
    label = "Lives nearby"
    travel = f" They can travel up to {mentor.travel_km} km." if mentor.travel_km else ""
    if not mentee.home_area.strip():
        return Criterion("distance", label, 0, "The mentee's home area is not recorded." + travel)
    if not mentor.home_area:
        return Criterion("distance", label, 0, "The mentor's home area is not recorded." + travel)
    theirs = mentor.home_area.upper()
    ours = postcode_district(mentee.home_area)
    if ours is None:
        return Criterion(
            "distance",
            label,
            0,
            f"Cannot compare: the mentee's home area “{mentee.home_area}” is not the first "
            f"half of a postcode, like LS6 (edit their details to add it); the mentor lives "
            f"in {theirs}." + travel,
        )
    if ours == theirs:
        return Criterion("distance", label, SAME_DISTRICT, f"Both live in {ours}." + travel)
    if postcode_area(ours) == postcode_area(theirs):
        area = postcode_area(ours)
        return Criterion(
            "distance",
            label,
            SAME_AREA,
            f"Same postcode area ({area}): the mentee in {ours}, the mentor in {theirs}." + travel,
        )
    return Criterion(
        "distance",
        label,
        0,
        f"Different postcode areas: the mentee in {ours}, the mentor in {theirs}." + travel,
    )


def _language(mentee: Mentee, mentor: Mentor) -> Criterion | None:
    language = mentee.preferred_language.strip()
    if not language:
        return None
    label = "Speaks their language"
    if language.casefold() in words_by_key(mentor.languages):
        return Criterion("language", label, SPEAKS_LANGUAGE, f"Speaks {language}.")
    return Criterion("language", label, 0, f"Does not list {language} among their languages.")


def _interests(mentee: Mentee, mentor: Mentor) -> Criterion | None:
    if not mentee.interests:
        return None
    label = "Shared interests"
    theirs = words_by_key(mentor.interests)
    shared = [word for key, word in words_by_key(mentee.interests).items() if key in theirs]
    if not shared:
        return Criterion("interests", label, 0, "No interests in common.")
    points = min(MAX_INTERESTS, POINTS_PER_SHARED_INTEREST * len(shared))
    return Criterion("interests", label, points, f"Both enjoy {_listed(shared)}.")


def _peer(mentee: Mentee, mentor: Mentor) -> Criterion | None:
    if not mentee.wants_peer_mentor:
        return None
    label = "Lived experience"
    if mentor.kind == Mentor.Kind.PEER:
        return Criterion(
            "peer", label, PEER, "A peer mentor with lived experience, as the mentee asked."
        )
    return Criterion("peer", label, 0, "Not a peer mentor; the mentee would like one.")


def _load(open_matches: int, capacity: int) -> Criterion:
    points = max(0, LOAD_FREE - LOAD_STEP * open_matches)
    if open_matches == 0:
        sentence = f"No mentees at the moment (capacity {capacity})."
    else:
        plural = "mentee" if open_matches == 1 else "mentees"
        sentence = f"Already mentoring {open_matches} {plural} (capacity {capacity})."
    return Criterion("load", "Time to give", points, sentence)


def soft_criteria(*, mentee: Mentee, mentor: Mentor, open_matches: int) -> list[Criterion]:
    """The criteria that rank a mentor, in the order the page shows them. Gender and
    ethnicity are deliberately absent: they never add to a score."""
    found = [
        _availability(mentee, mentor),
        _distance(mentee, mentor),
        _language(mentee, mentor),
        _interests(mentee, mentor),
        _peer(mentee, mentor),
        _load(open_matches, mentor.capacity),
    ]
    return [c for c in found if c is not None]


# --- Ranking ---------------------------------------------------------------------------


@dataclass
class Suggestion:
    mentor: Mentor
    criteria: list[Criterion]
    open_matches: int
    ahead_of_next: str = ""  # why this one ranks above the next, in words

    @property
    def score(self) -> int:
        return sum(c.points for c in self.criteria)

    @property
    def scoring(self) -> list[Criterion]:
        """The criteria that added points: what the score is made of."""
        return [c for c in self.criteria if c.points]

    @property
    def not_scoring(self) -> list[Criterion]:
        return [c for c in self.criteria if not c.points]

    def sort_key(self) -> tuple:
        m = self.mentor
        return (
            -self.score,
            self.open_matches,
            m.family_name.casefold(),
            m.given_name.casefold(),
            m.pk,
        )


@dataclass
class Exclusion:
    mentor: Mentor
    reasons: list[str]
    #: Excluded only because they declined this person: a coordinator may ask them again.
    only_declined: bool = False


@dataclass
class Ranking:
    suggestions: list[Suggestion]
    excluded: list[Exclusion]
    notes: list[str] = field(default_factory=list)  # for the coordinator to check by hand


def _why_ahead(first: Suggestion, second: Suggestion) -> str:
    name = str(second.mentor)
    if first.score != second.score:
        theirs = {c.key: c.points for c in second.criteria}
        diffs = []
        for c in first.criteria:
            d = c.points - theirs.get(c.key, 0)
            if d:
                diffs.append(f"{c.label.lower()} {'+' if d > 0 else '−'}{abs(d)}")
        gap = first.score - second.score
        return f"Ranked above {name} by {gap} point{'s' if gap != 1 else ''}: {', '.join(diffs)}."
    if first.open_matches != second.open_matches:
        return (
            f"Same score as {name}; first because they have fewer open matches "
            f"({first.open_matches} against {second.open_matches})."
        )
    return f"Same score and load as {name}; listed first by name."


def rank(
    *,
    mentee: Mentee,
    mentors: list[Mentor],
    restrictions: list[SafetyRestriction],
    on: datetime.date,
    declined: Mapping[int, str] | None = None,
) -> Ranking:
    """Split ``mentors`` into ranked suggestions and exclusions with reasons. Each mentor
    must carry ``open_matches`` and prefetched vetting, periods and slots
    (``matching_candidates`` does both). ``declined`` (mentor id → why) excludes the mentors
    who said no to this person."""
    suggestions: list[Suggestion] = []
    excluded: list[Exclusion] = []
    for mentor in mentors:
        reasons = hard_reasons(mentee=mentee, mentor=mentor, restrictions=restrictions, on=on)
        only_declined = False
        if declined and mentor.pk in declined:
            only_declined = not reasons
            reasons.append(declined[mentor.pk])
        if reasons:
            excluded.append(Exclusion(mentor, reasons, only_declined))
            continue
        # Annotated by matching_candidates on a plain list; the stubs cannot follow it here.
        open_matches = mentor.open_matches  # type: ignore[attr-defined]
        suggestions.append(
            Suggestion(
                mentor=mentor,
                criteria=soft_criteria(mentee=mentee, mentor=mentor, open_matches=open_matches),
                open_matches=open_matches,
            )
        )
    suggestions.sort(key=Suggestion.sort_key)
    for first, second in itertools.pairwise(suggestions):
        first.ahead_of_next = _why_ahead(first, second)
    excluded.sort(
        key=lambda e: (e.mentor.family_name.casefold(), e.mentor.given_name.casefold(), e.mentor.pk)
    )
    return Ranking(suggestions, excluded, matching_notes(mentee=mentee, restrictions=restrictions))


def matching_candidates(mentee: Mentee) -> QuerySet[Mentor]:
    """The mentee's scheme's mentors who have not left, with everything ``rank`` reads, in a
    fixed number of queries."""
    return (
        mentors_for_list(Mentor.objects.filter(scheme_id=mentee.scheme_id))
        .exclude(status=Mentor.Status.LEFT)
        .prefetch_related(
            "dbs_checks",
            "clearances",
            Prefetch(
                "unavailable_periods", queryset=UnavailablePeriod.objects.order_by("starts_on")
            ),
            Prefetch("slots", queryset=AvailabilitySlot.objects.order_by("weekday", "part")),
        )
    )


def declined_by(mentee: Mentee) -> dict[int, str]:
    """Mentor id → why they are not suggested again: they declined an offer of this person."""
    offers = MatchOffer.objects.filter(mentee=mentee, status=MatchOffer.Status.DECLINED)
    return {
        offer.mentor_id: (
            f"Declined the offer of {mentee.short_name} on "
            f"{date_format(timezone.localtime(offer.answered_at), 'j F Y')}: "
            f"{offer.get_decline_reason_display().lower()}."
        )
        for offer in offers.order_by("answered_at")
        if offer.answered_at is not None
    }


def ranking_for(mentee: Mentee, *, on: datetime.date) -> Ranking:
    """Suggestions for ``mentee`` today: the page's one call. A mentor who declined this
    person is listed among the excluded, with their answer."""
    restrictions = list(mentee.restrictions.filter(ended_on=None))
    return rank(
        mentee=mentee,
        mentors=list(matching_candidates(mentee)),
        restrictions=restrictions,
        on=on,
        declined=declined_by(mentee),
    )
