import copy
from collections.abc import Iterable
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from core.forms import CHOOSE, FilterForm, Form, model_field, up_to_today
from core.postcodes import clean_home_area
from mentees.models import (
    AVAILABILITY_CHOICES,
    DAY_PARTS,
    WEEKDAYS,
    ContactAttempt,
    Mentee,
    NeedDomain,
    Readiness,
    Referral,
    RestrictionKind,
    Situation,
)
from mentees.selectors import mentees_matching, with_latest_referral_status
from mentees.services import MenteeDetails
from mentees.transitions import EXIT_REASONS, EXITS, SET_BY_RELATIONSHIP, TRANSITIONS
from schemes.mentors.forms import WordListField
from schemes.models import Scheme

DATE = forms.DateInput(attrs={"type": "date"})


def _today() -> str:
    return timezone.localdate().isoformat()


NAME_FIELDS = ("given_name", "family_name")
NO_NAME_HELP = "The record came without this name (imported by reference): add it if you know it."


def missing_names(person: object) -> list[str]:
    """The name fields a record holds blank (``names_optional`` for its edit form)."""
    return [name for name in NAME_FIELDS if not getattr(person, name)]


class PersonForm(Form):
    """Who the person is, how to reach them, and where they are now. The names are
    ``mentee_update``'s arguments; the service checks the record as a whole."""

    unmarked = frozenset({"establishment"})  # needed in custody: said in its label

    given_name = model_field(Mentee, "given_name")
    family_name = model_field(Mentee, "family_name")
    date_of_birth = model_field(Mentee, "date_of_birth", widget=DATE)
    external_reference = model_field(Mentee, "external_reference", label="Prison or case number")
    phone = model_field(Mentee, "phone")
    email = model_field(Mentee, "email")
    situation = model_field(Mentee, "situation")
    establishment = model_field(Mentee, "establishment", label="Prison (if in custody)")
    expected_release_on = model_field(Mentee, "expected_release_on", widget=DATE)
    released_on = model_field(Mentee, "released_on", widget=DATE, label="Released from custody on")
    next_court_date = model_field(Mentee, "next_court_date", widget=DATE)
    home_area = model_field(Mentee, "home_area")

    def __init__(self, *args: Any, names_optional: Iterable[str] = (), **kwargs: Any) -> None:
        """The names are asked for; ``names_optional`` are those a record being edited has
        never held (imported by reference only), which may stay blank."""
        super().__init__(*args, **kwargs)
        for name in NAME_FIELDS:
            self.fields[name].required = name not in names_optional
            if name in names_optional:
                self.fields[name].help_text = NO_NAME_HELP

    def clean_home_area(self) -> str:
        value: str = self.cleaned_data["home_area"]
        if "home_area" not in self.changed_data:
            return value  # an area kept from before the rule ("Leeds") never blocks other edits
        return clean_home_area(value)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns, and never None
        situation = data.get("situation")
        if situation == Situation.IN_CUSTODY and not data.get("establishment"):
            self.add_error("establishment", "Say which prison the person is in")
        if situation != Situation.IN_CUSTODY:
            if data.get("expected_release_on"):
                self.add_error(
                    "expected_release_on", "A release date applies only to someone in custody"
                )
            data["establishment"] = ""  # a prison only means something while in custody
        if situation != Situation.ON_BAIL and data.get("next_court_date"):
            self.add_error("next_court_date", "A court date applies only to someone on bail")
        released = data.get("released_on")
        if released and released > timezone.localdate():
            self.add_error(
                "released_on",
                "A release still to come is the expected release date, while in custody",
            )
        dob = data.get("date_of_birth")
        if dob and dob > timezone.localdate():
            self.add_error("date_of_birth", "The date of birth cannot be in the future")
        return data


