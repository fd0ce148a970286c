"""What a newcomer's walkthrough of the flag pages found, fixed: an acknowledgement shown
without its form's prompt, "not a useful flag" taking the flag off the queue (and still
counted against its rule), rule counts that add up to what was raised, and each scheme's
thresholds in short sentences with their units."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for
from flags.models import Action, Flag, Kind, Severity
from flags.services import CLOSED_WITH_RELATIONSHIP, flag_acknowledge
from flags.sweep import sweep
from flags.tests.test_sweep import TODAY, build
from flags.threshold_words import SENTENCES, threshold_sentences
from flags.usefulness import THRESHOLD_FIELDS, RuleCounts, rule_counts, window_start
from relationships.tests.factories import RelationshipFactory
from schemes.tests.factories import SchemeFactory

pytestmark = pytest.mark.django_db

NOTE = "They meet weekly by text."


def _flag(world, **kw) -> Flag:
    """A "No recent meeting" flag raised yesterday on a new relationship in scheme A."""
    return Flag.objects.create(
        kind=Kind.SILENCE,
        severity=Severity.HIGH,
        scheme=world.scheme_a,
        relationship=RelationshipFactory(mentee__scheme=world.scheme_a),
        evidence="No meeting held for 20 days.",
        raised_at=timezone.now() - datetime.timedelta(days=1),
        **kw,
    )


# --- 1. The acknowledgement without its prompt ----------------------------------------------


@pytest.mark.parametrize(
    ("action", "shown"),
    [(Action.NO_ACTION_NEEDED, "No action needed"), (Action.NOT_USEFUL, "Not a useful flag")],
)
def test_an_acknowledgement_is_shown_without_the_forms_prompt(world, action, shown):
    """After choosing "… (say why)", the flag page, the queue and the relationship page show
    the action as done ("Not a useful flag — Cat, 1 Dec 2026: …"), never the prompt; the
    form still offers the choice with its prompt."""
    flag = _flag(world)
    client = client_for(world.coordinator_a)
    detail = reverse("flags:detail", args=[flag.pk])
    assert f"{shown} (say why)" in client.get(detail).content.decode()
    response = client.post(
        reverse("flags:acknowledge", args=[flag.pk]),
        {"acknowledge-action": action, "acknowledge-note": NOTE},
    )
    assert response.status_code == 302
    resolved = action == Action.NOT_USEFUL
    pages = [
        client.get(detail).content.decode(),
        client.get(
            reverse("flags:list"), {"status": "resolved" if resolved else "live"}
        ).content.decode(),
    ]
    if not resolved:  # still live: on the relationship's page too
        pages.append(client.get(flag.target_url).content.decode())
    for page in pages:
        assert f"{shown} — Cat" in page
        assert "(say why) —" not in page


# --- 2. "Not a useful flag" takes the flag off the queue ------------------------------------


def test_not_useful_resolves_the_flag_by_hand_audited_and_says_so(world):
    """Dismissed as not useful, with why: the flag is resolved by the coordinator with the
    reason as its note, leaves the queue of live flags, both steps are audited, and the
    message says it will not be raised again for 14 days and is counted."""
    flag = _flag(world)
    client = client_for(world.coordinator_a)
    response = client.post(
        reverse("flags:acknowledge", args=[flag.pk]),
        {"acknowledge-action": Action.NOT_USEFUL, "acknowledge-note": NOTE},
        follow=True,
    )
    assert (
        "Flag dismissed as not useful. It will not be raised again for 14 days; the rule&#x27;s "
        "page counts it." in response.content.decode()
    )
    flag.refresh_from_db()
    assert (flag.status, flag.action, flag.resolved_by) == (
        Flag.Status.RESOLVED,
        Action.NOT_USEFUL,
        world.coordinator_a,
    )
    assert flag.resolution_note == NOTE
    events = AuditEvent.objects.filter(target_id=str(flag.pk)).values_list("action", flat=True)
    assert {"flag.acknowledged", "flag.resolved"} <= set(events)
    queue = client.get(reverse("flags:list")).content.decode()
    assert f'id="flag-{flag.pk}"' not in queue


def test_another_acknowledgement_still_stays_on_the_queue(world):
    """ "No action needed" keeps the flag live, marked, as before."""
    flag = _flag(world)
    response = client_for(world.coordinator_a).post(
        reverse("flags:acknowledge", args=[flag.pk]),
        {"acknowledge-action": Action.NO_ACTION_NEEDED, "acknowledge-note": NOTE},
        follow=True,
    )
    assert "It stays on the queue, marked" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == Flag.Status.ACKNOWLEDGED


def test_a_flag_dismissed_as_not_useful_is_not_raised_again_while_quiet():
    """The sweep keeps a flag dismissed as not useful quiet like any hand resolution: its
    condition still holds, and the next sweep raises no new flag of that kind."""
    from accounts.tests.factories import UserFactory

    [r] = build(1)
    sweep(today=TODAY)
    flag = Flag.objects.get(relationship=r, kind=Kind.DONE_FOR)
    flag_acknowledge(by=UserFactory(), flag=flag, action=Action.NOT_USEFUL, note=NOTE)
    sweep(today=TODAY)
    assert not Flag.objects.filter(
        relationship=r, kind=Kind.DONE_FOR, status__in=Flag.LIVE_STATUSES
    ).exists()


def test_the_queue_offers_not_useful_and_the_form_says_how_it_differs(world):
    """The queue's quick "Acknowledge…" menu offers "Not a useful flag" beside "No action
    needed"; the flag's form says in one line how the two differ."""
    flag = _flag(world)
    client = client_for(world.coordinator_a)
    queue = client.get(reverse("flags:list")).content.decode()
    assert "No action needed (say why)…" in queue and "Not a useful flag (say why)…" in queue
    page = client.get(reverse("flags:detail", args=[flag.pk])).content.decode()
    assert (
        "No action needed: the flag was right, nothing to do now. Not useful: the flag was "
        "wrong or no help; it counts against the rule"
    ) in page


