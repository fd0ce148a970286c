"""Two imports of the same file into one scheme at once through ``manage.py import_records``:
the second waits for the first, saying so, and skips what it wrote, so nothing is imported
twice. (Two jobs in the worker do not wait: test_import_scheme_busy.py.)"""

import io
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from home import importers
from home.importers import run_import
from relationships.models import Meeting

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = Path(settings.BASE_DIR) / "docs" / "examples"
MEETINGS = (EXAMPLES / "meetings.csv").read_bytes()
#: Hang guard only: the runs meet within a second; a broken run must not hang the suite.
GUARD_SECONDS = 60


def history(world: Any) -> None:
    """The example's mentors, mentees and relationships, so its meetings can go in."""
    for kind in ("mentors", "mentees", "relationships"):
        data = (EXAMPLES / f"{kind}.csv").read_bytes()
        report = run_import(
            kind=kind, by=world.coordinator_a, scheme=world.scheme_a, data=data, dry_run=False
        )
        assert report.ok, report.problems


def a_run_waits_for_a_lock() -> bool:
    """Another connection to this database is waiting for an advisory lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return bool(cursor.fetchone()[0])


def race(
    monkeypatch: pytest.MonkeyPatch,
    first: Callable[[], Any],
    second: Callable[[], Any],
    while_waiting: Callable[[], Any] = lambda: None,
) -> list[Any]:
    """Run ``first`` until its meetings are written but not committed, then ``second``; the
    first commits once the second has written its own meetings or is waiting for a lock.
    Returns what ``while_waiting`` gave, asked while the second waited (if it did)."""
    seen: list[Any] = []
    real = importers.IMPORTERS["meetings"]
    wrote, second_done = threading.Event(), threading.Event()
    calls: list[int] = []

    def held(**kwargs: Any) -> Any:
        report = real(**kwargs)
        calls.append(1)
        if len(calls) == 1:
            wrote.set()
            deadline = time.monotonic() + GUARD_SECONDS
            while not second_done.is_set():
                if a_run_waits_for_a_lock():
                    seen.append(while_waiting())
                    break
                assert time.monotonic() < deadline, "the second run neither ran nor waited"
                time.sleep(0.05)
        else:
            second_done.set()
        return report

    monkeypatch.setitem(importers.IMPORTERS, "meetings", held)

    def in_thread(run: Callable[[], Any]) -> None:
        try:
            run()
        finally:
            connection.close()

    one = threading.Thread(target=in_thread, args=(first,))
    one.start()
    assert wrote.wait(GUARD_SECONDS)
    two = threading.Thread(target=in_thread, args=(second,))
    two.start()
    one.join(GUARD_SECONDS)
    two.join(GUARD_SECONDS)
    assert not one.is_alive() and not two.is_alive()
    return seen


def test_the_command_run_twice_at_once_imports_each_meeting_once(world, monkeypatch):
    """``import_records`` started twice on one file: the second run waits for the first and
    finds every meeting already in Tandem."""
    history(world)
    outputs = [io.StringIO(), io.StringIO()]

    def command(out: io.StringIO) -> Callable[[], None]:
        return lambda: call_command(
            "import_records",
            "meetings",
            str(EXAMPLES / "meetings.csv"),
            scheme=world.scheme_a.pk,
            by=world.coordinator_a.email,
            stdout=out,
        )

    race(monkeypatch, command(outputs[0]), command(outputs[1]))

    meetings = MEETINGS.count(b"\n") - 1
    assert Meeting.objects.count() == meetings
    assert f"Imported {meetings} of {meetings} rows" in outputs[0].getvalue()
    assert f"Imported 0 of {meetings} rows; {meetings} already" in outputs[1].getvalue()
    assert "Waiting for another import into this scheme to finish" in outputs[1].getvalue()
    assert "Waiting" not in outputs[0].getvalue()
