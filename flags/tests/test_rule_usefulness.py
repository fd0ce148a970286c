"""How useful each rule is: what became of its flags over the last 90 days, counted on a known
set of flags, scoped to the reader's schemes; and "not a useful flag", the acknowledgement
those counts rest on."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for
from flags.models import Action, Flag, Kind, Severity
from flags.services import CLOSED_WITH_RELATIONSHIP
from flags.usefulness import RuleCounts, rule_counts, window_start
from relationships.tests.factories import RelationshipFactory

pytestmark = pytest.mark.django_db


def _flag(relationship, kind=Kind.SILENCE, days_ago=1, **kw) -> Flag:
    """A flag raised ``days_ago`` days ago; resolved ones take another relationship each
    (one live flag of a kind per relationship)."""
    return Flag.objects.create(
        kind=kind,
        severity=Severity.HIGH,
        scheme_id=relationship.mentee.scheme_id,
        relationship=relationship,
        evidence="No meeting held for 20 days.",
        raised_at=timezone.now() - datetime.timedelta(days=days_ago),
        **kw,
    )


def _acknowledged(world, action: str) -> dict:
    return {
        "status": Flag.Status.RESOLVED,
        "acknowledged_at": timezone.now(),
        "acknowledged_by": world.coordinator_a,
        "action": action,
        "action_note": "Said why.",
        "resolved_at": timezone.now(),
    }


@pytest.fixture
def known(world):
    """Scheme A's "No recent meeting" flags over the last 90 days: 6 raised (1 still live,
    2 acted on, 1 not useful, 1 cleared by itself, 1 ended with its relationship's closure),
    one raised 91 days ago (not counted), one "Mentor driving" flag; and one in scheme B."""

    def rel():
        return RelationshipFactory(mentee__scheme=world.scheme_a)

    now = timezone.now()
    _flag(world.relationship_a)  # live
    _flag(rel(), **_acknowledged(world, Action.TALKED_WITH_MENTOR))
    _flag(rel(), **_acknowledged(world, Action.SUPERVISION_BOOKED))
    _flag(rel(), **_acknowledged(world, Action.NOT_USEFUL))
    _flag(rel(), status=Flag.Status.RESOLVED, resolved_at=now)  # cleared by the sweep
    _flag(
        rel(),
        status=Flag.Status.RESOLVED,
        resolved_at=now,
        resolved_by=world.coordinator_a,
        resolution_note=CLOSED_WITH_RELATIONSHIP,
    )
    _flag(rel(), days_ago=91, status=Flag.Status.RESOLVED, resolved_at=now)
    _flag(world.relationship_a, kind=Kind.MENTOR_DRIVING)
    _flag(RelationshipFactory(mentee=world.mentee_b))
    return world


def test_the_counts_of_each_rule_over_the_last_90_days(known):
    """Each flag raised in the window counts once as raised and once in the one outcome it
    meets; the flag raised 91 days ago is left out; each scheme is counted apart."""
    counts = rule_counts(Flag.objects.all(), since=window_start())
    assert counts[Kind.SILENCE, known.scheme_a.pk] == RuleCounts(
        raised=6, acted_on=2, no_action=0, not_useful=1, cleared=1, closed=1, still_open=1
    )
    assert counts[Kind.MENTOR_DRIVING, known.scheme_a.pk] == RuleCounts(raised=1, still_open=1)
    assert counts[Kind.SILENCE, known.scheme_b.pk] == RuleCounts(raised=1, still_open=1)
    assert len(counts) == 3


def test_the_counts_are_one_grouped_query(known):
    """However many rules and schemes, the counts cost one query."""
    with CaptureQueriesContext(connection) as ctx:
        rule_counts(Flag.objects.all(), since=window_start())
    assert len(ctx.captured_queries) == 1


def _row(response, kind: str) -> RuleCounts:
    return dict(response.context["rows"])[kind]


def test_the_list_of_rules_counts_the_readers_schemes_only(known):
    """A coordinator sees the counts of their own schemes; a manager every scheme's, or one
    scheme's when they choose it."""
    url = reverse("flags:rules")
    coordinator = client_for(known.coordinator_a).get(url)
    assert _row(coordinator, Kind.SILENCE).raised == 6
    assert _row(coordinator, Kind.DONE_FOR) == RuleCounts()  # every rule is listed
    manager = client_for(known.manager)
    assert _row(manager.get(url), Kind.SILENCE).raised == 7
    assert _row(manager.get(url, {"scheme": known.scheme_b.pk}), Kind.SILENCE).raised == 1
    # Another scheme's id is not a choice for the coordinator: their own counts stand.
    other = client_for(known.coordinator_a).get(url, {"scheme": known.scheme_b.pk})
    assert _row(other, Kind.SILENCE).raised == 6


