import datetime
import functools
import re
from collections.abc import Callable, Collection, Iterable
from typing import Any, ClassVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import BaseValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.forms import fields as django_fields
from django.forms import models as django_models
from django.forms.utils import pretty_name
from django.http import HttpRequest
from django.utils import timezone


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
    column = model._meta.get_field(name)
    if isinstance(column, models.IntegerField | models.DecimalField | models.FloatField):
        options.update(_limits(column))
    field = column.formfield(**options)  # type: ignore[union-attr]
    if field is None:
        raise ValueError(f"{model.__name__}.{name} has no form field")
    if _only_storage_limit(column, options.get("max_value")):
        field.only_storage_limit = True  # type: ignore[union-attr]
    return field


def _limits(column: "models.Field[Any, Any]") -> dict[str, Any]:
    """The model's own bounds on a number (its MinValueValidator and MaxValueValidator, and
    what the database column holds) as the form field's ``min_value`` and ``max_value``: so
    the form refuses 0 for a field that must be at least 1, in the user's words ("must be
    between 1 and 100"), rather than the model refusing it later in Django's."""

    def bounds(kind: type[BaseValidator], validators: Iterable[Any]) -> list[Any]:
        found = (v.limit_value for v in validators if isinstance(v, kind))
        return [limit for limit in found if not callable(limit)]

    limits: dict[str, Any] = {}
    if lows := bounds(MinValueValidator, column.validators):
        limits["min_value"] = max(lows)
    if highs := bounds(MaxValueValidator, column.validators):
        limits["max_value"] = min(highs)
    return limits


def _only_storage_limit(column: Any, high: Any) -> bool:
    """Whether ``high`` is only the largest number the database column holds (32767), not
    a limit anyone chose: said as "… must be 32767 or less", not as a range to pick from."""
    return high is not None and not any(
        isinstance(v, MaxValueValidator) and v.limit_value == high
        for v in getattr(column, "_validators", ())  # the model's own, not the column's range
    )


FUTURE = "The date cannot be in the future"


def up_to_today(message: str | None = None) -> Callable[[Any], None]:
    """A validator for a date that has happened: not after today.

    Without a ``message`` of its own, the form says it in the words of the field's label
    ("“Held on” must be today or in the past"). The services refuse such a date too, but
    only once the form is valid; checked in the form, a date in 2031 is reported with the
    form's other errors on the first submit."""
    code = "future" if message is None else "future_said"  # a field's words replace "future"

    def check(value: datetime.date) -> None:
        day = timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value
        if day > timezone.localdate():
            raise ValidationError(message or FUTURE, code=code)

    return check


#: Every date typed into Tandem falls in these years: nobody alive was born before 1900, and
#: no release date, expiry or deadline is after 2199. Outside them a date is a slip of the
#: keyboard (0024 for 2024), and one that would stop the funder reports, whose pandas holds
#: dates from 1677 to 2262 only. ``speak_plainly`` gives every date field of every form this
#: check, in the words of its label.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)
YEARS = f"between {EARLIEST_DATE.year} and {LATEST_DATE.year}"


