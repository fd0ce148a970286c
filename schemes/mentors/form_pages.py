"""The shape every write page on a mentor's file shares, whoever writes it (the scheme's
staff on the file, the mentor on their own profile)."""

from collections.abc import Callable

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthedRequest
from core.forms import submit
from schemes.models import Mentor


def mentor_form_page(
    request: AuthedRequest,
    *,
    mentor: Mentor,
    form: forms.Form,
    save: Callable[[], object],
    done: str,
    title: str,
    template: str = "schemes/mentor_form.html",
    intro: str = "",
    back: str = "mentors:detail",
) -> HttpResponse:
    """Validate, call the one service, go back (``back``, a URL name taking the mentor's pk)
    with a message, or show the form again with the service's reasons."""
    if submit(request, form, save, done):
        return redirect(back, pk=mentor.pk)
    context = {"form": form, "mentor": mentor, "title": title, "intro": intro}
    return render(request, template, context)
