"""The relationship page and the mentor's home read right on a phone: goals in plain words,
dates with their year, the latest meetings first with the rest a link away, and the
confirmation of a save in view when the page comes back."""

import datetime

import pytest
from django.urls import reverse

from conftest import client_for
from mentees.models import NeedDomain
from relationships.models import Party, PrimaryGood
from relationships.tests.factories import GoalFactory, StepFactory
from relationships.tests.meeting_kit import detail_url, form_data, new_url


@pytest.mark.parametrize(
    "proposed_by, words",
    [
        (Party.MENTEE, "proposed by the mentee"),
        (Party.MENTOR, "proposed by the mentor"),
        (Party.TOGETHER, "proposed jointly"),
    ],
)
def test_who_proposed_a_goal_reads_naturally(world, rel, proposed_by, words):
    """Every choice of proposer makes a phrase: "proposed jointly", never "proposed by
    jointly"."""
    GoalFactory(relationship=rel, proposed_by=proposed_by)
    body = client_for(world.mentor_a).get(detail_url(rel)).content.decode()
    assert words in body
    assert "proposed by jointly" not in body


def test_a_goal_names_its_practical_area_and_the_good_it_serves(world, rel):
    """In the Good Lives Model's terms, and in the form's words: the practical area is the
    means, the primary good what it is for. Not "Finance for inner peace" run together."""
    GoalFactory(relationship=rel, domain=NeedDomain.FINANCE, primary_good=PrimaryGood.INNER_PEACE)
    body = client_for(world.mentor_a).get(detail_url(rel)).content.decode()
    assert "Practical area: finance</span>" in body
    assert "Good it serves: inner peace</span>" in body
    assert ">for inner peace<" not in body


def test_step_dates_carry_their_year_on_the_page_and_the_home(world, rel):
    """ "due 11 Apr 2026", not "due 11 Apr": a step can be due, or done, in another year."""
    goal = GoalFactory(relationship=rel)
    StepFactory(goal=goal, description="Open a bank account", due_on=datetime.date(2026, 4, 11))
    StepFactory(
        goal=goal,
        description="Ring the council",
        status="done",
        done_on=datetime.date(2025, 12, 30),
    )
    client = client_for(world.mentor_a)
    page = client.get(detail_url(rel)).content.decode()
    assert "due 11 Apr 2026" in page
    assert "done 30 Dec 2025" in page
    home = client.get(reverse("relationships:my_mentees")).content.decode()
    assert "due 11 Apr 2026" in home


def test_after_logging_a_meeting_the_page_opens_at_the_top_with_the_confirmation(world, rel):
    """No #anchor that would scroll the banner away on a phone: the page opens at the top,
    with "Meeting logged." as a status message a screen reader announces, and the new
    meeting first in the list."""
    client = client_for(world.mentor_a)
    response = client.post(new_url(rel), form_data(note_shared="FIRST-IN-LIST"), follow=True)
    assert response.redirect_chain == [(detail_url(rel), 302)]
    body = response.content.decode()
    banner = body.index('role="status"')
    assert body.index("Meeting logged.") > banner
    assert body.index("Meeting logged.") < body.index("<h1")
    assert body.index("FIRST-IN-LIST") > body.index('id="meetings"')


def test_after_adding_a_step_the_page_opens_at_the_top_too(world, rel):
    """The goal and step forms come back to the page without "#goals" as well."""
    goal = GoalFactory(relationship=rel)
    client = client_for(world.mentor_a)
    url = reverse("relationships:step_add", args=[goal.pk])
    response = client.post(url, {"description": "Ring the bank", "owner": Party.MENTEE})
    assert response["Location"] == detail_url(rel)


def test_the_page_lists_its_sections_first(world, rel):
    """An "On this page" list links to the goals, the meetings (with their number) and the
    reviews with the chart, before any of them, so a phone reaches each in one tap."""
    body = client_for(world.mentor_a).get(detail_url(rel)).content.decode()
    contents = body.index('aria-label="On this page"')
    for anchor in ('href="#goals"', 'href="#meetings"', 'href="#reviews"'):
        assert contents < body.index(anchor) < body.index('id="goals"')
    for section in ('id="goals"', 'id="meetings"', 'id="reviews"'):
        assert section in body


def test_the_mentor_finds_how_to_get_in_touch_from_the_relationship_page(world, rel):
    """After accepting an offer the mentor lands on the relationship page: it links to the
    mentee's page (how to get in touch, what to know to meet safely), which the mentor may
    open; the coordinator's page has its own way there (the breadcrumb) and no such button."""
    mentee_page = reverse("mentees:detail", args=[rel.mentee.pk])
    mentor = client_for(world.mentor_a)
    body = mentor.get(detail_url(rel)).content.decode()
    assert f'href="{mentee_page}" id="about-mentee"' in body
    assert mentor.get(mentee_page).status_code == 200
    staff = client_for(world.coordinator_a).get(detail_url(rel)).content.decode()
    assert 'id="about-mentee"' not in staff