def within_years(value: datetime.date) -> None:
    """A validator: the date (or the day of a date and time) is in Tandem's years."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(f"Enter a date {YEARS}", code="date_range")


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


# --- The user's words ----------------------------------------------------------------------
# GOV.UK's error messages say what went wrong and how to fix it, in the words of the question
# ("Enter the date of referral", "Expenses must be 0 or more"), never Django's defaults
# ("This field is required.", "Ensure this value is greater than or equal to 1."). Every form
# in Tandem is a ``Form`` below, which rewrites any message still in Django's words from the
# field's label, marks optional fields "(optional)", and offers "Choose…" on a select that has
# no empty choice (so a required select is never silently preselected).

CHOOSE = "Choose…"
EXPIRED = "This form has expired: open it again"
OPTIONAL = " (optional)"
_DJANGO_BLANK = "---------"
_PARENTHESIS = re.compile(r"\s*\([^)]*\)$")


def _named(label: str) -> str:
    """The label as it reads inside a sentence: "Date of referral" → "date of referral";
    "DBS level" stays; a trailing "(£)" or "(1-10)" goes."""
    label = _PARENTHESIS.sub("", label).strip().rstrip(":")
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def _subject(label: str) -> str:
    """The label as the subject of "… must be": itself when it is a plain noun ("Meeting cap
    must be 0 or more"), in quotes when a unit or a preposition would read oddly without
    them ("“Review every (weeks)” must be 0 or more", "“Closed on” must be a real date"), or
    a comma would ("“The goal, in their words” must be…")."""
    last = label.split()[-1:]  # none for an empty label
    if _PARENTHESIS.search(label) or "," in label or (last and last[0].lower() in _PREPOSITIONS):
        return f"“{label}”"
    named = _named(label)
    return named[:1].upper() + named[1:]


_PREPOSITIONS = {"on", "from", "to", "by", "until", "after", "over", "for", "every", "of"}


def _is_choice(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField)


def _required_words(field: forms.Field, label: str) -> str:
    named = _named(label)
    if label.endswith("?"):
        return f"Answer “{label}”"
    if isinstance(field, forms.BooleanField):
        return f"Tick “{label}” to go on"
    if isinstance(field, forms.FileField):
        return f"Choose {named} to upload"
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return f"Select at least one: {named}"
    if _is_choice(field):
        return f"Select {named}"
    quoted = _subject(label).startswith("“")
    if isinstance(field, forms.DateField) and (quoted or "date" not in label.lower()):
        return f"Enter a date for “{label}”"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField) and quoted:
        return f"Enter a number for “{label}”"
    return f"Enter {named}"


def _invalid_words(field: forms.Field, label: str) -> str:
    subject = _subject(label)
    if isinstance(field, forms.DateTimeField):
        return f"{subject} must be a real date and time"
    if isinstance(field, forms.DateField):
        return f"{subject} must be a real date"
    if isinstance(field, forms.TimeField):
        return f"{subject} must be a real time, like 14:30"
    if isinstance(field, forms.IntegerField):
        return f"{subject} must be a whole number"
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return f"{subject} must be a number"
    if isinstance(field, forms.EmailField):
        return "Enter an email address in the correct format, like name@example.org"
    if isinstance(field, forms.URLField):
        return "Enter a web address in the correct format, like https://example.org"
    if isinstance(field, forms.FileField):
        return "The selected file could not be read: choose it again"
    return _cant_read(label)


def _cant_read(label: str) -> str:
    return f"Check “{label}”: it is not in a form Tandem can read"


def user_words(field: forms.Field, label: str) -> dict[str, str]:
    """Every message a field can give, in GOV.UK's style and the words of its label."""
    if field.widget.is_hidden:  # nobody typed it: the page was open too long, or is stale
        return {"required": EXPIRED, "invalid": EXPIRED, "invalid_choice": EXPIRED}
    # Messages with numbers in them are %-formatted: a "%" in a label must survive that.
    subject = _subject(label).replace("%", "%%")
    low = getattr(field, "min_value", None)
    high = getattr(field, "max_value", None)
    other = f"Choose one of the options given for “{label.replace('%', '%%')}”"
    words = {
        "required": _required_words(field, label),
        "invalid": _invalid_words(field, label),
        "invalid_choice": other,
        "invalid_list": other,
        "invalid_pk_value": other,
        "min_value": f"{subject} must be %(limit_value)s or more",
        "max_value": f"{subject} must be %(limit_value)s or less",
        "max_length": f"{subject} must be %(limit_value)d characters or fewer",
        "min_length": f"{subject} must be %(limit_value)d characters or more",
        "max_digits": f"{subject} must be %(max)s digits or fewer",
        "max_decimal_places": f"{subject} must have %(max)s decimal places or fewer",
        "max_whole_digits": f"{subject} is too large",
        "step_size": f"{subject} must be a multiple of %(limit_value)s",
        "empty": "The selected file is empty",
        "missing": f"Choose {_named(label)} to upload",
        "contradiction": "Either choose a file or clear the box, not both",
        "null_characters_not_allowed": f"{subject} must not contain null characters",
        "future": f"{_subject(label)} must be today or in the past",  # never %-formatted
        "date_range": f"{_subject(label)} must be {YEARS}",  # never %-formatted
    }
    if low is not None and high is not None and not getattr(field, "only_storage_limit", False):
        words["min_value"] = words["max_value"] = f"{subject} must be between {low} and {high}"
    return words


@functools.cache
def _django_defaults() -> frozenset[str]:
    """Django's own wording for every message a form field class declares."""
    texts: set[str] = set()
    for module in (django_fields, django_models):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.Field):
                texts.update(str(m) for m in value.default_error_messages.values())
    return frozenset(texts)


