"""Mentors who left import as history: the check they had (expired long ago) or none at all,
never a current one invented; only a mentor still mentoring (active or paused) needs one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from schemes.mentors.imports import mentors_import
from schemes.models import Mentor

HEADER = (
    "reference,given_name,family_name,applied_on,status,status_since,first_active_on,"
    "dbs_level,dbs_issued_on,dbs_expires_on\n"
)
FUTURE = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()


def run(world, rows: str):
    return mentors_import(
        by=world.coordinator_a, scheme=world.scheme_a, data=(HEADER + rows).encode()
    )


def test_a_mentor_who_left_imports_with_an_expired_check_or_none(world):
    """Two past mentors: one whose check expired years ago, one with no check on file and
    no name. Both import; the expired check is kept as it was, and no check is invented."""
    report = run(
        world,
        "L-1,Ada,Moss,2019-01-10,left,2022-06-30,2019-03-01,enhanced,2019-02-01,2022-02-01\n"
        "L-2,,,2018-05-01,left,2020-01-31,2018-07-01,,,\n",
    )
    assert (report.ok, report.created) == (True, 2), report.problems
    ada, nameless = Mentor.objects.get(reference="L-1"), Mentor.objects.get(reference="L-2")
    assert (ada.status, ada.status_since.isoformat()) == ("left", "2022-06-30")
    assert [c.expires_on.isoformat() for c in ada.dbs_checks.all()] == ["2022-02-01"]
    assert not nameless.dbs_checks.exists()
    assert str(nameless) == "L-2"
    page = client_for(world.coordinator_a).get(reverse("mentors:detail", args=[nameless.pk]))
    assert "L-2" in page.content.decode()


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (
            "L-9,,,2019-01-10,paused,2020-01-01,2019-03-01,,,\n",
            "dbs_level",
            "A paused mentor needs an enhanced DBS check.",
        ),
        (
            "L-9,,,2019-01-10,active,,2019-03-01,enhanced,2019-02-01,2022-02-01\n",
            "dbs_expires_on",
            "A mentor who left keeps the check they had (status: left).",
        ),
        (
            "L-9,,,2019-01-10,left,,2019-03-01,,,\n",
            "status_since",
            "Needed for a mentor who left: the day they left.",
        ),
    ],
)
def test_current_mentors_need_a_current_check_and_leavers_a_leaving_date(world, row, column, words):
    """A paused or active mentor without a check in force is refused, saying how to record a
    past mentor; a mentor who left needs the day they left. Nothing is written."""
    report = run(world, row)
    assert [(p.column, words in p.message) for p in report.problems] == [(column, True)]
    assert not Mentor.objects.filter(reference="L-9").exists()


def test_a_paused_mentor_with_a_check_in_force_imports(world):
    """Paused with a current enhanced check: as the app allows."""
    report = run(
        world, f"L-3,Bo,Reed,2024-01-10,paused,2025-01-01,2024-03-01,enhanced,2024-02-01,{FUTURE}\n"
    )
    assert report.ok, report.problems