# --- 3. The counts add up -------------------------------------------------------------------


def test_the_counts_add_up_to_raised_on_every_case(world):
    """One flag of each case — open, acknowledged and live, acted on then cleared, no action
    needed, not useful, cleared by itself, ended with its relationship, resolved by hand,
    acknowledged then ended with its relationship — each in exactly one count, so the counts
    sum to raised; and the rules' page shows the column for the closure."""
    now = timezone.now()
    seen = {"acknowledged_at": now, "acknowledged_by": world.coordinator_a, "action_note": "W"}
    ended = {"status": Flag.Status.RESOLVED, "resolved_at": now}
    _flag(world)
    _flag(world, status=Flag.Status.ACKNOWLEDGED, action=Action.CONTACTED_MENTEE, **seen)
    _flag(world, action=Action.TALKED_WITH_MENTOR, **seen, **ended)
    _flag(world, status=Flag.Status.ACKNOWLEDGED, action=Action.NO_ACTION_NEEDED, **seen)
    flag_acknowledge(by=world.coordinator_a, flag=_flag(world), action=Action.NOT_USEFUL, note="W")
    _flag(world, **ended)
    _flag(world, resolved_by=world.coordinator_a, resolution_note=CLOSED_WITH_RELATIONSHIP, **ended)
    _flag(world, resolution_note=CLOSED_WITH_RELATIONSHIP, **ended)  # closed by the system
    _flag(world, resolved_by=world.coordinator_a, resolution_note="Moved away.", **ended)
    _flag(
        world,
        action=Action.SUPERVISION_BOOKED,
        resolved_by=world.coordinator_a,
        resolution_note=CLOSED_WITH_RELATIONSHIP,
        **seen,
        **ended,
    )
    counts = rule_counts(Flag.objects.all(), since=window_start())[Kind.SILENCE, world.scheme_a.pk]
    assert counts == RuleCounts(
        raised=10,
        acted_on=3,
        no_action=1,
        not_useful=1,
        cleared=1,
        closed=2,
        by_hand=1,
        still_open=1,
    )
    assert sum(n for label, n in counts.items() if label != "Raised") == counts.raised
    page = client_for(world.manager).get(reverse("flags:rules")).content.decode()
    assert "Ended with the relationship" in page and "Resolved by hand" in page


# --- 4. Thresholds in words -----------------------------------------------------------------


def test_every_kind_with_a_scheme_threshold_says_it_in_words():
    """Each rule that reads a scheme setting has a sentence for it, and no other does."""
    assert set(SENTENCES) == set(THRESHOLD_FIELDS)


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        (Kind.NO_FIRST_MEETING, "Raised after 14 days from the match with no meeting held"),
        (Kind.NO_CONTACT_AFTER_RELEASE, "Raised after 7 days from the release with no contact"),
        (
            Kind.SILENCE,
            "Raised after 14 days with no meeting (twice the scheme's usual 7 days between "
            "contacts)",
        ),
        (Kind.GAPS_GROWING, "the latest over 7 days (the scheme's usual days between"),
        (Kind.MISSED_MEETINGS, "did not attend 3 or more of the last 5 arranged meetings"),
        (Kind.REVIEW_OVERDUE, "Raised after a review is 14 days overdue"),
        (Kind.WAITING_FOR_MATCH, "Raised after 21 days waiting for a match"),
        (Kind.NO_CONTACT_ATTEMPT, "Raised after 10 days with no contact attempt logged"),
        (Kind.OFFER_NOT_ANSWERED, "not answered by its deadline, 3 days after it was made"),
        (Kind.PLAN_OUTCOME_NOT_RECORDED, "Raised after 3 days with no outcome recorded"),
        (Kind.MENTOR_DRIVING, "the mentor started 80% or more of the last 8 contacts"),
        (Kind.DONE_FOR, "in 50% or more of the last 6 meetings held"),
        (Kind.TOO_LONG, "Raised 4 weeks after the goals were met"),
    ],
)
def test_each_threshold_is_a_short_sentence_with_its_unit(kind, said):
    """On a scheme's default settings, the rule's threshold reads as a sentence with its
    unit, not the setting's help text beside a bare number."""
    scheme = SchemeFactory(cap_meetings=None, cap_weeks=None)
    sentences = threshold_sentences(kind, scheme)
    assert any(said in s for s in sentences), sentences


def test_a_cap_and_a_singular_are_said_as_such():
    """The meeting and week caps are said with their units; one day is "1 day"."""
    scheme = SchemeFactory(cap_meetings=12, cap_weeks=26, flag_review_overdue_days=1)
    assert threshold_sentences(Kind.TOO_LONG, scheme)[1:] == [
        "The scheme's cap: 12 meetings",
        "The scheme's cap: 26 weeks from the match",
    ]
    assert threshold_sentences(Kind.REVIEW_OVERDUE, scheme) == [
        "Raised after a review is 1 day overdue"
    ]
    assert threshold_sentences(Kind.DRIVING_GAP, scheme) == []


def test_the_rules_page_shows_the_threshold_sentence(world):
    """ "No recent meeting" on a scheme expecting a contact every 10 days says it is raised
    after 20 days, twice those 10."""
    world.scheme_a.expected_contact_days = 10
    world.scheme_a.save()
    page = client_for(world.coordinator_a).get(reverse("flags:rule", args=[Kind.SILENCE]))
    assert (
        "Raised after 20 days with no meeting (twice the scheme&#x27;s usual 10 days between "
        "contacts)." in page.content.decode()
    )
