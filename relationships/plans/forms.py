"""Forms for goals, steps, reviews and the relationship's life. They check types and required
fields; the rules live in the services, whose errors land next to the field they name."""

from typing import Any

from django import forms
from django.utils import timezone

from core.forms import Form, up_to_today
from mentees.models import NeedDomain
from relationships.models import (
    GOAL_PROPOSERS,
    STEP_OWNERS,
    Driving,
    Goal,
    Pause,
    PrimaryGood,
    Relationship,
    Step,
)
from schemes.mentors.forms import DateInput

PRIMARY_GOOD_HELP = (
    "A primary good is something people seek for its own sake: health, knowledge, a sense "
    "of agency, inner peace, friendship and family, community, and so on. Housing, work or "
    "money are the means; pick the good this goal really serves for the mentee."
)


def _date(label: str, *, required: bool = True, today: bool = True, **kw: Any) -> forms.Field:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        initial=timezone.localdate if today else None,
        **kw,
    )


def _score(label: str, *, of: str, **kw: Any) -> forms.IntegerField:
    """A score from 1 to 10; ``of`` says what is scored, for its messages."""
    words = f"Score {of} with a whole number from 1 to 10"
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={code: words for code in ("required", "invalid", "min_value", "max_value")},
        **kw,
    )


class GoalForm(Form):
    title = forms.CharField(
        label="The goal, in the mentee's words",
        max_length=200,
        help_text="Write it as they said it, for example “get my own flat by the summer”.",
    )
    proposed_by = forms.ChoiceField(
        label="Who proposed it",
        choices=GOAL_PROPOSERS,
        widget=forms.RadioSelect,
    )
    domain = forms.ChoiceField(label="Practical area", choices=NeedDomain.choices)
    primary_good = forms.ChoiceField(
        label="The good it serves", choices=PrimaryGood.choices, help_text=PRIMARY_GOOD_HELP
    )


class GoalStatusForm(Form):
    # The date is needed only for an achieved or dropped goal: its label says so, and it is
    # not marked "(optional)" (the service refuses it missing then).
    unmarked = frozenset({"on"})

    status = forms.ChoiceField(label="Where the goal stands", choices=Goal.Status.choices)
    on = _date(
        "Date (if achieved or dropped)",
        required=False,
        validators=[up_to_today()],
    )


class StepForm(Form):
    description = forms.CharField(
        label="The step", max_length=200, help_text="Small and concrete: one thing to do."
    )
    owner = forms.ChoiceField(
        label="Who will do it",
        choices=STEP_OWNERS,
        widget=forms.RadioSelect,
    )
    due_on = _date("Due by", required=False, today=False)


class StepEditForm(StepForm):
    status = forms.ChoiceField(choices=Step.Status.choices)


class ReviewForm(Form):
    """One score per goal being worked on, then each side's view, then the ending plan."""

    held_on = _date("Held on", validators=[up_to_today()])
    mentee_driving = forms.ChoiceField(
        label="Who the mentee says is driving", choices=Driving.choices, widget=forms.RadioSelect
    )
    mentor_driving = forms.ChoiceField(
        label="Who the mentor says is driving", choices=Driving.choices, widget=forms.RadioSelect
    )
    mentee_rating = _score(
        "How it is going, for the mentee (1-10)", of="how it is going for the mentee"
    )
    mentor_rating = _score(
        "How it is going, for the mentor (1-10)", of="how it is going for the mentor"
    )
    goal_changes = forms.CharField(
        label="Goals added, changed or dropped",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ending_plan = forms.CharField(
        label="The plan for ending",
        error_messages={
            "required": "Write the plan for ending. It is needed at every review, even when "
            "the end is months away: how and when will this relationship finish?"
        },
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed at every review: how and when will this relationship finish?",
    )

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        scores = {}
        for goal in goals:
            scores[f"score_{goal.pk}"] = _score(
                f"“{goal.title}” ({goal.get_domain_display()})",
                of=f"progress on “{goal.title}”",
                help_text="Progress from 1 (not started) to 10 (done).",
            )
        # Scores first: they are what the review is about.
        self.fields = {**scores, **self.fields}

    def scores(self) -> dict[int, int]:
        return {g.pk: self.cleaned_data[f"score_{g.pk}"] for g in self.goals}

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("score_")}
        return {**data, "scores": self.scores()}


class PauseForm(Form):
    reason = forms.ChoiceField(choices=Pause.Reason.choices)
    note = forms.CharField(max_length=300, required=False, help_text="The mentor will see it.")
    starts_on = _date("Paused from", validators=[up_to_today()])


class ResumeForm(Form):
    resumed_on = _date("Resumed on", validators=[up_to_today()])


class EndingForm(Form):
    exit_plan = forms.CharField(
        label="The exit plan both sides agreed",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="How the meetings will taper, what happens to the open steps, who the "
        "mentee can turn to afterwards.",
    )
    planned_end_on = _date("Planned end", today=False)
    agreed_on = _date("Agreed on", validators=[up_to_today()])


CLOSURE_REASONS = [
    (value, label)
    for value, label in Relationship.ClosureReason.choices
    if value != Relationship.ClosureReason.REMATCHED
]


class CloseForm(Form):
    closure_type = forms.ChoiceField(
        label="Was the ending planned?",
        choices=Relationship.ClosureType.choices,
        widget=forms.RadioSelect,
    )
    closure_reason = forms.ChoiceField(label="Reason", choices=CLOSURE_REASONS)
    final_review = forms.CharField(
        label="Final review",
        error_messages={"required": "Write the final review: what was achieved and how it ended"},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was achieved, what is left, and how it ended.",
    )
    contact_after = forms.ChoiceField(
        label="Contact after closing", choices=Relationship.ContactAfter.choices
    )
    closed_on = _date("Closed on", validators=[up_to_today()])


class ReopenForm(Form):
    reason = forms.CharField(
        max_length=300,
        help_text="Why it is being reopened.",
        error_messages={"required": "Say why the relationship is being reopened"},
    )
    reopened_on = _date("Reopened on", validators=[up_to_today()])
