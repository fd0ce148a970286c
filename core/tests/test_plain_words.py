"""Every form speaks in the user's words (``core.forms``): GOV.UK messages made from the label,
a field's own words kept, "(optional)" on optional fields and no asterisk on required ones,
"Choose…" as every drop-down's empty choice, and no required choice made for the person."""

import importlib
import pkgutil
import re

import pytest
from django import forms
from django.core.validators import RegexValidator
from django.template import Context, Template

import accounts
from core.forms import CHOOSE, FilterForm, Form, PlainWords, up_to_today
from core.templatetags.form_errors import Problem, problems
from core.tests.form_checks import DJANGO_WORDS
from core.tests.project import PROJECT_APPS as APPS
from relationships.plans.forms import GoalForm

FILTERS = [
    "mentees.forms.MenteeFilter",
    "flags.filters.FlagFilter",
    "relationships.filters.RelationshipFilter",
    "schemes.mentors.filters.MentorFilter",
    "concerns.forms.ConcernFilter",
]


class Sample(Form):
    name = forms.CharField(label="Full name", max_length=5)
    when = forms.DateField(label="Date of birth")
    closed = forms.DateField(label="Closed on")
    count = forms.IntegerField(label="Mentees", min_value=1)
    score = forms.IntegerField(label="Score (1-10)", min_value=1, max_value=10)
    share = forms.IntegerField(label="Done for them (% of meetings)", min_value=0)
    kind = forms.ChoiceField(label="Kind of mentor", choices=[("a", "A"), ("b", "B")])
    met = forms.ChoiceField(
        label="Did you meet?", choices=[("y", "Yes"), ("n", "No")], widget=forms.RadioSelect
    )
    email = forms.EmailField(label="Email", required=False)
    note = forms.CharField(
        label="Note", required=False, error_messages={"max_length": "Keep it short."}
    )
    agree = forms.BooleanField(label="I agree", required=False)
    reason = forms.CharField(label="Reason", error_messages={"required": "Say why."})


def _errors(data: dict[str, str]) -> dict[str, list[str]]:
    form = Sample(data)
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def test_empty_fields_are_asked_for_in_the_words_of_their_label():
    """An empty form asks for each answer as GOV.UK would, from the field's label."""
    assert _errors({}) == {
        "name": ["Enter full name"],
        "when": ["Enter date of birth"],
        "closed": ["Enter a date for “Closed on”"],
        "count": ["Enter mentees"],
        "score": ["Enter a number for “Score (1-10)”"],
        "share": ["Enter a number for “Done for them (% of meetings)”"],
        "kind": ["Select kind of mentor"],
        "met": ["Answer “Did you meet?”"],
        "reason": ["Say why."],
    }


def test_bad_values_are_explained_in_the_words_of_their_label():
    """Wrong values say what is wrong and what would be right; numbers keep their limits and
    a "%" in a label survives the formatting."""
    errors = _errors(
        {
            "name": "Someone long",
            "when": "31/02/2026",
            "closed": "soon",
            "count": "0",
            "score": "11",
            "share": "-1",
            "kind": "c",
            "met": "maybe",
            "email": "nobody",
            "note": "x" * 301,
            "reason": "ok",
        }
    )
    assert errors == {
        "name": ["Full name must be 5 characters or fewer"],
        "when": ["Date of birth must be a real date"],
        "closed": ["“Closed on” must be a real date"],
        "count": ["Mentees must be 1 or more"],
        "score": ["“Score (1-10)” must be between 1 and 10"],
        "share": ["“Done for them (% of meetings)” must be 0 or more"],
        "kind": ["Choose one of the options given for “Kind of mentor”"],
        "met": ["Choose one of the options given for “Did you meet?”"],
        "email": ["Enter an email address in the correct format, like name@example.org"],
    }


def test_a_fields_own_words_are_kept():
    """Words a form gives a field itself are never replaced by the generic ones."""
    form = Sample({"reason": ""})
    assert form["reason"].field.error_messages["required"] == "Say why."
    assert form["note"].field.error_messages["max_length"] == "Keep it short."