def speak_plainly(
    form: forms.BaseForm,
    *,
    mark_optional: bool = True,
    field_words: dict[str, dict[str, str]] | None = None,
    unmarked: Collection[str] = (),
    empty_choice: str = CHOOSE,
) -> None:
    """Rewrite the messages of every field of ``form`` still in Django's words, mark its
    optional fields "(optional)", give every select an empty choice reading "Choose…", and
    keep every date in Tandem's years (``within_years``).

    ``field_words`` gives a field's own wording where the generic one reads badly, for fields
    declared elsewhere (Django's login form, a model's field); a field declared in Tandem
    says it with ``error_messages``, which are never rewritten. ``unmarked`` names fields
    Django may leave empty but the person may not (one of two ways to give an answer)."""
    defaults = _django_defaults()
    for name, field in form.fields.items():
        if getattr(field, "_plain", False):
            continue
        label = field.label if field.label is not None else pretty_name(name)
        label = label.removesuffix(OPTIONAL)
        said = label or pretty_name(name)  # a field shown without a label is still named
        words = {**user_words(field, said), **(field_words or {}).get(name, {})}
        for code, text in words.items():
            current = field.error_messages.get(code)
            if current is None and code == "invalid" and text == _cant_read(said):
                # A field with no "invalid" of its own: the code is a validator's, whose words
                # ("Enter a prison number like A1234BC") say more than "Check …".
                continue
            if current is None or str(current) in defaults:
                field.error_messages[code] = text
        _choose(field, empty_choice)
        dated = isinstance(field, forms.DateField | forms.DateTimeField)
        if dated and within_years not in field.validators:
            field.validators.append(within_years)
        widget = field.widget
        optional = not field.required and not widget.is_hidden
        single_box = isinstance(widget, forms.CheckboxInput)
        marked = "(optional" in label or name in unmarked
        if mark_optional and optional and not single_box and not marked:
            field.label = label + OPTIONAL
        field._plain = True  # type: ignore[attr-defined]


def _choose(field: forms.Field, empty_choice: str = CHOOSE) -> None:
    """Give a drop-down an empty choice in words (``empty_choice``, "Choose…" on a form): Django
    says "---------", and a required drop-down with no empty choice shows its first option as
    if someone had chosen it."""
    if isinstance(field, forms.ModelChoiceField) and not isinstance(
        field, forms.ModelMultipleChoiceField
    ):
        if field.empty_label == _DJANGO_BLANK:
            field.empty_label = empty_choice
        return
    if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.MultipleChoiceField):
        return
    choices: list[Any] = list(cast(Iterable[Any], field.choices))  # normalised by Django
    blank = [i for i, (value, _) in enumerate(choices) if value in ("", None)]
    if blank:
        if choices[blank[0]][1] == _DJANGO_BLANK:
            choices[blank[0]] = ("", empty_choice)
            field.choices = choices
    elif type(field.widget) is forms.Select and field.required and field.initial is None:
        field.choices = [("", CHOOSE), *choices]


class PlainWords:
    """Makes a form speak in the user's words (``speak_plainly``): mixed into ``Form`` below,
    and into Django's own login and password forms.

    The words are settled the first time a field is read (to render or to validate), so a
    form's ``__init__`` may still add fields and change labels after calling ``super()``.
    ``mark_optional = False`` for filters, where every field is optional."""

    mark_optional = True
    field_words: ClassVar[dict[str, dict[str, str]]] = {}
    unmarked: ClassVar[frozenset[str]] = frozenset()
    empty_choice = CHOOSE

    def __getitem__(self, name: str) -> forms.BoundField:
        if not getattr(self, "_spoken", False):
            self._spoken = True
            speak_plainly(
                cast(forms.BaseForm, self),
                mark_optional=self.mark_optional,
                field_words=self.field_words,
                unmarked=self.unmarked,
                empty_choice=self.empty_choice,
            )
        return super().__getitem__(name)  # type: ignore[misc]


class Form(PlainWords, forms.Form):
    """Every form in Tandem (a test fails on one that is not)."""


class FilterForm(Form):
    """The form of a list's filters: in the same words, but every field is optional, so none
    is marked, and a drop-down left empty means "Any"."""

    mark_optional = False
    empty_choice = "Any"
