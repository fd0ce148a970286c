"""What the person's pages share: the page a small form about a person is drawn on, and the
message after a step that names the next one (mentees/views.py and mentees/assessment/views.py)."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthedRequest
from mentees.models import Mentee
from mentees.next_step import next_step
from mentees.selectors import referral_facts, referral_open_for


def form_page(
    request: AuthedRequest, form: forms.Form, mentee: Mentee, title: str, intro: str = ""
) -> HttpResponse:
    """One of the small forms about a person, on the page they all share."""
    return render(
        request,
        "mentees/mentee_form.html",
        {"form": form, "mentee": mentee, "title": title, "intro": intro},
    )


def done_then_next(request: AuthedRequest, done: str, mentee_id: int) -> None:
    """Say what was recorded and name the step it leads to, which the person's page offers
    as its main button."""
    referral = referral_open_for(mentee_id)
    step = next_step(referral_facts(referral)) if referral else None
    messages.success(request, f"{done} {step.then}" if step and step.then else done)