class Dated(Form):
    held_on = forms.DateField(label="Held on", validators=[up_to_today()])
    issued = forms.DateField(
        label="Issued", validators=[up_to_today("The issue date cannot be in the future")]
    )
    number = forms.CharField(
        label="Prison number",
        validators=[RegexValidator(r"^[A-Z]\d{4}[A-Z]{2}$", "Enter a prison number like A1234BC")],
    )
    goal = forms.CharField(label="The goal, in the mentee's words", max_length=5)
    unnamed = forms.CharField(label="", max_length=5)


def test_a_date_still_to_come_is_refused_naming_its_field():
    """A date after today is refused in the words of the field it is in, unless the form
    gave the check words of its own."""
    form = Dated({"held_on": "2099-01-01", "issued": "2099-01-01"})
    form.is_valid()
    assert form.errors["held_on"] == ["“Held on” must be today or in the past"]
    assert form.errors["issued"] == ["The issue date cannot be in the future"]


def test_a_validators_own_words_are_kept_and_a_comma_is_quoted():
    """A check that says what a value should look like keeps its words (not "it is not in a
    form Tandem can read"); a label with a comma in it is quoted inside a sentence; a field
    without a label still gets messages."""
    form = Dated({"number": "12345", "goal": "A long goal", "unnamed": "too long"})
    form.is_valid()
    assert form.errors["number"] == ["Enter a prison number like A1234BC"]
    assert form.errors["goal"] == [
        "“The goal, in the mentee's words” must be 5 characters or fewer"
    ]
    assert form.errors["unnamed"] == ["Unnamed must be 5 characters or fewer"]


def test_optional_fields_say_so_and_required_ones_do_not():
    """Optional fields are marked "(optional)" once; required ones carry no mark; a single
    tick box is not marked; a list's filters, all optional, are not marked either."""
    form = Sample()
    labels = {name: form[name].label for name in form.fields}
    assert labels["email"] == "Email (optional)"
    assert labels["note"] == "Note (optional)"
    assert labels["name"] == "Full name"
    assert labels["agree"] == "I agree"
    assert Sample()["email"].label == "Email (optional)", "marked once however often made"

    class Filters(FilterForm):
        q = forms.CharField(label="Name", required=False)
        size = forms.ChoiceField(choices=[("", "---------"), ("s", "Small")], required=False)

    assert Filters()["q"].label == "Name"
    assert '<option value="" selected>Any</option>' in str(Filters()["size"])


def test_no_required_dropdown_is_preselected_and_every_empty_choice_says_choose():
    """The goal form's required drop-downs start at "Choose…", so the person must choose;
    Django's "---------" reads "Choose…" too."""
    html = str(GoalForm()["domain"]) + str(GoalForm()["primary_good"])
    assert html.count(f'<option value="" selected>{CHOOSE}</option>') == 2

    class Blank(Form):
        scheme = forms.ModelChoiceField(queryset=accounts.models.User.objects.none())
        size = forms.ChoiceField(choices=[("", "---------"), ("s", "Small")], required=False)

    form = Blank()
    assert "---------" not in str(form["scheme"]) + str(form["size"])
    assert CHOOSE in str(form["scheme"]) and CHOOSE in str(form["size"])


def _project_forms() -> set[type[forms.BaseForm]]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".tests" not in module.name and ".migrations" not in module.name:
                importlib.import_module(module.name)
    found: set[type[forms.BaseForm]] = set()
    todo: list[type] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in APPS and ".tests" not in cls.__module__:
            found.add(cls)
    return found


def test_every_form_in_the_app_speaks_in_the_users_words():
    """Every form class Tandem defines (the login and password forms, and the rows of a
    spreadsheet import) is made with ``PlainWords``, so none shows Django's default messages."""
    found = _project_forms()
    assert len(found) > 30
    plain = {cls for cls in found if issubclass(cls, PlainWords)}
    assert found - plain == set()


