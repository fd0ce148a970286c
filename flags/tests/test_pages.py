"""The flag queue and a flag's page, as coordinators and managers use them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, query_count
from flags.models import Action, Flag, Kind, Severity
from relationships.tests.factories import RelationshipFactory

pytestmark = pytest.mark.django_db


def raise_flag(relationship, kind=Kind.SILENCE, severity=Severity.HIGH, days_ago=0, **kw):
    return Flag.objects.create(
        kind=kind,
        severity=severity,
        scheme_id=relationship.mentee.scheme_id,
        relationship=relationship,
        evidence=kw.pop("evidence", f"Evidence for {kind}."),
        raised_at=timezone.now() - datetime.timedelta(days=days_ago),
        **kw,
    )


def queue(client, **params) -> list[int]:
    response = client.get(reverse("flags:list"), params)
    assert response.status_code == 200
    return [f.pk for f in response.context["page"]]


def test_the_queue_is_sorted_by_severity_then_age(world):
    """The queue lists the most severe flags first and, within a severity, the oldest first."""
    r = world.relationship_a
    low_old = raise_flag(r, Kind.DRIVING_GAP, Severity.LOW, days_ago=20)
    high_new = raise_flag(r, Kind.SILENCE, Severity.HIGH, days_ago=1)
    high_old = raise_flag(r, Kind.NO_FIRST_MEETING, Severity.HIGH, days_ago=5)
    medium = raise_flag(r, Kind.MENTOR_DRIVING, Severity.MEDIUM, days_ago=9)
    assert queue(client_for(world.coordinator_a)) == [
        high_old.pk,
        high_new.pk,
        medium.pk,
        low_old.pk,
    ]


def test_the_queue_is_scoped_and_filtered(world):
    """A coordinator sees only live flags of their schemes, filterable by category and
    status; a manager sees every scheme's."""
    mine = raise_flag(world.relationship_a, Kind.MENTOR_DRIVING, Severity.MEDIUM)
    other_scheme = raise_flag(
        RelationshipFactory(mentee=world.mentee_b, mentor__scheme=world.scheme_b)
    )
    resolved = raise_flag(
        world.relationship_a_other, status=Flag.Status.RESOLVED, resolved_at=timezone.now()
    )
    coordinator = client_for(world.coordinator_a)
    assert queue(coordinator) == [mine.pk]
    assert queue(coordinator, category="stalling") == []
    assert queue(coordinator, category="dependency") == [mine.pk]
    assert queue(coordinator, status="resolved") == [resolved.pk]
    assert set(queue(client_for(world.manager))) == {mine.pk, other_scheme.pk}


