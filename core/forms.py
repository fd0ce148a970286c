from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest


def model_field(
    model: type[models.Model],
    name: str,
    *,
    label: str | None = None,
    widget: forms.Widget | type[forms.Widget] | None = None,
    help_text: str | None = None,
) -> forms.Field:
    """The form field a ModelForm would make for ``model.name`` (its label, help text,
    choices, length, required-ness and validators), with any label, widget or help text given.

    For plain forms that check what was typed and hand ``cleaned_data`` to a service: the
    service builds and validates the record. (A ModelForm writes what was typed into its
    instance while validating, so the service would no longer see the record as it was.)
    """
    options: dict[str, Any] = {}
    if label is not None:
        options["label"] = label
    if widget is not None:
        options["widget"] = widget
    if help_text is not None:
        options["help_text"] = help_text
    field = model._meta.get_field(name).formfield(**options)  # type: ignore[union-attr]
    if field is None:
        raise ValueError(f"{model.__name__}.{name} has no form field")
    return field


def show_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def submit(
    request: HttpRequest, form: forms.Form, action: Callable[[], Any], success: str
) -> Any | None:
    """The write half of a thin view: on a valid POST, call the one service and say so.

    A ValidationError from the service lands on the form (on its field when it names one),
    so the person sees what to fix next to what they typed. Returns the service's result,
    or None when there is nothing to redirect to yet. An empty ``success`` says nothing
    (nobody will see the next page: a form sent in the background).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action()
    except ValidationError as exc:
        show_service_errors(form, exc)
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True
