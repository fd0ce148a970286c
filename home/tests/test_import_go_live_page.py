"""The import page asks for the go-live date (today unless changed; never in the future), the
check's page says what the watcher will make of the file before anything is written, and the
import watches its records from that date. The command takes the same date."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from home.forms import GO_LIVE_HINT
from home.models import ImportJob
from home.tests.historic_cohort import cohort_rows
from home.tests.importing import go, page, upload
from home.tests.workbooks import workbook
from mentees.models import Referral
from relationships.models import Relationship

#: A small history with open rows: people waiting for years, relationships still active.
SIZES = {"referrals": 24, "mentors": 3, "relationships": 6, "meetings": 12, "live": 12}


def live_workbook() -> bytes:
    """The small history as a workbook, a sheet per kind (blank cells empty)."""
    sheets = {
        kind: [list(t.columns), *[[row[c] or None for c in t.columns] for row in t.rows]]
        for kind, t in cohort_rows(**SIZES).items()
    }
    return workbook(sheets)


def test_the_page_asks_for_the_go_live_date_saying_what_it_does(world):
    """The field is there, filled with today, its hint saying what the date does."""
    body = client_for(world.coordinator_a).get(reverse("home:import")).content.decode()
    assert "Go-live date" in body and GO_LIVE_HINT in body
    assert f'value="{timezone.localdate().isoformat()}"' in body


def test_a_go_live_date_in_the_future_is_refused(world):
    """Tomorrow: the upload is refused in words, and no job is made."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(world.coordinator_a).post(
        reverse("home:import"),
        {"kind": "workbook", "scheme": world.scheme_a.pk, "go_live": tomorrow.isoformat()},
    )
    assert "The go-live date cannot be in the future" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_check_says_what_the_watcher_will_make_of_it_and_the_import_keeps_the_date(world):
    """Go-live 60 days ago: the check's page counts the referrals and relationships as
    history or live and names each kind of flag the first sweep will raise, in words; the
    import then watches every referral and relationship from that date."""
    client = client_for(world.coordinator_a)
    go_live = timezone.localdate() - datetime.timedelta(days=60)
    job = upload(
        client,
        kind="workbook",
        scheme_id=world.scheme_a.pk,
        name="history.xlsx",
        data=live_workbook(),
        go_live=go_live,
    )
    assert job.status == ImportJob.Status.READY, job.problems[:3]
    assert job.go_live == go_live
    look = job.first_look
    assert look is not None and look["referrals"]["live"] > 0
    body = page(client, job)
    assert "What the watcher will make of it" in body
    assert f"Go-live date: <strong>{go_live:%-d %b %Y}</strong>" in body
    history, live = look["referrals"]["history"], look["referrals"]["live"]
    assert f"Referrals: {history} history (closed), {live} live" in body
    assert "Waiting long for a match: " in body and "No recent contact attempt: " in body
    assert not Referral.objects.filter(mentee__reference__startswith="HP-").exists()

    job = go(client, job)
    assert job.status == ImportJob.Status.DONE
    referrals = Referral.objects.filter(mentee__reference__startswith="HP-")
    assert referrals.count() == SIZES["referrals"]
    assert set(referrals.values_list("watched_from", flat=True)) == {go_live}
    relationships = Relationship.objects.filter(mentee__reference__startswith="HP-")
    assert set(relationships.values_list("watched_from", flat=True)) == {go_live}


def test_the_command_takes_the_go_live_date_and_says_what_the_first_sweep_raises(
    world, tmp_path, capsys
):
    """``--go-live`` sets the date and the check prints what the watcher will make of the
    file; with none the date is today and nothing is flagged; a future date is refused; the
    import then watches every referral and relationship from the date given."""
    path = tmp_path / "history.xlsx"
    path.write_bytes(live_workbook())
    args = ["import_records", "workbook", str(path), "--scheme", str(world.scheme_a.pk)]
    args += ["--by", world.coordinator_a.email]
    go_live = timezone.localdate() - datetime.timedelta(days=60)
    call_command(*args, "--dry-run", "--go-live", go_live.isoformat())
    out = capsys.readouterr().out
    assert f"Go-live date {go_live.isoformat()}: no flags about anything before it." in out
    assert "Waiting long for a match: " in out
    call_command(*args, "--dry-run")
    assert "The first sweep would raise 0 flags about these records." in capsys.readouterr().out
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(CommandError, match="cannot be in the future"):
        call_command(*args, "--dry-run", "--go-live", tomorrow.isoformat())
    assert not Referral.objects.filter(mentee__reference__startswith="HP-").exists()

    call_command(*args, "--go-live", go_live.isoformat())
    referrals = Referral.objects.filter(mentee__reference__startswith="HP-")
    assert referrals.count() == SIZES["referrals"]
    assert set(referrals.values_list("watched_from", flat=True)) == {go_live}
    relationships = Relationship.objects.filter(mentee__reference__startswith="HP-")
    assert relationships.count() == SIZES["relationships"]
    assert set(relationships.values_list("watched_from", flat=True)) == {go_live}