def test_one_click_acknowledge_from_the_queue(world):
    """A coordinator acknowledges a flag straight from the queue, comes back to it, and sees
    the action recorded there."""
    flag = raise_flag(world.relationship_a)
    client = client_for(world.coordinator_a)
    page = client.get(reverse("flags:list")).content.decode()
    assert 'value="supervision_booked"' in page and flag.evidence in page
    response = client.post(
        reverse("flags:acknowledge", args=[flag.pk]),
        {"acknowledge-action": Action.SUPERVISION_BOOKED, "next": reverse("flags:list")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("flags:list")
    flag.refresh_from_db()
    assert flag.status == Flag.Status.ACKNOWLEDGED
    assert flag.acknowledged_by == world.coordinator_a
    page = client.get(reverse("flags:list")).content.decode()
    assert "Supervision booked with the mentor" in page


def test_no_action_needed_asks_why_on_the_page(world):
    """'No action needed' without a note is refused on the page, and the flag stays open."""
    flag = raise_flag(world.relationship_a)
    response = client_for(world.coordinator_a).post(
        reverse("flags:acknowledge", args=[flag.pk]),
        {"acknowledge-action": Action.NO_ACTION_NEEDED},
    )
    assert response.status_code == 200
    assert "Say why no action is needed" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN


def test_an_offsite_next_is_ignored(world):
    """After acknowledging, a 'next' address on another site is ignored for the flag's own
    page."""
    flag = raise_flag(world.relationship_a)
    response = client_for(world.coordinator_a).post(
        reverse("flags:acknowledge", args=[flag.pk]),
        {"acknowledge-action": Action.TALKED_WITH_MENTOR, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("flags:detail", args=[flag.pk])


def test_resolving_by_hand_needs_a_reason_and_records_who(world):
    """Resolving by hand is refused without a note; with one, the flag is resolved by that
    coordinator with that note."""
    flag = raise_flag(world.relationship_a)
    client = client_for(world.coordinator_a)
    refused = client.post(reverse("flags:resolve", args=[flag.pk]), {"resolve-note": ""})
    assert refused.status_code == 200 and "Say why the flag is resolved" in refused.content.decode()
    client.post(reverse("flags:resolve", args=[flag.pk]), {"resolve-note": "He is in hospital."})
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by, flag.resolution_note) == (
        Flag.Status.RESOLVED,
        world.coordinator_a,
        "He is in hospital.",
    )


def test_a_manager_reads_but_cannot_act(world):
    """A manager sees the flag and its evidence but no action, and acknowledging is
    forbidden."""
    flag = raise_flag(world.relationship_a)
    client = client_for(world.manager)
    page = client.get(reverse("flags:list")).content.decode()
    assert flag.evidence in page and "Acknowledge…" not in page
    assert (
        client.post(
            reverse("flags:acknowledge", args=[flag.pk]),
            {"acknowledge-action": Action.TALKED_WITH_MENTOR},
        ).status_code
        == 403
    )


def test_the_queue_costs_the_same_queries_however_many_flags(world):
    """The queue page makes the same number of queries for one flag as for sixteen."""
    client = client_for(world.coordinator_a)
    raise_flag(world.relationship_a)
    few = query_count(client, reverse("flags:list"))
    for i in range(15):
        r = RelationshipFactory(mentee__scheme=world.scheme_a, mentor__scheme=world.scheme_a)
        raise_flag(
            r,
            days_ago=i,
            status=Flag.Status.ACKNOWLEDGED if i % 2 else Flag.Status.OPEN,
            acknowledged_by=world.coordinator_a if i % 2 else None,
            acknowledged_at=timezone.now() if i % 2 else None,
        )
    assert query_count(client, reverse("flags:list")) == few


def test_the_mentor_sees_a_prompt_never_the_flag_or_the_coordinators_note(world):
    """The mentor sees a gentle prompt on their pages, never the flag, its evidence or the
    coordinator's note; the coordinator sees the flag and note, not the prompt."""
    flag = raise_flag(
        world.relationship_a,
        Kind.MENTOR_DRIVING,
        evidence="The mentor initiated 8 of the last 8 contacts (100%; flagged at 80%).",
    )
    flag_acknowledge_note = "Mentor seems to be rescuing; raise at supervision."
    Flag.objects.filter(pk=flag.pk).update(
        status=Flag.Status.ACKNOWLEDGED,
        action=Action.SUPERVISION_BOOKED,
        action_note=flag_acknowledge_note,
        acknowledged_by=world.coordinator_a,
        acknowledged_at=timezone.now(),
    )
    mentor = client_for(world.mentor_a)
    prompt = "Could your mentee set up the next meeting or choose the next step?"
    for url in (
        reverse("relationships:my_mentees"),
        reverse("relationships:detail", args=[world.relationship_a.pk]),
    ):
        page = mentor.get(url).content.decode()
        assert prompt in page, url
        assert "initiated 8 of the last 8" not in page and flag_acknowledge_note not in page
        assert "Mentor driving" not in page
    coordinator = (
        client_for(world.coordinator_a)
        .get(reverse("relationships:detail", args=[world.relationship_a.pk]))
        .content.decode()
    )
    assert "initiated 8 of the last 8" in coordinator and flag_acknowledge_note in coordinator
    assert prompt not in coordinator


def test_a_mentor_sees_no_prompt_for_another_mentors_relationship(world):
    """A flag on another mentor's relationship gives this mentor no prompt."""
    raise_flag(world.relationship_a_other, Kind.MENTOR_DRIVING)
    page = client_for(world.mentor_a).get(reverse("relationships:my_mentees")).content.decode()
    assert "Could your mentee set up" not in page


def test_a_resolved_flag_still_shows_what_was_done_about_it(world):
    """Resolving a flag after acknowledging it keeps the action on its page beside the
    resolution: what the coordinator did is part of the record, and the page's title is not
    a link to the page itself."""
    flag = raise_flag(world.relationship_a)
    client = client_for(world.coordinator_a)
    client.post(
        reverse("flags:acknowledge", args=[flag.pk]),
        {"acknowledge-action": Action.TALKED_WITH_MENTOR},
    )
    client.post(reverse("flags:resolve", args=[flag.pk]), {"resolve-note": "Meeting again."})
    detail = reverse("flags:detail", args=[flag.pk])
    page = client.get(detail).content.decode()
    assert "Talked with the mentor" in page and "Meeting again." in page
    assert f'href="{detail}"' not in page
