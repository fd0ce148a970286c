"""The manager's overview: each scheme's figures, progress against its targets in words, sorting
by any column, and a query count that does not grow with the number of schemes."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from concerns.services import concern_acknowledge
from concerns.tests.kit import make_overdue, raised_by_coordinator
from conftest import client_for, query_count
from flags.models import Flag, Kind, Severity
from home.overview import TargetProgress, overview_for, target_progress
from mentees.models import Referral
from mentees.tests.factories import ConsentFactory, MenteeFactory, ReferralFactory
from relationships.models import Meeting, Relationship
from relationships.tests.factories import MeetingFactory, RelationshipFactory
from reports.cohort import cohort
from reports.rows import load_rows
from schemes.models import FunnelStage, Scheme, Target
from schemes.tests.factories import MentorFactory, SchemeFactory

OVERVIEW = reverse("home:overview")


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _period() -> tuple[datetime.date, datetime.date]:
    return days_ago(100), days_ago(-265)


def _targets(scheme: Scheme, number: int = 10) -> None:
    start, end = _period()
    for stage in FunnelStage.values:
        Target.objects.create(
            scheme=scheme, stage=stage, starts_on=start, ends_on=end, number=number
        )


def _waiting(scheme: Scheme, since: int) -> Referral:
    return ReferralFactory(
        mentee__scheme=scheme,
        referred_on=days_ago(since + 5),
        status=Referral.Status.AWAITING_MATCH,
        status_changed_on=days_ago(since),
    )


def _flag(relationship: Relationship) -> Flag:
    return Flag.objects.create(
        kind=Kind.SILENCE,
        relationship=relationship,
        severity=Severity.HIGH,
        scheme_id=relationship.mentee.scheme_id,
        evidence="No meeting held for 20 days.",
        raised_at=timezone.now(),
    )


def _person(scheme, *, referred, consent=None, withdrawn=None, matched=None, met=0, **rel):
    """Someone referred ``referred`` days ago, with consent, a match and meetings held."""
    mentee = MenteeFactory(scheme=scheme)
    *earlier, latest = referred if isinstance(referred, tuple) else (referred,)
    for days in earlier:  # one open referral at a time: an earlier one has stopped
        ReferralFactory(
            mentee=mentee,
            referred_on=days_ago(days),
            status=Referral.Status.WITHDRAWN,
            exit_reason=Referral.ExitReason.BAD_TIMING,
        )
    ReferralFactory(mentee=mentee, referred_on=days_ago(latest))
    if consent is not None:
        withdrawn_on = days_ago(withdrawn) if withdrawn is not None else None
        ConsentFactory(mentee=mentee, given_on=days_ago(consent), withdrawn_on=withdrawn_on)
    modes = rel.pop("modes", None) or [Meeting.Mode.FACE_TO_FACE] * met
    if matched is not None:
        relationship = RelationshipFactory(
            mentee=mentee,
            mentor=MentorFactory(scheme=scheme, active=True),
            matched_on=days_ago(matched),
            **rel,
        )
        for i, mode in enumerate(modes):
            MeetingFactory(
                relationship=relationship,
                mode=mode,
                held_at=timezone.now() - datetime.timedelta(days=i + 1),
            )
        MeetingFactory(relationship=relationship, outcome=Meeting.Outcome.DID_NOT_ATTEND)
    return mentee


def test_each_scheme_shows_its_relationships_flags_and_waits(world):
    """Scheme A's open relationships by health, its live flags, and who waits for a match
    with the longest wait in days; scheme B waits nobody."""
    _flag(world.relationship_a)
    _waiting(world.scheme_a, since=12)
    _waiting(world.scheme_a, since=3)
    rows = {r.scheme: r for r in overview_for(world.manager)}
    a, b = rows[world.scheme_a], rows[world.scheme_b]
    assert a.open_relationships == 2 and a.health["stalling"] == 1
    assert (a.live_flags, a.waiting, a.longest_wait_days) == (1, 2, 12)
    assert (b.open_relationships, b.live_flags, b.waiting, b.longest_wait_days) == (0, 0, 0, None)
    page = client_for(world.manager).get(OVERVIEW).content.decode()
    assert "12 days" in page and "Nobody waiting" in page


def test_each_scheme_shows_its_open_and_late_concerns(world):
    """Open concerns (received or acknowledged) and those nobody acknowledged in the
    scheme's time, per scheme, linked to the concerns list filtered the same way; a closed
    scheme's count and another scheme's stay apart."""
    coordinator, mentee = world.coordinator_a, world.mentee_a
    make_overdue(raised_by_coordinator(coordinator, mentee))
    make_overdue(raised_by_coordinator(coordinator, mentee))
    concern_acknowledge(
        by=coordinator, concern=make_overdue(raised_by_coordinator(coordinator, mentee))
    )  # acknowledged late: open, not waiting
    raised_by_coordinator(coordinator, mentee)  # within its time
    raised_by_coordinator(world.coordinator_b, world.mentee_b)
    rows = {r.scheme: r for r in overview_for(world.manager)}
    a, b = rows[world.scheme_a], rows[world.scheme_b]
    assert (a.open_concerns, a.overdue_concerns) == (4, 2)
    assert (b.open_concerns, b.overdue_concerns) == (1, 0)
    page = client_for(world.manager).get(OVERVIEW + "?sort=-overdue_concerns").content.decode()
    late = reverse("concerns:list") + f"?show=overdue&amp;scheme={world.scheme_a.pk}"
    assert f'href="{late}">2</a>' in page
    assert page.index(world.scheme_a.name) < page.index(world.scheme_b.name)


def test_target_actuals_count_the_funder_reports_cohort(world):
    """Each stage's actual is what the funder report's cohort counts for the target's period:
    people referred in it (once each, by their first referral), of them consented (not
    withdrawn before), matched after the referral, met, face to face, 3 and 5 times, and
    ended as planned."""
    a, b = world.scheme_a, world.scheme_b
    _person(a, referred=50, consent=45, matched=40, met=5)
    _person(
        a,
        referred=60,
        consent=90,
        withdrawn=70,
        matched=30,
        modes=[Meeting.Mode.PHONE] * 3,
    )
    _person(
        a,
        referred=(80, 20),
        consent=85,
        matched=70,
        met=1,
        status=Relationship.Status.CLOSED,
        closed_on=days_ago(10),
        closure_type=Relationship.ClosureType.PLANNED,
        closure_reason=Relationship.ClosureReason.GOALS_ACHIEVED,
    )
    _person(a, referred=200, consent=190, matched=180, met=6)  # before the period
    _person(a, referred=20, matched=50, met=2)  # matched in an earlier episode
    _person(b, referred=5, consent=4)
    _targets(a)
    _targets(b)
    start, end = _period()
    people = cohort(load_rows(scheme_ids=[a.pk, b.pk], date_from=start, date_to=end))
    expected = {
        (scheme_id, stage): int(len(group) if stage == "referred" else group[stage].sum())
        for scheme_id, group in people.groupby("scheme_id")
        for stage in FunnelStage.values
    }
    got = {
        (scheme_id, p.stage): p.actual
        for scheme_id, p in target_progress(Scheme.objects.all(), today=timezone.localdate())
    }
    assert got == expected
    # Four of these people and the world's two referrals in scheme A; mentee_a consented.
    assert got[(a.pk, "referred")] == 6 and got[(a.pk, "consented")] == 3
    assert got[(a.pk, "met_5_plus")] == 1 and got[(a.pk, "face_to_face")] == 2
    assert got[(a.pk, "ended_as_planned")] == 1 and got[(b.pk, "matched")] == 0


def test_progress_is_said_in_words_with_a_status_word():
    """ "42 of 60 (70%)" and "on track" or "behind" against the share due by today, pro rata
    over the period; "met" once reached. Never colour alone."""
    start = datetime.date(2026, 1, 1)
    halfway = datetime.date(2026, 7, 2)
    made = {"stage": "referred", "label": "Referred", "starts_on": start, "today": halfway}
    ahead = TargetProgress(actual=42, number=60, ends_on=datetime.date(2026, 12, 31), **made)
    assert ahead.words == "42 of 60 (70%)" and ahead.status == "on track"
    behind = TargetProgress(actual=20, number=60, ends_on=datetime.date(2026, 12, 31), **made)
    assert behind.words == "20 of 60 (33%)" and behind.status == "behind"
    met = TargetProgress(actual=61, number=60, ends_on=datetime.date(2026, 12, 31), **made)
    assert met.status == "met" and met.percent == 102


def test_the_page_shows_each_targets_words_and_status(world):
    """Actual beside target, in words, for each stage with a target running today; a
    scheme without one says so."""
    _person(world.scheme_a, referred=5, consent=4)
    _targets(world.scheme_a, number=4)
    page = client_for(world.manager).get(OVERVIEW).content.decode()
    # The world's two referrals in scheme A and this one.
    assert re.search(
        r"Referred</th>\s*<td>\d+ \w+ \d{4} to \d+ \w+ \d{4}</td>\s*<td>3 of 4 \(75%\)</td>", page
    )
    assert "on track" in page and "behind" in page
    assert "No target for this period" in page


def test_sorted_by_any_column_on_the_server(world):
    """?sort= orders the rows by a column, - first for descending; a scheme without the
    figure goes last; an unknown column sorts by name."""
    _waiting(world.scheme_b, since=30)
    _waiting(world.scheme_b, since=1)
    _waiting(world.scheme_a, since=9)
    client = client_for(world.manager)

    def order(sort: str) -> list[str]:
        page = client.get(OVERVIEW, {"sort": sort}).content.decode()
        names = [world.scheme_a.name, world.scheme_b.name]
        return sorted(names, key=page.index)

    a, b = world.scheme_a.name, world.scheme_b.name
    assert order("-waiting") == [b, a] and order("waiting") == [a, b]
    assert order("-longest_wait") == [b, a]
    assert order("-open") == [a, b] and order("-scheme") == [b, a]
    assert order("nonsense") == [a, b]
    page = client.get(OVERVIEW, {"sort": "-waiting"}).content.decode()
    assert 'aria-sort="descending"' in page and 'href="?sort=waiting"' in page


def test_a_heading_sorts_a_figure_largest_first_and_a_name_a_to_z(world):
    """The first click on a figure's heading sorts it largest first (the most concerns, the
    longest wait); the next turns it round, and the next back. The scheme's name sorts A to
    Z first. The sorted heading alone carries aria-sort, saying which way."""
    client = client_for(world.manager)

    def page(sort: str = "") -> str:
        return client.get(OVERVIEW, {"sort": sort} if sort else {}).content.decode()

    unsorted = page()  # by name, A to Z
    for key in ("open", "stalling", "concerns", "overdue_concerns", "waiting", "targets"):
        assert f'href="?sort=-{key}"' in unsorted
    assert 'href="?sort=-scheme"' in unsorted and unsorted.count("aria-sort=") == 1
    assert 'aria-sort="ascending"><a href="?sort=-scheme">Scheme' in unsorted
    assert 'href="?sort=waiting"' in page("-waiting")
    ascending = page("waiting")
    assert 'href="?sort=-waiting"' in ascending and 'aria-sort="ascending"' in ascending
    assert 'href="?sort=scheme"' in page("-scheme")


def test_headings_are_short_with_their_full_words_for_a_screen_reader(world):
    """Headings show a short word and keep the rest for a screen reader, the health columns
    sit under one heading, and a phone's "Sort by" offers each column, largest first (and
    the order chosen now, were it the other way round)."""
    page = client_for(world.manager).get(OVERVIEW).content.decode()
    assert 'Waiting<span class="visually-hidden"> for a match</span>' in page
    assert 'Late<span class="visually-hidden"> concerns, not acknowledged in time</span>' in page
    group = 'scope="colgroup" colspan="5" class="text-center overview-group">'
    assert group + "Open relationships by health" in page
    assert '<option value="-waiting">Waiting for a match (most first)</option>' in page
    # Short enough for a phone's select: the late concerns and the wait in their own words.
    assert '<option value="-overdue_concerns">Late concerns (most first)</option>' in page
    assert '<option value="-longest_wait">Longest wait (longest first)</option>' in page
    fewest = client_for(world.manager).get(OVERVIEW, {"sort": "waiting"}).content.decode()
    assert '<option value="waiting" selected>Waiting for a match (fewest first)</option>' in fewest


@pytest.mark.parametrize("schemes", [2, 6])
def test_the_query_count_stays_flat_as_schemes_grow(world, schemes):
    """The same number of queries with two schemes as with six, each with relationships,
    flags, people waiting and targets."""

    def fill(scheme: Scheme) -> None:
        _person(scheme, referred=5, consent=4, matched=3, met=2)
        _flag(RelationshipFactory(mentee__scheme=scheme, mentor=MentorFactory(scheme=scheme)))
        make_overdue(raised_by_coordinator(world.manager, MenteeFactory(scheme=scheme)))
        _waiting(scheme, since=7)
        _targets(scheme)

    client = client_for(world.manager)
    for scheme in (world.scheme_a, world.scheme_b):
        fill(scheme)
    two = query_count(client, OVERVIEW)
    for _ in range(4):
        fill(SchemeFactory())
    assert query_count(client, OVERVIEW) == two


def test_a_manager_lands_on_the_overview_and_finds_it_in_the_menu(world):
    """The manager's home is the overview; the menu links it; the schemes list still works."""
    client = client_for(world.manager)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == OVERVIEW
    assert f'href="{OVERVIEW}">Overview</a>' in response.content.decode()
    assert client.get(reverse("schemes:list")).status_code == 200
    coordinator_home = client_for(world.coordinator_a).get(reverse("home")).content.decode()
    assert OVERVIEW not in coordinator_home


def test_the_grouped_headings_name_real_column_groups(world):
    """Each heading over several columns has a <colgroup> of that span, so its
    scope="colgroup" applies to those columns for a screen reader."""
    body = client_for(world.manager).get(OVERVIEW).content.decode()
    spans = re.findall(r'<th scope="colgroup" colspan="(\d+)"', body)
    assert spans and all(f'<colgroup span="{n}"></colgroup>' in body for n in spans)