def test_a_rules_page_says_what_it_means_its_threshold_and_its_counts_per_scheme(known):
    """The rule's page says what raises the flag, each scheme's threshold for it (in the
    short sentence with its unit), and the counts per scheme, with no names and no notes."""
    known.scheme_a.expected_contact_days = 10
    known.scheme_a.save()
    client = client_for(known.manager)
    response = client.get(reverse("flags:rule", args=[Kind.SILENCE]))
    page = response.content.decode()
    assert "more than twice the scheme&#x27;s usual days between contacts" in page
    assert "Raised after 20 days with no meeting (twice the scheme&#x27;s usual 10 days" in page
    assert known.scheme_b.name in page and known.scheme_a.name in page
    by_scheme = {scheme.pk: counts for scheme, _t, counts in response.context["schemes"]}
    assert by_scheme[known.scheme_a.pk].not_useful == 1
    assert response.context["total"].raised == 7
    assert "Said why." not in page
    assert known.mentee_a.given_name not in page


def test_a_rule_with_fixed_thresholds_says_so(known):
    """A rule no scheme setting changes says its thresholds are the same everywhere."""
    page = client_for(known.coordinator_a).get(reverse("flags:rule", args=[Kind.DRIVING_GAP]))
    assert "thresholds are fixed" in page.content.decode()


def test_the_rules_are_reachable_from_the_flag_list_and_the_managers_overview(known):
    """The flag list links to the rules; the manager's overview too (the menu is full: a
    wider menu would wrap at desktop width)."""
    rules = reverse("flags:rules")
    assert rules in client_for(known.coordinator_a).get(reverse("flags:list")).content.decode()
    home = client_for(known.manager).get(reverse("home:overview")).content.decode()
    assert f'href="{rules}">Flag rules' in home


# --- "Not a useful flag" ---------------------------------------------------------------------


def test_not_useful_needs_a_reason(world):
    """Dismissing a flag as not useful without saying why is refused, on the note, in words."""
    flag = _flag(world.relationship_a)
    client = client_for(world.coordinator_a)
    response = client.post(
        reverse("flags:acknowledge", args=[flag.pk]), {"acknowledge-action": Action.NOT_USEFUL}
    )
    assert response.status_code == 200
    assert "Say why the flag is not useful" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN


def test_not_useful_acknowledges_the_flag_and_is_audited_and_counted(world):
    """With a reason, the flag is acknowledged as not useful and resolved by hand (it leaves
    the queue), audited, and counted against its rule as not useful, nothing else."""
    flag = _flag(world.relationship_a)
    client = client_for(world.coordinator_a)
    page = client.get(reverse("flags:detail", args=[flag.pk])).content.decode()
    assert "Not a useful flag (say why)" in page
    response = client.post(
        reverse("flags:acknowledge", args=[flag.pk]),
        {"acknowledge-action": Action.NOT_USEFUL, "acknowledge-note": "They meet weekly by text."},
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.action) == (Flag.Status.RESOLVED, Action.NOT_USEFUL)
    event = AuditEvent.objects.get(action="flag.acknowledged", target_id=str(flag.pk))
    assert event.detail == {"kind": Kind.SILENCE, "action": Action.NOT_USEFUL}
    rules = client.get(reverse("flags:rules"))
    assert _row(rules, Kind.SILENCE) == RuleCounts(raised=1, not_useful=1)
