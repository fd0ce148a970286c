"""The lines of the relationships and meetings imports: how a line names its mentee, mentor
and match, the words for columns refused unread, and the relationships file's row form."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from core.forms import Form
from core.imports import Problem, code_field, date_field
from mentees.models import Mentee
from relationships.models import Pause, Relationship
from schemes.models import Mentor, Scheme

RS = Relationship.Status

PRIVATE_NOTES = (
    "Private notes are the mentor's alone and never travel in files. Remove this column; "
    "nothing was read from it."
)
CONCERN = (
    "Concerns are not imported: a concern must reach the coordinator when it is raised. "
    "Remove this column and record any concern that still matters in Tandem."
)


def reference_problems(
    line: int, mentee: Mentee | None, mentor: Mentor | None, row: dict[str, Any]
) -> list[Problem]:
    problems = []
    if mentee is None:
        problems.append(
            Problem(
                line,
                "mentee_reference",
                f"No mentee in this scheme has the reference {row['mentee_reference']}. "
                "Import mentees first.",
            )
        )
    if mentor is None:
        problems.append(
            Problem(
                line,
                "mentor_reference",
                f"No mentor in this scheme has the reference {row['mentor_reference']}. "
                "Import mentors first.",
            )
        )
    return problems


def people_in(
    scheme: Scheme, rows: list[tuple[int, dict[str, Any]]]
) -> tuple[dict[str, Mentee], dict[str, Mentor]]:
    mentees = {
        m.reference: m
        for m in Mentee.objects.filter(
            scheme=scheme, reference__in={r["mentee_reference"] for _, r in rows}
        )
    }
    mentors = {
        m.reference: m
        for m in Mentor.objects.filter(
            scheme=scheme, reference__in={r["mentor_reference"] for _, r in rows}
        ).exclude(reference="")
    }
    return mentees, mentors


def relationship_key(row: dict[str, Any]) -> tuple[str, str, datetime.date]:
    return (row["mentee_reference"], row["mentor_reference"], row["matched_on"])


def describe_match(key: tuple[str, str, datetime.date]) -> str:
    return f"{key[0]} with {key[1]} matched on {key[2]:%Y-%m-%d}"


YES_NO = [("yes", "yes"), ("no", "no")]

RELATIONSHIP_REQUIRED = ["mentee_reference", "mentor_reference", "matched_on", "status"]
RELATIONSHIP_OPTIONAL = [
    "matched_in_custody",
    "next_review_on",
    "paused_on",
    "pause_reason",
    "exit_plan",
    "planned_end_on",
    "closed_on",
    "closure_type",
    "closure_reason",
    "final_review",
    "contact_after",
]


class RelationshipRow(Form):
    """One past match, checked with the rules the relationship's own services keep."""

    mentee_reference = forms.CharField(max_length=20)
    mentor_reference = forms.CharField(max_length=20)
    matched_on = date_field(required=True)
    status = code_field(RS.choices, required=True)
    matched_in_custody = code_field(YES_NO)
    next_review_on = date_field()
    paused_on = date_field()
    pause_reason = code_field(Pause.Reason.choices)
    exit_plan = forms.CharField(required=False)
    planned_end_on = date_field()
    closed_on = date_field()
    closure_type = code_field(Relationship.ClosureType.choices)
    closure_reason = code_field(Relationship.ClosureReason.choices)
    final_review = forms.CharField(required=False)
    contact_after = code_field(Relationship.ContactAfter.choices)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns, and never None
        today = timezone.localdate()
        for name in ("matched_on", "paused_on", "closed_on"):
            if data.get(name) and data[name] > today:
                self.add_error(name, "Cannot be in the future.")
        status, matched_on = data.get("status"), data.get("matched_on")
        data["matched_in_custody"] = data.get("matched_in_custody") == "yes"
        closing = ("closed_on", "closure_type", "closure_reason", "final_review", "contact_after")
        if status == RS.CLOSED:
            for name in ("closed_on", "closure_type", "closure_reason"):
                if not data.get(name):
                    self.add_error(name, "Needed for a closed relationship.")
        elif status:
            for name in closing:
                if data.get(name):
                    self.add_error(name, "Only for a closed relationship.")
        if status == RS.PAUSED:
            for name in ("paused_on", "pause_reason"):
                if not data.get(name):
                    self.add_error(name, "Needed for a paused relationship.")
        elif status:
            for name in ("paused_on", "pause_reason"):
                if data.get(name):
                    self.add_error(name, "Only for a paused relationship.")
        if status == RS.ENDING and not data.get("exit_plan"):
            self.add_error("exit_plan", "Needed for a relationship that is ending.")
        if status not in (RS.ENDING, RS.CLOSED):
            for name in ("exit_plan", "planned_end_on"):
                if data.get(name):
                    self.add_error(name, "Only for a relationship that is ending or closed.")
        if status == RS.CLOSED and data.get("next_review_on"):
            self.add_error("next_review_on", "A closed relationship has no next review.")
        if matched_on:
            for name in ("paused_on", "closed_on", "planned_end_on", "next_review_on"):
                if data.get(name) and data[name] < matched_on:
                    self.add_error(name, "Before the match date.")
        return data
