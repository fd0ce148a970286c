from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def submit(
    request: HttpRequest, form: forms.Form, action: Callable[[], Any], success: str
) -> Any | None:
    """The write half of a thin view: on a valid POST, call the one service and say so.

    A ValidationError from the service lands on the form (on its field when it names one),
    so the person sees what to fix next to what they typed. Returns the service's result,
    or None when there is nothing to redirect to yet.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None
    messages.success(request, success)
    return result if result is not None else True
