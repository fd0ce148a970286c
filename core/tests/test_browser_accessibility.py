"""axe-core over every page each role can open, at phone and desktop width: no violation of
WCAG 2.0, 2.1 or 2.2 at level A or AA.

The pages are the permission matrix's: every GET row that answers a role with 200, with the
matrix's world (so a new URL, which must have a row there, is checked here too). The world
gets goals, a step, a meeting, reviews and an unread notification first, so the chips, the
timeline, the chart and the navigation's badge are on the pages. A role's pages share one
browser context (a batch of them, for a role with many); each page is opened once and
checked at 390 px, then at 1280 px; at 390 px it must also fit without sideways scrolling.

A failure lists each page (path and matrix row), each rule broken there with axe's summary
and help link, and each element (its CSS selector) with the widths it failed at.

axe-core comes inside axe-playwright-python (``axe.min.js``): nothing is fetched at run time.
"""

import datetime
import math
from collections import defaultdict
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from conftest import World
from core.models import Notification
from core.tests.matrix import ROLES, Row
from core.tests.running import DESKTOP, PHONE, log_in
from core.tests.test_permission_matrix import MATRIX
from mentees.models import NeedDomain
from relationships.meetings.plan_services import plan_cancel
from relationships.models import GoalScore, PlannedMeeting
from relationships.tests.factories import (
    GoalFactory,
    MeetingFactory,
    ReviewFactory,
    StepFactory,
)
from relationships.tests.plan_factories import PlannedMeetingFactory
from relationships.tests.plan_kit import soon
from schemes.models import CapacityRequest, ReflectionNote, UnavailablePeriod

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


#: URLs that answer with a file to save, not a page: a browser downloads them.
FILES = {"privacy:access_download", "home:import_example"}


def rows_for(role: str) -> list[Row]:
    """The matrix's GET rows that answer ``role`` with a page (200)."""
    return [
        r for r in MATRIX if r.method == "get" and r.expect[role] == 200 and r.url_name not in FILES
    ]


#: A role's pages are checked in batches of at most this many rows, a test each, so parallel
#: workers share the pages of a role that has many rather than one worker doing them all.
BATCH = 40
BATCHES = [
    pytest.param(role, part, parts, id=f"{role}-{part + 1}of{parts}")
    for role in ROLES
    for parts in [max(1, math.ceil(len(rows_for(role)) / BATCH))]
    for part in range(parts)
]


def pages_for(role: str, part: int, parts: int, world: World) -> dict[str, str]:
    """The pages of one batch of ``role``'s rows, each once, with the state each row
    prepares for its page: path → the row's URL name and label."""
    pages: dict[str, str] = {}
    for r in rows_for(role)[part::parts]:
        if r.prepare:
            r.prepare(world)
        pages.setdefault(reverse(r.url_name, kwargs=r.kwargs(world) or None), r.id)
    return pages


def furnish(world: World) -> None:
    """What makes the pages show more of themselves than the bare world does: goals to tick
    on the meeting form, a meeting on the timeline, a step due, reviews that draw the chart
    and its table (wide enough to scroll on a phone), a notification unread, a planned
    meeting to come and one called off."""
    for relationship in (world.relationship_a, world.relationship_a_other):
        goals = [
            GoalFactory(relationship=relationship, title=f"{domain.label}, sorted", domain=domain)
            for domain in list(NeedDomain)[:5]
        ]
        StepFactory(goal=goals[0])
        MeetingFactory(relationship=relationship, note_shared="Talked about the housing list.")
        PlannedMeetingFactory(relationship=relationship, planned_by=world.coordinator_a)
        plan_cancel(
            plan=PlannedMeetingFactory(relationship=relationship, starts_at=soon(3)),
            by=world.coordinator_a,
            cancelled_by=PlannedMeeting.Status.CANCELLED_BY_MENTEE,
            reason="Job interview",
        )
        for days_ago, score in [(40, 3), (10, 6)]:
            review = ReviewFactory(
                relationship=relationship,
                held_on=timezone.localdate() - datetime.timedelta(days=days_ago),
            )
            GoalScore.objects.bulk_create(
                GoalScore(review=review, goal=goal, domain=goal.domain, score=score)
                for goal in goals
            )
    # The mentor's own profile with everything on it, and a capacity request and a shared
    # reflection waiting on their file for the coordinator.
    mentor_file = world.mentor_file_a
    UnavailablePeriod.objects.create(
        mentor=mentor_file,
        starts_on=timezone.localdate() + datetime.timedelta(days=10),
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        reason="Exam season",
    )
    CapacityRequest.objects.create(mentor=mentor_file, requested=3, reason="Exams are over")
    ReflectionNote.objects.create(mentor=mentor_file, text="Saying no kindly.", shared=True)
    for role, user in world.users().items():
        if user is not None:
            Notification.objects.create(
                recipient=user, subject="A concern was logged", is_urgent=role == "manager"
            )


Finding = tuple[str, str, str]  # (page, rule, target)


def describe(findings: dict[Finding, dict[str, Any]]) -> str:
    """One line per rule broken on a page, then one per element: what to fix, and where."""
    lines = []
    by_rule: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        by_rule[finding[:2]].append(finding)
    for (path, rule_id), group in by_rule.items():
        first = findings[group[0]]
        lines.append(f"{path}  {rule_id} ({first['impact']}): {first['help']}  {first['helpUrl']}")
        for finding in group:
            detail = findings[finding]
            summary = " ".join(detail["summary"].split())
            lines.append(f"    at {', '.join(detail['widths'])}: {finding[2]}  — {summary}")
    return "\n".join(lines)


def axe_check(page: Page, where: str, width: str, findings: dict[Finding, dict[str, Any]]) -> None:
    """Run axe-core on the page as it is now; add what it finds to ``findings``."""
    results = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    for violation in results["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            detail = findings.setdefault(
                (where, violation["id"], target),
                {**violation, "summary": node.get("failureSummary", ""), "widths": []},
            )
            detail["widths"].append(width)


SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize(("role", "part", "parts"), BATCHES)
def test_every_page_a_role_can_open_meets_wcag_aa_and_fits_a_phone(
    browser, browser_server, world, role, part, parts
):
    """Every page a role can open has no axe-core violation of WCAG 2.0/2.1/2.2 A or AA, on
    a 390 px phone and on a 1280 px desktop, and fits the phone without sideways scrolling."""
    furnish(world)
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.add_init_script(script=AXE_SCRIPT)
    user = world.users()[role]
    if user is not None:
        log_in(context, browser_server, user)
    page = context.new_page()
    findings: dict[Finding, dict[str, Any]] = {}
    too_wide, checked = [], []
    for path, row_id in pages_for(role, part, parts, world).items():
        response = page.goto(browser_server.url + path)
        assert response is not None and response.status == 200, f"{role} {path}: not 200"
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue  # not a page (/healthz answers JSON)
        where = f"{path} ({row_id})"
        axe_check(page, where, "390 px", findings)
        if (overflow := page.evaluate(SIDEWAYS)) > 0:
            too_wide.append(f"{where} scrolls sideways by {overflow}px at 390 px")
        page.set_viewport_size(DESKTOP)
        axe_check(page, where, "1280 px", findings)
        page.set_viewport_size(PHONE)
        checked.append(path)
    context.close()
    assert checked, f"no page checked for {role}"
    if findings:  # the report alone, without pytest's rendering of the dict
        pytest.fail(
            f"{len(findings)} WCAG A/AA problems (axe-core) on the pages {role} can open:\n"
            + describe(findings)
        )
    if too_wide:
        pytest.fail("\n".join(too_wide))