class ReferralDetailsForm(Form):
    source = forms.ChoiceField(
        choices=[("", CHOOSE), *Referral.Source.choices],
        error_messages={"required": "Select where the referral came from"},
    )
    referrer_name = forms.CharField(max_length=120, required=False, label="Referrer's name")
    referrer_organisation = forms.CharField(max_length=120, required=False, label="Organisation")
    referred_on = forms.DateField(
        widget=DATE,
        initial=_today,
        label="Date of referral",
        validators=[up_to_today("The referral date cannot be in the future")],
    )
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why they were referred"},
        help_text="Why they were referred, as the referrer put it.",
    )


class NewReferralForm(PersonForm):
    """A referral of someone new: the person and the referral on one page."""

    scheme = forms.ModelChoiceField(queryset=Scheme.objects.none(), empty_label="Choose…")
    field_order = ["scheme"]

    def __init__(self, *args: Any, schemes: QuerySet[Scheme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["scheme"]).queryset = schemes
        if schemes.count() == 1:
            self.fields["scheme"].initial = schemes.get()
        # The referral page does not ask when someone was released (a date for their record
        # later): a field not shown must not refuse the form.
        del self.fields["released_on"]
        for name, field in ReferralDetailsForm.base_fields.items():
            self.fields[name] = copy.deepcopy(field)  # this form's own, as Form gives its own

    def person(self) -> MenteeDetails:
        return cast(
            MenteeDetails,
            {
                name: self.cleaned_data[name]
                for name in PersonForm.base_fields
                if name in self.fields
            },
        )

    def referral(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ReferralDetailsForm.base_fields}


class ReferralMoveForm(Form):
    to_status = forms.ChoiceField(
        label="Move to", error_messages={"required": "Select the step to move the referral to"}
    )
    unmarked = frozenset({"exit_reason"})  # needed when the referral stops: said in its label

    on = forms.DateField(
        widget=DATE, initial=_today, label="Date of the move", validators=[up_to_today()]
    )
    exit_reason = forms.ChoiceField(
        choices=[("", CHOOSE), *Referral.ExitReason.choices],
        required=False,
        label="Reason (if the referral stops here)",
        help_text="Needed when the referral stops here (declined, withdrawn, not suitable, "
        "lost contact).",
    )
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Referral.Status.choices)
        allowed = TRANSITIONS.get(referral.status, set()) - SET_BY_RELATIONSHIP
        order = list(Referral.Status.values)
        cast(forms.ChoiceField, self.fields["to_status"]).choices = [("", "Choose…")] + [
            (s, labels[s]) for s in sorted(allowed, key=order.index)
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns, and never None
        status, reason = data.get("to_status"), data.get("exit_reason")
        if status in EXITS and not reason:
            self.add_error("exit_reason", "Say why the referral stops here")
        elif status in EXITS and reason not in EXIT_REASONS[status]:
            allowed = ", ".join(Referral.ExitReason(r).label.lower() for r in EXIT_REASONS[status])
            self.add_error("exit_reason", f"For this step the reason is one of: {allowed}")
        return data


class ConsentForm(Form):
    given_on = forms.DateField(
        widget=DATE, initial=_today, label="Date consent was given", validators=[up_to_today()]
    )
    information_sheet_version = forms.CharField(
        max_length=20, label="Information sheet version", help_text="As printed on the sheet."
    )
    confirmed_voluntary = forms.BooleanField(
        required=True,
        label="They confirmed that mentoring is voluntary and separate from any probation "
        "supervision, licence or bail condition, and that saying no changes nothing about "
        "their sentence or case.",
        error_messages={
            "required": "Confirm they know mentoring is voluntary and separate from their sentence"
        },
    )
    confirmed_recording = forms.BooleanField(
        required=True,
        label="They confirmed they know what their mentor records and who sees it: notes "
        "shared with the coordinator, concerns about safety always passed on",
        error_messages={"required": "Confirm they know what their mentor records and who sees it"},
    )


class ConsentWithdrawForm(Form):
    withdrawn_on = forms.DateField(
        widget=DATE, initial=_today, label="Date of withdrawal", validators=[up_to_today()]
    )


class ReadinessForm(Form):
    QUESTIONS = {
        "knows_what_mentoring_is": "Do they know what mentoring is?",
        "sees_it_as_worthwhile_now": "Do they see it as worthwhile now?",
        "life_stable_enough": "Is their life stable enough to keep it going?",
        "recognises_lack_of_support": "Do they recognise that they lack support?",
    }
    assessed_on = forms.DateField(
        widget=DATE, initial=_today, label="Date assessed", validators=[up_to_today()]
    )

    def __init__(self, *args: Any, mentee: Mentee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, question in self.QUESTIONS.items():
            self.fields[name] = forms.ChoiceField(
                choices=Readiness.choices,
                widget=forms.RadioSelect,
                label=question,
                initial=getattr(mentee, name),
            )


class NeedsForm(Form):
    """Needs, strengths and the preferences matching weighs: ``needs_record``'s arguments."""

    needs = forms.MultipleChoiceField(
        choices=NeedDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Practical needs",
    )
    strengths = model_field(
        Mentee,
        "strengths",
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Strengths, in their own words",
    )
    interests = WordListField(
        required=False, help_text="Separate with commas, for example: football, cooking."
    )
    availability = forms.MultipleChoiceField(
        choices=AVAILABILITY_CHOICES,
        required=False,
        label="Usually free",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check", "autocomplete": "off"}),
    )
    preferred_language = model_field(Mentee, "preferred_language")
    needs_preferred_language = model_field(Mentee, "needs_preferred_language")
    wants_peer_mentor = model_field(Mentee, "wants_peer_mentor")
    preferred_mentor_gender = model_field(
        Mentee,
        "preferred_mentor_gender",
        label="A mentor of this gender, if they ask for one",
        help_text="Only if the person asks, e.g. “a woman”. Matching then suggests only "
        "mentors who describe themselves that way.",
    )

    def week(self) -> list[tuple[str, list[tuple[forms.boundfield.BoundWidget, str]]]]:
        """The availability boxes grouped by day, for a grid that fits a phone."""
        boxes = list(self["availability"])
        parts = [label for _, label in DAY_PARTS]
        return [
            (day, list(zip(boxes[i * len(parts) : (i + 1) * len(parts)], parts, strict=True)))
            for i, day in enumerate(WEEKDAYS)
        ]


class RestrictionForm(Form):
    kind = forms.ChoiceField(
        choices=[("", CHOOSE), *RestrictionKind.choices],
        error_messages={"required": "Select the kind of restriction"},
    )
    instruction = forms.CharField(
        max_length=200,
        label="Instruction for the mentor",
        help_text="The only part a matched mentor sees, e.g. “Meet only in public places”.",
    )
    assessment_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="From the risk assessment (coordinators only)",
    )


class ContactAttemptForm(Form):
    attempted_on = model_field(
        ContactAttempt, "attempted_on", widget=DATE, label="Date of the attempt"
    )
    attempted_on.validators.append(up_to_today())
    channel = model_field(ContactAttempt, "channel")
    outcome = model_field(ContactAttempt, "outcome")
    note = model_field(ContactAttempt, "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attempted_on"].initial = _today


class MenteeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or reference")
    scheme = django_filters.ModelChoiceFilter(queryset=Scheme.objects.none(), empty_label="All")
    situation = django_filters.ChoiceFilter(choices=Situation.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(
        choices=Referral.Status.choices,
        method="by_status",
        label="Referral",
        empty_label="Any",
    )

    class Meta:
        form = FilterForm
        model = Mentee
        fields = ["q", "scheme", "situation", "status"]

    def __init__(self, *args: Any, schemes: QuerySet[Scheme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["scheme"].queryset = schemes

    def search(self, queryset: QuerySet[Mentee], name: str, value: str) -> QuerySet[Mentee]:
        return mentees_matching(queryset, value)

    def by_status(self, queryset: QuerySet[Mentee], name: str, value: str) -> QuerySet[Mentee]:
        """Where the person is now: the status of their latest referral, not any past one."""
        annotated = with_latest_referral_status(queryset)
        # latest_referral_status is annotated there; the stubs cannot follow it here.
        return annotated.filter(latest_referral_status=value)  # type: ignore[misc]
