"""Anonymising reaches every text Tandem holds about a person: a text field added to any
case model later must be named, as removed or as kept with a reason, or this fails."""

from django.apps import apps
from django.db import models

from privacy.anonymise import KEPT, PERSON, TEXTS

CASE_APPS = ("mentees", "relationships", "concerns", "flags")


def test_every_free_text_about_a_person_is_removed_or_kept_on_purpose():
    """Each CharField or TextField without fixed choices, on every model of the case apps,
    is in the person's fields, in TEXTS, or in KEPT."""
    named = {("mentees.mentee", name) for name in PERSON}
    for model, _paths, fields, required in TEXTS:
        named |= {(model._meta.label_lower, name) for name in (*fields, *required)}
    named |= {(model._meta.label_lower, name) for model, name in KEPT}
    found = {
        (model._meta.label_lower, field.name)
        for label in CASE_APPS
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    }
    assert found - named == set()
