"""A mentor's, a coordinator's and a manager's pages on a 390 px phone: every tap target at
least 44 x 44 px, links in running text and count tiles laid out as text, and the
confirmation of a save in view on arrival. Screenshots of the relationship page (with a long
history), My mentees and the scheme page go to test-results/screenshots/.

Which targets count: every visible link, button and summary in <main> and in the bar above
it (the menu button, the "N new" badge, the menu's links when open), and every radio and
checkbox together with its label (the label is what a thumb taps). Exempt, as WCAG 2.5.8
exempts them ("inline: the target is in a sentence"): a link inside a paragraph (<p>) whose
own words, outside its links, number three or more: a link in running text, whose size the
line of text sets. A link in a heading, a list of links, a line of facts ("Mentee · due
11 Apr 2026 · edit") or a list of actions is not in a sentence, and must be 44 x 44."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Notification
from core.tests.running import DESKTOP, PHONE, log_in, wait_until
from flags.models import Flag, Kind, Severity
from mentees.models import NeedDomain
from relationships.models import GoalScore, Party, Relationship
from relationships.tests.factories import GoalFactory, MeetingFactory, ReviewFactory, StepFactory

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
MINIMUM = 44

#: Every target in <main> smaller than MINIMUM x MINIMUM, and the number exempt as inline.
MEASURE = """([minimum, roots]) => {
  const words = (text) => text.trim().split(/\\s+/).filter(Boolean).length;
  const inSentence = (link) => {
    const block = link.parentElement.closest(
      "p, li, dd, dt, td, th, div, h1, h2, h3, h4, h5, h6, label, legend, figcaption, summary"
    );
    if (!block || block.tagName !== "P") return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let own = "";
    while (walker.nextNode()) {
      if (!walker.currentNode.parentElement.closest("a")) own += " " + walker.currentNode.data;
    }
    return words(own) >= 3;
  };
  const clipped = (el) => {
    for (let at = el; at; at = at.parentElement) {
      const style = getComputedStyle(at);
      if (style.clip !== "auto" || style.clipPath !== "none") return true;
    }
    return false;
  };
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    const seen = getComputedStyle(el).visibility !== "hidden" && !clipped(el);
    return seen && box.width > 1 && box.height > 1;
  };
  const union = (elements) => {
    const boxes = elements.map((el) => el.getBoundingClientRect());
    const left = Math.min(...boxes.map((b) => b.left));
    const top = Math.min(...boxes.map((b) => b.top));
    const right = Math.max(...boxes.map((b) => b.right));
    const bottom = Math.max(...boxes.map((b) => b.bottom));
    return {width: right - left, height: bottom - top};
  };
  const small = [];
  let exempt = 0;
  const selector = "a[href], button, summary, input[type=radio], input[type=checkbox]";
  const all = [...document.querySelectorAll(roots)].flatMap((root) => [
    ...root.querySelectorAll(selector),
  ]);
  for (const el of all) {
    let parts = [el];
    if (el.tagName === "INPUT") {
      parts = [...el.labels].filter(shown);
      if (shown(el)) parts.push(el);
    }
    if (!parts.length || (el.tagName !== "INPUT" && !shown(el))) continue;
    if (el.tagName === "A" && inSentence(el)) { exempt++; continue; }
    const box = union(parts);
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      const name = (el.tagName === "INPUT" ? parts[0] : el).innerText.trim().slice(0, 40);
      const size = `${Math.round(box.width)} x ${Math.round(box.height)}`;
      small.push(`${el.tagName.toLowerCase()} "${name}": ${size}`);
    }
  }
  return {small, exempt};
}"""

#: Links that wrap block content (a count tile: "12" over "mentees") whose parts sit side by
#: side on one line ("12mentees") instead of one under another.
RUN_TOGETHER = """() => {
  const found = [];
  const range = document.createRange();
  for (const link of document.querySelectorAll("main a[href]")) {
    if (!link.querySelector("div, p, h2, h3, h4")) continue;
    const boxes = [...link.childNodes].filter((node) => node.textContent.trim()).map((node) => {
      range.selectNode(node);
      return range.getBoundingClientRect();
    });
    if (boxes.some((box, i) => i && box.top < boxes[i - 1].bottom - 1)) {
      found.push(link.textContent.replace(/\\s+/g, " ").trim());
    }
  }
  return found;
}"""

#: A sentence with a link in it, in a list item, a description and a block, beside the same
#: sentence without the link: the blocks whose link makes its line taller than the text's.
RUNNING_TEXT = """() => {
  const sentence = (link) =>
    `Ring ${link ? '<a href="#main">the housing office</a>' : "the housing office"} first.`;
  const box = document.createElement("div");
  box.innerHTML = [["ul", "li"], ["dl", "dd"], ["div", "div"]]
    .map(([outer, inner]) =>
      `<${outer}><${inner}>${sentence(true)}</${inner}><${inner}>${sentence(false)}</${inner}></${outer}>`)
    .join("");
  document.querySelector("main").prepend(box);
  const taller = [...box.children]
    .filter(({children: [linked, plain]}) =>
      Math.abs(linked.getBoundingClientRect().height - plain.getBoundingClientRect().height) > 0.5)
    .map((outer) => outer.firstElementChild.tagName.toLowerCase());
  box.remove();
  return taller;
}"""


@pytest.fixture
def long_history(world) -> Relationship:
    """mentor_a's relationship a year in: two goals with steps to do and done, 56 meetings
    (more than a page of all meetings), two reviews with scores (the chart), a closed goal,
    and an open flag (the coordinator's to acknowledge, the mentor's prompt)."""
    rel = world.relationship_a
    mentee = rel.mentee
    mentee.given_name, mentee.family_name = "Dorian", "Quillfeather"
    mentee.save()
    today = timezone.localdate()
    rel.matched_on = today - datetime.timedelta(days=365)
    rel.next_review_on = today + datetime.timedelta(days=20)
    rel.save()
    housing = GoalFactory(relationship=rel, title="Get my own flat", proposed_by=Party.TOGETHER)
    work = GoalFactory(relationship=rel, title="Start the forklift course", domain=NeedDomain.ETE)
    GoalFactory(relationship=rel, title="Sort out my debts", status="achieved", closed_on=today)
    StepFactory(goal=housing, description="Fill in the housing form together", due_on=today)
    StepFactory(goal=work, description="Ring the college", owner=Party.MENTOR)
    StepFactory(goal=work, description="Buy boots", status="done", done_on=today)
    for days in range(56):
        MeetingFactory(
            relationship=rel,
            held_at=timezone.now() - datetime.timedelta(days=3 + 6 * days),
            note_shared="Met at the library; talked about the housing list.",
        )
    for held_on, scores in [
        (rel.matched_on + datetime.timedelta(days=90), (3, 2)),
        (today, (6, 4)),
    ]:
        review = ReviewFactory(relationship=rel, held_on=held_on)
        for goal, score in zip((housing, work), scores, strict=True):
            GoalScore.objects.create(review=review, goal=goal, domain=goal.domain, score=score)
    Flag.objects.create(
        kind=Kind.DONE_FOR,
        severity=Severity.MEDIUM,
        scheme=rel.mentee.scheme,
        relationship=rel,
        evidence="Practical help was done for the mentee in 4 of the last 6 meetings.",
        raised_at=timezone.now(),
    )
    return rel


def _measure(page, url: str, *, open_menu: bool = False) -> dict:
    """Load ``url``, open every <details> (and the menu), and measure <main> and the bar."""
    page.goto(url)
    page.locator("details").evaluate_all("(all) => all.forEach((d) => (d.open = true))")
    if open_menu:
        page.get_by_role("button", name="Menu").click()
        expect(page.locator("#nav.show")).to_be_visible()
    return page.evaluate(MEASURE, [MINIMUM, "main, nav.navbar"])


def _measure_all(context, base: str, pages: dict[str, str], small: dict, exempt: dict) -> None:
    """Measure each page (the first with its menu open too), noting what is too small."""
    page = context.new_page()
    for index, (name, url) in enumerate(pages.items()):
        for menu in (False, True) if index == 0 else (False,):
            found = _measure(page, base + url, open_menu=menu)
            key = f"{name}, menu open" if menu else name
            exempt[key] = found["exempt"]
            if found["small"]:
                small[key] = found["small"]


def _unread(*users) -> None:
    """An unread notification each, so the bar shows its "N new" badge on a phone."""
    for user in users:
        Notification.objects.create(recipient=user, subject="A new match", url="/")


def test_every_tap_target_on_a_mentors_pages_is_at_least_44_px(
    browser, browser_server, world, long_history
):
    """At 390 px, on My mentees (with the menu open too), the relationship page, the pages of
    all meetings and the meeting, goal and step forms, and on the coordinator's view of the
    relationship page (its pause, close and review buttons, its history), no link, button,
    summary or choice (with its label) in the page or the bar above it (the menu button, the
    "N new" badge) is smaller than 44 x 44 px, except links inside a sentence (the module
    docstring)."""
    rel = long_history
    _unread(world.mentor_a, world.coordinator_a)
    goal = rel.goals.get(title="Get my own flat")
    step = goal.steps.get()
    pages = {
        "My mentees": reverse("relationships:my_mentees"),
        "relationship": reverse("relationships:detail", args=[rel.pk]),
        "all meetings": reverse("relationships:meetings", args=[rel.pk]),
        "all meetings, page 2": reverse("relationships:meetings", args=[rel.pk]) + "?page=2",
        "meeting form": reverse("relationships:meeting_new", args=[rel.pk]),
        "goal form": reverse("relationships:goal_add", args=[rel.pk]),
        "goal edit": reverse("relationships:goal_edit", args=[goal.pk]),
        "goal status": reverse("relationships:goal_status", args=[goal.pk]),
        "step form": reverse("relationships:step_add", args=[goal.pk]),
        "step edit": reverse("relationships:step_edit", args=[step.pk]),
    }
    small: dict[str, list[str]] = {}
    exempt: dict[str, int] = {}
    for user, seen in [
        (world.mentor_a, pages),
        (world.coordinator_a, {"relationship, coordinator": pages["relationship"]}),
    ]:
        context = browser.new_context(viewport=PHONE, locale="en-GB")
        log_in(context, browser_server, user)
        _measure_all(context, browser_server.url, seen, small, exempt)
        context.close()
    print(f"\nLinks exempt as inline in a sentence, by page: {exempt}")
    assert small == {}, "Tap targets under 44 x 44 px at 390 px:\n" + "\n".join(
        f"{name}: {target}" for name, targets in small.items() for target in targets
    )


def test_a_coordinators_and_a_managers_pages_on_a_phone(
    browser, browser_server, world, long_history
):
    """At 390 px, a coordinator's and a manager's key pages (the scheme page, the dashboard,
    the mentee list and a mentee, the flags, the schemes) have no tap target under 44 x 44 px,
    in the page or the bar above it (menu open and closed); a count tile ("3" over
    "mentees") keeps its number and word one under the other, never run together; and a
    link in a sentence in a list item, a description or a block keeps the line's height (no
    44 px line among lines of text). A screenshot of the scheme page."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    scheme = long_history.mentee.scheme
    _unread(world.coordinator_a, world.manager)
    common = {
        "scheme": reverse("schemes:detail", args=[scheme.pk]),
        "dashboard": reverse("home:dashboard"),
        "mentees": reverse("mentees:list"),
        "flags": reverse("flags:list"),
    }
    small: dict[str, list[str]] = {}
    exempt: dict[str, int] = {}
    run_together: dict[str, list[str]] = {}
    for user, extra in [
        (world.coordinator_a, {"mentee": reverse("mentees:detail", args=[long_history.mentee.pk])}),
        (world.manager, {"schemes": reverse("schemes:list"), "overview": reverse("home:overview")}),
    ]:
        role = "coordinator" if user == world.coordinator_a else "manager"
        context = browser.new_context(viewport=PHONE, locale="en-GB")
        log_in(context, browser_server, user)
        pages = {f"{name}, {role}": url for name, url in {**common, **extra}.items()}
        _measure_all(context, browser_server.url, pages, small, exempt)
        page = context.new_page()
        for name, url in pages.items():
            page.goto(browser_server.url + url)
            if found := page.evaluate(RUN_TOGETHER):
                run_together[name] = found
        page.goto(browser_server.url + common["scheme"])
        tiles = page.get_by_role("link", name="3 mentees")
        expect(tiles).to_have_count(1)
        page.screenshot(path=SHOTS / f"phone-4-scheme-{role}-phone.png", full_page=True)
        assert page.evaluate(RUNNING_TEXT) == []
        context.close()
    print(f"\nLinks exempt as inline in a sentence, by page: {exempt}")
    assert run_together == {}
    assert small == {}, "Tap targets under 44 x 44 px at 390 px:\n" + "\n".join(
        f"{name}: {target}" for name, targets in small.items() for target in targets
    )


