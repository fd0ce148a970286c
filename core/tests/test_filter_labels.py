"""Every filter on a list page has a label a person can read: django-filter shows
"[invalid name]" for a filter whose name is not a model field unless it is given one."""

import re

import django_filters
import pytest
from django.urls import reverse

from conftest import client_for
from flags.filters import FlagFilter
from mentees.forms import MenteeFilter
from relationships.filters import RelationshipFilter
from schemes.mentors.filters import MentorFilter

FILTERSETS: list[type[django_filters.FilterSet]] = [
    FlagFilter,
    MenteeFilter,
    MentorFilter,
    RelationshipFilter,
]


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda f: f.__name__)
def test_every_filter_has_a_readable_label(filterset):
    """No filter on any list falls back to django-filter's "[invalid name]"."""
    labels = {name: str(f.label) for name, f in filterset.base_filters.items()}
    assert not [name for name, label in labels.items() if "invalid name" in label], labels


@pytest.mark.parametrize("url", ["flags:list", "relationships:list"])
def test_the_flag_and_relationship_lists_show_no_invalid_name(world, url):
    """The coordinator's flag queue and relationship list label their filters in words:
    "Category" and "Health", never "[invalid name]"."""
    body = client_for(world.coordinator_a).get(reverse(url)).content.decode()
    assert "[invalid name]" not in body
    label = "Category" if url == "flags:list" else "Health"
    assert re.search(rf"<label[^>]*>\s*{label}\s*<", body)
