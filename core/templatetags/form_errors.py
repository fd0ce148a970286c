"""The GOV.UK error summary and the "Error:" in the title, for every page, from base.html.

A page's forms are found in its context (a form, a formset, or a filter set's form), so no
form template has to remember either: when any bound form on the page has errors, the title
starts "Error: " and the summary at the top of the page lists each error as a link to its
field (the first radio or checkbox of a group), the form's own errors as plain text.
"""

from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class Problem:
    """One line of the error summary: the message, and the id of the input it is about."""

    message: str
    target: str = ""


def _forms_in(value: Any) -> list[forms.BaseForm]:
    # type(), not isinstance(): asking a lazy value (the CSRF token, the user) its class
    # would work it out, and the token would set a cookie on every page.
    kind = type(value)
    if issubclass(kind, forms.BaseForm):
        return [value]
    if issubclass(kind, forms.BaseFormSet):
        return list(value.forms)
    if issubclass(kind, django_filters.FilterSet):
        return [value.form]
    return []


def forms_with_errors(context: template.Context) -> list[forms.BaseForm]:
    """The bound forms of the page that have errors, in the order the view gave them."""
    found: dict[int, forms.BaseForm] = {}
    for value in context.flatten().values():
        for form in _forms_in(value):
            if form.is_bound and form.errors:
                found.setdefault(id(form), form)
    return list(found.values())


def target_id(field: forms.BoundField) -> str:
    """The id a summary link goes to: the input itself, or the first of a group's inputs."""
    if not field.auto_id:
        return ""
    return field.id_for_label or field.field.widget.id_for_label(field.auto_id, "0") or ""


def problems(form: forms.BaseForm) -> list[Problem]:
    """The form's errors in the order its fields are shown, its own errors first."""
    found = [Problem(str(message)) for message in form.non_field_errors()]
    for field in form:
        target = "" if field.is_hidden else target_id(field)
        found.extend(Problem(str(message), target) for message in field.errors)
    return found


@register.simple_tag(takes_context=True)
def page_problems(context: template.Context) -> list[Problem]:
    """Every error of every form on the page, for the summary; empty when there are none."""
    return [problem for form in forms_with_errors(context) for problem in problems(form)]