def test_the_confirmation_is_in_view_after_logging_a_meeting_on_a_phone(
    browser, browser_server, world, long_history
):
    """At 390 x 844, after "Log meeting" with a concern, the page comes back at its top:
    "Meeting logged." and "Your concern has gone to the coordinator." are inside the screen,
    in the box that has the focus (so a screen reader reads both), with close buttons of
    44 x 44 px; the new meeting leads the latest five, with a link to all of them. "✓ Done"
    on a step then lands at the goals, with "Done: …" shown and focused there. Screenshots
    of the page and My mentees at both widths."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    rel = long_history
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, browser_server, world.mentor_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("relationships:meeting_new", args=[rel.pk]))
    page.get_by_text("Yes, we met", exact=True).click()
    page.get_by_text("Face to face", exact=True).click()
    page.get_by_text("45 min", exact=True).click()
    page.get_by_role("group", name="Who got in touch first?").get_by_text("Dorian").click()
    page.get_by_text("Working on goals", exact=True).click()
    page.get_by_label("Notes for your coordinator").fill("Went to the housing office.")
    page.get_by_label("Concern (safeguarding or risk)").fill("Talked of owing money to a dealer.")
    page.get_by_text("Safeguarding the mentee", exact=True).click()
    page.get_by_role("button", name="Log meeting").click()
    said = ["Meeting logged.", "Your concern has gone to the coordinator."]
    for text in said:
        expect(page.locator("main .alert").filter(has_text=text)).to_be_in_viewport(ratio=1)
    assert page.evaluate("window.scrollY") == 0
    focused = page.evaluate("document.activeElement.textContent")
    assert [text for text in said if text in focused] == said
    found = page.evaluate(MEASURE, [MINIMUM, "main .messages, nav.navbar"])
    assert found["small"] == []
    meetings = page.locator("#meetings article")
    expect(meetings).to_have_count(5)
    expect(meetings.first).to_contain_text("Went to the housing office.")
    expect(page.get_by_role("link", name="Show all 57 meetings")).to_be_visible()
    page.screenshot(path=SHOTS / "phone-1-relationship-after-save-phone.png")
    page.screenshot(path=SHOTS / "phone-2-relationship-phone.png", full_page=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"\nRelationship page with 57 meetings at 390 px: {height} px tall.")

    page.get_by_role("button", name="Mark done: Fill in the housing form together").click()
    page.wait_for_url("**#goals")
    # Bootstrap scrolls to a #fragment smoothly: wait until the goals are at the top.
    wait_until(page, "() => Math.abs(document.getElementById('goals').offsetTop - scrollY) < 2")
    done = page.locator("#goals .alert").filter(has_text="Done: Fill in the housing form")
    expect(done).to_be_in_viewport(ratio=1)
    expect(page.get_by_role("heading", name="Goals and steps")).to_be_in_viewport(ratio=1)
    assert "Done: Fill in the housing form" in page.evaluate("document.activeElement.textContent")
    assert page.evaluate("window.scrollY") > 0
    page.screenshot(path=SHOTS / "phone-5-relationship-after-step-done-phone.png")

    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    page.screenshot(path=SHOTS / "phone-3-my-mentees-phone.png", full_page=True)
    context.close()

    desktop = browser.new_context(viewport=DESKTOP, locale="en-GB")
    log_in(desktop, browser_server, world.mentor_a)
    page = desktop.new_page()
    page.goto(browser_server.url + reverse("relationships:detail", args=[rel.pk]))
    page.screenshot(path=SHOTS / "phone-2-relationship-desktop.png", full_page=True)
    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    page.screenshot(path=SHOTS / "phone-3-my-mentees-desktop.png", full_page=True)
    desktop.close()
