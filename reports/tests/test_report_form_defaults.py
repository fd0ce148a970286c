"""The report form as a newcomer first meets it: the last four whole quarters and the funder report
chosen for them, honest words about which counts are hidden, and a failed build that says
what happened and links to build the same report again."""

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from reports import services
from reports.models import ReportExport
from reports.quarters import quarter_start

pytestmark = pytest.mark.django_db
NEW = reverse("reports:new")


def _value(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def test_the_form_starts_on_the_last_four_whole_quarters_and_the_funder_report(world):
    """The period is the last four calendar quarters that have ended (so the equality
    breakdown, shown only for whole quarters, is there); a manager's "What" has the funder
    report chosen; the form says the equality breakdown hides small counts."""
    page = client_for(world.manager).get(NEW).content.decode()
    today = timezone.localdate()
    this_quarter = quarter_start(today)
    assert _value(page, "date_from") == this_quarter.replace(year=this_quarter.year - 1).isoformat()
    assert _value(page, "date_to") == (this_quarter - datetime.timedelta(days=1)).isoformat()
    chosen = re.search(r'<input[^>]*name="kind"[^>]*checked[^>]*>', page).group(0)
    assert 'value="funder"' in chosen
    assert "equality breakdown" in page and "hides counts under 5" in page


def test_the_defaults_build_a_report_as_they_stand(world, django_capture_on_commit_callbacks):
    """Sending the form with only a scheme and a format ticked builds the report of the
    last four whole quarters."""
    page = client_for(world.manager).get(NEW).content.decode()
    data = {
        "date_from": _value(page, "date_from"),
        "date_to": _value(page, "date_to"),
        "kind": "funder",
        "format": "json",
        "schemes": [world.scheme_a.pk],
    }
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(world.manager).post(NEW, data)
    assert response.status_code == 302, response.content.decode()
    assert ReportExport.objects.get().date_to == (
        quarter_start(timezone.localdate()) - datetime.timedelta(days=1)
    )


def test_a_failed_build_says_so_honestly_and_links_to_build_it_again(world):
    """A fault while building does not suggest a shorter period (it would fail the same way);
    the page links to the form filled in as the report was asked for."""
    today = timezone.localdate()
    export = services.report_export_request(
        by=world.coordinator_a,
        scheme_ids=[world.scheme_a.pk],
        format="pdf",
        date_from=quarter_start(today),
        date_to=today,
    )
    with mock.patch.object(services, "build_report", side_effect=RuntimeError("a fault")):
        services.report_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ReportExport.Status.FAILED
    assert "shorter period" not in export.message
    assert "fault in Tandem" in export.message

    client = client_for(world.coordinator_a)
    page = client.get(reverse("reports:detail", args=[export.pk])).content.decode()
    link = re.search(r'href="([^"]*)">Build this report again<', page).group(1)
    again = client.get(link.replace("&amp;", "&")).content.decode()
    assert _value(again, "date_from") == quarter_start(today).isoformat()
    assert _value(again, "date_to") == today.isoformat()
    assert re.search(rf'value="{world.scheme_a.pk}"[^>]*checked', again)
    assert re.search(r'value="pdf"[^>]*checked', again)
