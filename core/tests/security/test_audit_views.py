"""Reading case data is on the audit trail (issue 15, item 5): the views the probe found
unrecorded now write their event, with who, what and which scheme; searches record that
they happened and which filters were used, never the words typed."""

import json

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for
from flags.tests.test_pages import raise_flag
from reports.models import ReportExport


def only_event(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def test_opening_the_mentee_edit_form_is_recorded(world):
    """The edit form shows date of birth and prison number: opening it is a view."""
    url = reverse("mentees:edit", args=[world.mentee_a.pk])
    assert client_for(world.coordinator_a).get(url).status_code == 200
    event = only_event("mentee.edit_form_viewed")
    assert (event.actor, event.scheme) == (world.coordinator_a, world.scheme_a)
    assert (event.target_type, event.target_id) == ("mentees.mentee", str(world.mentee_a.pk))


def test_a_mentee_search_is_recorded_without_the_words_searched_for(world):
    """A search names its filters and how many people it listed; what was typed is not kept.
    Opening the list without a filter is not a search."""
    client = client_for(world.coordinator_a)
    client.get(reverse("mentees:list"))
    assert not AuditEvent.objects.filter(action="mentee.searched").exists()
    words = world.mentee_a.family_name
    client.get(reverse("mentees:list"), {"q": words, "scheme": world.scheme_a.pk, "status": ""})
    event = only_event("mentee.searched")
    assert (event.actor, event.scheme) == (world.coordinator_a, world.scheme_a)
    assert event.detail["filters"] == ["q", "scheme"]
    assert event.detail["results"] >= 1
    assert words not in json.dumps(event.detail) + event.target_id


def test_opening_a_flag_is_recorded(world):
    """A flag's page says why a relationship worries the watcher: reading it is recorded."""
    flag = raise_flag(world.relationship_a)
    assert (
        client_for(world.coordinator_a).get(reverse("flags:detail", args=[flag.pk])).status_code
        == 200
    )
    event = only_event("flag.viewed")
    assert (event.actor, event.scheme) == (world.coordinator_a, world.scheme_a)
    assert (event.target_type, event.target_id) == ("flags.flag", str(flag.pk))


def test_reading_a_report_on_screen_is_recorded_once_it_shows_figures(world):
    """The report's page records a read when it shows the figures, not while it builds."""
    today = timezone.localdate()
    export = ReportExport.objects.create(
        requested_by=world.coordinator_a, scheme_ids=[world.scheme_a.pk], date_from=today,
        date_to=today, status=ReportExport.Status.QUEUED,
    )  # fmt: skip
    client = client_for(world.coordinator_a)
    client.get(reverse("reports:detail", args=[export.pk]))
    assert not AuditEvent.objects.filter(action="report.viewed").exists()
    ReportExport.objects.filter(pk=export.pk).update(
        status=ReportExport.Status.DONE, progress=100, summary={"sections": []}
    )
    assert client.get(reverse("reports:detail", args=[export.pk])).status_code == 200
    event = only_event("report.viewed")
    assert (event.actor, event.target_id) == (world.coordinator_a, str(export.pk))
    assert event.detail["schemes"] == [world.scheme_a.pk]


def test_browsing_the_audit_trail_is_itself_on_the_trail(world):
    """A manager reading the trail leaves an event naming the filters and page; the next
    reader sees it in words."""
    client = client_for(world.manager)
    client.get(reverse("audit:list"), {"target_id": world.mentee_a.reference, "page": "1"})
    event = only_event("audit.viewed")
    assert event.actor == world.manager
    assert event.detail == {"filters": ["target_id"], "page": 1}
    body = client.get(reverse("audit:list")).content.decode()
    assert "Read the audit trail" in body and "Filters: record" in body
