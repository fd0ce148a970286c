"""A coordinator, in a real browser at phone width (390 px), reads history imported from the
worked examples: a person known only by reference, whose consent was recorded before Tandem,
their closed relationship with a mentor who left and has no name, and its meetings whose
purpose is not recorded. Screenshots go to var/screenshots/issue16/history-*.png."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.running import PHONE, log_in
from home.importers import run_import
from mentees.models import Mentee
from relationships.models import Relationship
from schemes.models import Mentor

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue16"
EXAMPLES = Path(settings.BASE_DIR) / "docs" / "examples"


def test_imported_history_reads_as_history_at_phone_width(browser, browser_server, world):
    """Each page names people by their reference where no name was recorded, says consent
    was recorded before Tandem, and shows the relationship closed with its end; nothing
    scrolls sideways at 390 px."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for kind in ("mentors", "mentees", "relationships", "meetings"):
        data = (EXAMPLES / f"{kind}.csv").read_bytes()
        report = run_import(
            kind=kind, by=world.coordinator_a, scheme=world.scheme_a, data=data, dry_run=False
        )
        assert report.ok, (kind, report.problems)
    mentee = Mentee.objects.get(scheme=world.scheme_a, reference="P-2002")
    mentor = Mentor.objects.get(scheme=world.scheme_a, reference="M-102")
    relationship = Relationship.objects.get(mentee=mentee)
    context = browser.new_context(viewport=PHONE)
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()

    def visit(url: str, name: str) -> None:
        page.goto(browser_server.url + url)
        page.screenshot(path=SHOTS / f"history-{name}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    visit(reverse("mentees:detail", args=[mentee.pk]), "mentee")
    expect(page.get_by_role("heading", level=1)).to_have_text("P-2002")
    expect(page.get_by_text("Recorded before Tandem (date not recorded)")).to_be_visible()
    visit(reverse("relationships:detail", args=[relationship.pk]), "relationship")
    expect(page.get_by_role("heading", level=1)).to_contain_text("P-2002")
    expect(page.get_by_role("heading", level=1)).to_contain_text("M-102")
    visit(reverse("mentors:detail", args=[mentor.pk]), "mentor")
    expect(page.get_by_role("heading", level=1)).to_contain_text("M-102")
    visit(reverse("mentees:list") + "?q=P-2002", "mentee-list")
    expect(page.get_by_role("main").get_by_text("P-2002").first).to_be_visible()
