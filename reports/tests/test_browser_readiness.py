"""The report page read at phone and desktop width: the funnel names each stage's base, the
first stage's conversion is blank rather than "n/a", hours below one read 0.08, and the
funnel by readiness and by time to release is there."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE, log_in
from mentees.models import Readiness, Situation
from mentees.tests.factories import ConsentFactory, MenteeFactory, ReferralFactory
from relationships.tests.factories import MeetingFactory, RelationshipFactory
from reports import services
from reports.models import ReportExport

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue16"


def _built_report(world) -> ReportExport:
    """A report over scheme A with one person referred 60 days ago, three of four readiness
    conditions held, release expected in 20 days, matched and met once for five minutes."""
    today = timezone.localdate()
    referred = today - datetime.timedelta(days=60)
    mentee = MenteeFactory(
        scheme=world.scheme_a,
        situation=Situation.IN_CUSTODY,
        establishment="HMP Northgate",
        expected_release_on=referred + datetime.timedelta(days=20),
        knows_what_mentoring_is=Readiness.YES,
        sees_it_as_worthwhile_now=Readiness.YES,
        life_stable_enough=Readiness.PARTLY,
        recognises_lack_of_support=Readiness.YES,
        readiness_assessed_on=referred + datetime.timedelta(days=3),
    )
    ReferralFactory(mentee=mentee, referred_on=referred, status="matched")
    ConsentFactory(mentee=mentee, explained_by=world.coordinator_a, given_on=referred)
    relationship = RelationshipFactory(
        mentee=mentee, mentor=world.mentor_file_a, matched_on=referred + datetime.timedelta(days=5)
    )
    MeetingFactory(relationship=relationship, duration_minutes=5)
    export = services.report_export_request(
        by=world.manager,
        scheme_ids=[world.scheme_a.pk],
        format="csv",
        kind=ReportExport.Kind.FUNDER,
        date_from=today - datetime.timedelta(days=364),
        date_to=today,
    )
    services.report_export_run(export_id=export.pk)
    return export


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_report_page_names_each_base_and_shows_the_readiness_split(
    browser, browser_server, world, size
):
    """Read as a manager would: the funnel's words name the base of each conversion, the
    referred row's conversion cells are empty, the contact time's fewest hours read 0.08,
    and the readiness section has a row for three of the four conditions held."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    export = _built_report(world)
    context = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP, locale="en-GB")
    log_in(context, browser_server, world.manager)
    page = context.new_page()
    page.goto(browser_server.url + reverse("reports:detail", args=[export.pk]))

    funnel = page.get_by_role("table").first
    referred_row = funnel.get_by_role("row").nth(1)
    expect(referred_row.get_by_role("cell").first).to_have_text("Referred")
    expect(referred_row).not_to_contain_text("n/a")
    expect(funnel).to_contain_text("100.0% of the 1 with any contact")
    expect(page.get_by_role("heading", name="Readiness and time to release")).to_be_visible()
    readiness = page.get_by_role("region", name="The funnel by readiness")
    expect(readiness.get_by_role("row", name="3 of the 4 held")).to_contain_text("1")
    release = page.get_by_role("region", name="The funnel by the time from referral")
    expect(release.get_by_role("row", name="Release within 4 weeks")).to_be_visible()
    contact = page.get_by_role("region", name="Time spent with a mentor")
    expect(contact.get_by_role("row", name="Fewest hours")).to_contain_text("0.08")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.screenshot(path=SHOTS / f"d-report-page-{size}.png", full_page=True)
    page.get_by_role("heading", name="The funnel", exact=True).scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"d-funnel-{size}.png")
    contact.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"d-contact-{size}.png")
    page.get_by_role("heading", name="Readiness and time to release").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"d-readiness-{size}.png")
    context.close()
