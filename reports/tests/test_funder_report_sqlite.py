"""The funder report builds on SQLite, the database `make run` uses, not only on PostgreSQL:
``manage.py migrate``, a few referrals around a birthday, then ``manage.py funder_report`` in
a subprocess against a throwaway SQLite file. A query written in one database's dialect (the
age band once used PostgreSQL's ``AGE()``) fails here."""

import json
import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GUARD_SECONDS = 300  # a hang guard only: migrating and reporting take well under a minute

# Three people referred on 10 March 2025: born the day after (24), on the day and the day
# before (25) that date 25 years earlier; the rows print each referral's age band.
CRAFT = """
import datetime, json
from mentees.tests.factories import ReferralFactory
from reports.rows import load_rows
D = datetime.date
referrals = [
    ReferralFactory(mentee__date_of_birth=born, referred_on=D(2025, 3, 10))
    for born in (D(2000, 3, 11), D(2000, 3, 10), D(2000, 3, 9))
]
scheme = referrals[0].mentee.scheme
for referral in referrals[1:]:
    referral.mentee.scheme = scheme
    referral.mentee.save(update_fields=["scheme"])
rows = load_rows(scheme_ids=[scheme.pk], date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
bands = dict(zip(rows.referrals["referral_id"], rows.referrals["age_band"]))
print(json.dumps({"scheme": scheme.pk, "bands": [bands[r.pk] for r in referrals]}))
"""


def _manage(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ALLOWED_HOSTS")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SECRET_KEY="a-throwaway-key-for-this-test-only",
        TANDEM_VAR_DIR=str(tmp_path / "var"),
    )
    return subprocess.run(  # noqa: S603
        [".venv/bin/python", "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
        check=False,
    )


def test_the_funder_report_builds_on_sqlite_with_age_bands_by_the_birthday(tmp_path):
    """On SQLite, as `make run` serves it, the age band turns over on the birthday itself and
    ``funder_report --format json`` writes the report with its equality section."""
    migrated = _manage(tmp_path, "migrate", "--noinput", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    crafted = _manage(tmp_path, "shell", "-c", CRAFT)
    assert crafted.returncode == 0, crafted.stderr
    made = json.loads(crafted.stdout.strip().splitlines()[-1])
    assert made["bands"] == ["18_24", "25_34", "25_34"]

    report = _manage(
        tmp_path,
        "funder_report",
        "--scheme", str(made["scheme"]),
        "--from", "2025-01-01",
        "--to", "2025-12-31",
        "--format", "json",
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    figures = json.loads(report.stdout)
    assert figures["funnel"]["referred"] == 3
    assert "by_age_band" in figures["equality"]