def test_every_date_says_which_date_it_is():
    """No date is labelled only "Date" or "On": its messages would read "Enter date" or
    "“On” must be a real date", without saying which date is wanted."""
    vague = {
        f"{cls.__name__}.{name}"
        for cls in _project_forms()
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.DateField)
        and str(field.label or name).removesuffix(" (optional)").lower() in {"date", "on", "when"}
    }
    assert vague == set()


@pytest.mark.parametrize("filters", FILTERS)
def test_every_list_filter_is_a_filter_form(filters):
    """The lists' filters use the same words, without "(optional)" on every field."""
    module, name = filters.rsplit(".", 1)
    assert issubclass(getattr(importlib.import_module(module), name)._meta.form, FilterForm)


def test_the_summary_links_each_error_to_its_input():
    """A text field's error links to the field; a radio group's to its first radio; the
    form's own errors and a hidden field's are listed without a link."""

    class Linked(Form):
        token = forms.CharField(widget=forms.HiddenInput)
        met = forms.ChoiceField(choices=[("y", "Yes")], widget=forms.RadioSelect)
        name = forms.CharField()

        def clean(self):
            raise forms.ValidationError("Something about the whole form.")

    form = Linked({})
    form.is_valid()
    assert problems(form) == [
        Problem("Something about the whole form."),
        Problem("This form has expired: open it again"),
        Problem("Select met", "id_met_0"),
        Problem("Enter name", "id_name"),
    ]


def test_a_crispy_field_ties_its_hint_and_error_to_the_input():
    """A field drawn by crispy has no asterisk; its input names the hint and the error in
    aria-describedby, is marked invalid, and the error starts with a hidden "Error:"."""

    class Hinted(Form):
        name = forms.CharField(label="Full name", help_text="As on their ID.")

    form = Hinted({"name": ""})
    form.is_valid()
    html = Template("{% load crispy_forms_tags %}{{ form.name|as_crispy_field }}").render(
        Context({"form": form})
    )
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_name_error"' in html and 'id="id_name_helptext"' in html
    assert '<span class="visually-hidden">Error:</span> Enter full name' in html
    assert "*" not in html and not any(words in html for words in DJANGO_WORDS)


def test_every_kind_of_field_shows_its_errors_the_same_way():
    """A text field, a prepended one, radios and ticks drawn by crispy, and a group drawn by
    hand, all show their errors alike: shown under the field, each after a hidden "Error:",
    in the element their aria-describedby names."""
    from crispy_forms.bootstrap import PrependedText

    class Mixed(Form):
        name = forms.CharField(label="Full name")
        cost = forms.DecimalField(label="Cost")
        met = forms.ChoiceField(choices=[("y", "Yes")], widget=forms.RadioSelect)
        days = forms.MultipleChoiceField(
            choices=[("mon", "Monday")], widget=forms.CheckboxSelectMultiple
        )

    form = Mixed({})
    form.is_valid()

    def crispy(source: str) -> str:
        return Template("{% load crispy_forms_tags %}" + source).render(Context({"form": form}))

    drawn = {
        "name": crispy("{{ form.name|as_crispy_field }}"),
        "cost": PrependedText("cost", "£").render(form, Context({"form": form})),
        "met": crispy("{{ form.met|as_crispy_field }}"),
        "days": crispy('{% include "_field_errors.html" with field=form.days %}'),
    }
    shapes = set()
    for name, html in drawn.items():
        error = re.search(rf'<div id="id_{name}_error" class="([^"]*)">(.*?)</div>', html, re.S)
        assert error, f"{name}: no error under it in {html}"
        assert "d-block" in error.group(1).split()
        shape = error.group(0).replace(form.errors[name][0], "MESSAGE").replace(name, "NAME")
        shapes.add(re.sub(r"\s+", " ", shape))
    assert len(shapes) == 1, shapes


def test_finding_a_pages_forms_does_not_set_a_csrf_cookie(client, db):
    """Looking for a page's forms leaves lazy values alone: a page without a form (here, "reset
    link sent") sets no CSRF cookie because of it."""
    from django.urls import reverse

    response = client.get(reverse("password_reset_done"))
    assert response.status_code == 200
    assert "csrftoken" not in response.cookies
