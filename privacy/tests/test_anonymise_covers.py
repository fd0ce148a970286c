"""Anonymising reaches every text Tandem holds about a person: a text field added to any
case model later must be named, as removed or as kept with a reason, or this fails."""

import ast
from pathlib import Path

from django.apps import apps
from django.db import models

from privacy.anonymise import ABOUT_OTHERS, KEPT, PERSON, TEXTS

CASE_APPS = ("mentees", "relationships", "concerns", "flags", "schemes")


def test_every_free_text_about_a_person_is_removed_or_kept_on_purpose():
    """Each CharField or TextField without fixed choices, on every model of the case apps and
    of the schemes app (whose supervision notes could name a mentee), is in the person's
    fields, in TEXTS, in KEPT, or kept as about the scheme or a mentor (ABOUT_OTHERS)."""
    named = {("mentees.mentee", name) for name in PERSON}
    for model, _paths, fields, required in TEXTS:
        named |= {(model._meta.label_lower, name) for name in (*fields, *required)}
    named |= {(model._meta.label_lower, name) for model, name in (*KEPT, *ABOUT_OTHERS)}
    found = {
        (model._meta.label_lower, field.name)
        for label in CASE_APPS
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    }
    assert found - named == set()


def test_every_notification_about_a_person_names_them():
    """Each call of ``notify`` outside core passes ``mentee_id`` (``None`` when it is about
    nobody), so a notice whose words name someone is found by erasure and subject access
    whatever page it links to."""
    missing = []
    for label in ("mentees", "relationships", "concerns", "flags", "privacy", "schemes", "home"):
        root = Path(apps.get_app_config(label).path)
        for path in root.rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for call in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(call, ast.Call)
                    and getattr(call.func, "id", getattr(call.func, "attr", "")) == "notify"
                    and "mentee_id" not in {k.arg for k in call.keywords}
                ):
                    missing.append(f"{path.relative_to(root.parent)}:{call.lineno}")
    assert missing == []
