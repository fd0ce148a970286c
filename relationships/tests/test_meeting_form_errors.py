"""The meeting form tells a mentor everything that is wrong at once, in their words, and
makes them choose what happened rather than guessing it for them."""

import re

from conftest import client_for
from core.tests.form_checks import problems_with, read_page
from relationships.models import Meeting
from relationships.tests.meeting_kit import form_data, new_url


def test_a_meeting_in_2031_is_refused_with_the_other_errors_on_the_first_submit(world, rel):
    """A date years ahead is reported on the first submit, alongside the missing answers,
    not only once they are fixed; every error is in the summary, linked to its field."""
    client = client_for(world.mentor_a)
    data = form_data(held_at="2031-03-04T10:00", outcome="", purpose="", duration="")
    response = client.post(new_url(rel), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["held_at"] == ["The meeting cannot be in the future"]
    assert errors["outcome"] == ["Select whether you met"]
    assert errors["purpose"] == ["Select what the meeting was for"]
    assert errors["duration"] == ["How long was it? Choose one, or type the minutes"]
    body = response.content.decode()
    assert problems_with(body, has_errors=True) == []
    page = read_page(body)
    assert page.summary_links == ["#id_held_at", "#id_outcome_0", "#id_duration_0", "#id_purpose_0"]
    assert not Meeting.objects.filter(relationship=rel).exists()


def test_a_meeting_before_the_match_is_refused_by_the_form(world, rel):
    """The match date is checked with the rest of the form, so its message comes at once."""
    before = rel.matched_on.replace(year=rel.matched_on.year - 1)
    response = client_for(world.mentor_a).post(
        new_url(rel), form_data(held_at=f"{before.isoformat()}T10:00", mode="")
    )
    errors = response.context["form"].errors
    assert set(errors) == {"held_at", "mode"}
    assert errors["held_at"][0].startswith("The meeting cannot be before the match")


def test_whether_they_met_is_the_mentors_choice(world, rel):
    """Nothing is ticked when the form opens: "Did you meet?" is answered, not assumed."""
    body = client_for(world.mentor_a).get(new_url(rel)).content.decode()
    radios = re.findall(r'<input type="radio" name="outcome"[^>]*>', body)
    assert radios and not any("checked" in radio for radio in radios)


def test_only_optional_answers_are_marked_and_nothing_with_an_asterisk(world, rel):
    """The six answers a mentor must give carry no mark (a length is one of the buttons or
    the minutes typed beside them); the optional ones say "(optional)"."""
    form = client_for(world.mentor_a).get(new_url(rel)).context["form"]
    labels = {name: form[name].label for name in form.fields if not form[name].is_hidden}
    optional = {name for name, label in labels.items() if label.endswith("(optional)")}
    assert optional == {
        "goals",
        "note_shared",
        "note_private",
        "concern",
        "expenses",
    }
    body = client_for(world.mentor_a).get(new_url(rel)).content.decode()
    assert "asteriskField" not in body and "Error:" not in body


def test_other_minutes_typed_wrong_give_one_message(world, rel):
    """ "Other" with 0 or 2000 minutes says once what the minutes must be, not also that
    minutes are missing."""
    client = client_for(world.mentor_a)
    for minutes in ("0", "2000"):
        response = client.post(new_url(rel), form_data(duration="other", duration_other=minutes))
        errors = response.context["form"].errors
        assert errors["duration_other"] == [
            "Type the minutes as a number from 1 to 1440 (a whole day)"
        ]
        assert "duration" not in errors
    response = client.post(new_url(rel), form_data(duration="other", duration_other=""))
    assert response.context["form"].errors["duration_other"] == [
        "Enter how many minutes the meeting lasted"
    ]


def test_a_length_chosen_and_minutes_typed_are_refused_not_guessed(world, rel):
    """Without JavaScript a mentor can choose "30 min" and type 120 too: the form asks which,
    rather than keeping the button and dropping the minutes unsaid."""
    response = client_for(world.mentor_a).post(
        new_url(rel), form_data(duration="30", duration_other="120")
    )
    assert response.context["form"].errors["duration"] == [
        "Choose a length or type the minutes, not both"
    ]
    assert not Meeting.objects.filter(relationship=rel).exists()
