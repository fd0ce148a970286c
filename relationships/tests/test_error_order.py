"""A field with an error reads in GOV.UK's order: label (or legend), hint, error message, then
the input or the choices, so a screen-reader user hears what is wrong before the box to fix it."""

from django import forms
from django.template import Context, Template

from conftest import client_for
from relationships.tests.meeting_kit import form_data, new_url

CHOICES = [("", "Choose"), ("a", "Alpha"), ("b", "Beta")]


class _Sample(forms.Form):
    name = forms.CharField(label="Name", help_text="As on their ID")
    pick = forms.ChoiceField(label="Pick one", choices=CHOICES, help_text="The one they use")
    way = forms.ChoiceField(
        label="Which way",
        choices=CHOICES[1:],
        widget=forms.RadioSelect,
        help_text="Ask them",
    )


def _rendered(name: str) -> str:
    form = _Sample(data={})
    form.is_valid()
    template = Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}")
    return template.render(Context({"field": form[name]}))


def _in_order(html: str, *marks: str) -> None:
    places = [html.find(mark) for mark in marks]
    assert -1 not in places, (marks, places, html)
    assert places == sorted(places), (marks, places, html)


def test_a_text_field_shows_label_hint_error_then_input():
    """A text box with an error: its label, then its hint, then "Error: …", then the box."""
    html = _rendered("name")
    _in_order(html, "<label", 'id="id_name_helptext"', 'id="id_name_error"', "<input")
    assert "field-error" in html  # the red bar down its left


def test_a_select_shows_label_hint_error_then_the_list():
    """A drop-down list with an error: label, hint, error, then the list."""
    html = _rendered("pick")
    _in_order(html, "<label", 'id="id_pick_helptext"', 'id="id_pick_error"', "<select")
    assert "field-error" in html


def test_a_radio_group_shows_legend_hint_error_then_the_choices():
    """A crispy radio group with an error: legend, hint, the error once, then the radios."""
    html = _rendered("way")
    _in_order(html, "<legend", 'id="id_way_helptext"', 'id="id_way_error"', 'type="radio"')
    assert html.count('id="id_way_error"') == 1
    assert "field-error" in html


def test_the_meeting_forms_chips_show_their_error_before_the_buttons(world, rel):
    """On the meeting form, "Did you meet?" and the length of the meeting show their error
    straight after the question, before the buttons, inside the red-barred group."""
    body = client_for(world.mentor_a).post(new_url(rel), form_data(outcome="", duration="")).content
    html = body.decode()
    outcome = html[html.index('id="group-outcome"') :]
    _in_order(outcome, "<legend", 'id="id_outcome_error"', 'name="outcome"', "</fieldset>")
    duration = html[html.index('id="group-duration"') :]
    _in_order(duration, "<legend", 'id="id_duration_error"', 'name="duration"', "</fieldset>")
    assert 'class="mb-3 is-invalid" id="group-outcome"' in html
