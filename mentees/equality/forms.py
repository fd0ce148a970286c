"""The equality questions, each optional and each with "Prefer not to say"."""

from typing import Any

from django import forms

from core.forms import Form
from mentees.models import Mentee
from mentees.models.equality import ETHNIC_GROUPS, Disability, Ethnicity, Gender


def _ethnicity_choices() -> list[Any]:
    """The census's answers under its five groups, each without the group's name (shown as
    the group's heading), then "Prefer not to say"."""
    grouped: dict[str, list[tuple[str, str]]] = {title: [] for title in ETHNIC_GROUPS.values()}
    for code, label in Ethnicity.choices:
        if code == Ethnicity.NOT_SAID:
            continue
        group, _, answer = str(label).partition(": ")
        grouped[group].append((str(code), answer[:1].upper() + answer[1:]))
    return [*grouped.items(), ("Or", [(str(Ethnicity.NOT_SAID), "Prefer not to say")])]


class GroupedRadioSelect(forms.RadioSelect):
    """Radios under headings: the first input is ``<id>_0_0``, where the error summary's link
    to the question goes."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0_0" if index == "0" else index)


class EqualityForm(Form):
    gender = forms.ChoiceField(
        choices=Gender.choices,
        required=False,
        widget=forms.RadioSelect,
        label="How would they describe their gender?",
    )
    ethnicity = forms.ChoiceField(
        choices=_ethnicity_choices(),
        required=False,
        widget=GroupedRadioSelect,
        label="What is their ethnic group?",
        help_text="The 2021 census's groups for England and Wales.",
    )
    disability = forms.ChoiceField(
        choices=Disability.choices,
        required=False,
        widget=forms.RadioSelect,
        label="Do they have a physical or mental health condition or illness lasting or "
        "expected to last 12 months or more, that reduces their ability to carry out "
        "day-to-day activities?",
    )

    @classmethod
    def for_mentee(cls, data: Any, mentee: Mentee) -> "EqualityForm":
        return cls(
            data,
            initial={
                "gender": mentee.gender,
                "ethnicity": mentee.ethnicity,
                "disability": mentee.disability,
            },
        )
