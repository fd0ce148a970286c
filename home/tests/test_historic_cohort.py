"""The historic cohort (home/tests/historic_cohort.py) imports through the same entry point as
the upload page and the command, and the funder report then reads it as history: every
closure counted as ended, consent recorded before Tandem counted as consented, and nothing
the records do not hold written (no names, no consent dates, no DBS checks)."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import MembershipFactory
from home.importers import run_import
from home.tests.historic_cohort import (
    KINDS,
    MEETINGS,
    MENTORS,
    REFERRALS,
    RELATIONSHIPS,
    cohort_csv,
    cohort_rows,
)
from mentees.models import Consent, Mentee, Referral
from relationships.models import Meeting, Relationship
from reports.build import build_report
from schemes.mentors.records import DBSCheck
from schemes.models import Mentor
from schemes.tests.factories import SchemeFactory

pytestmark = pytest.mark.slow


def test_the_generator_gives_the_same_rows_every_time():
    """Deterministic, and of the sizes the acceptance asks for."""
    first, second = cohort_csv(), cohort_csv()
    assert first == second
    rows = cohort_rows()
    sizes = {kind: len(rows[kind].rows) for kind in KINDS}
    assert sizes == {
        "mentors": MENTORS,
        "mentees": REFERRALS,
        "relationships": RELATIONSHIPS,
        "meetings": MEETINGS,
    }
    assert (MENTORS, REFERRALS, RELATIONSHIPS, MEETINGS) == (40, 4_000, 390, 1_100)


@pytest.mark.django_db(transaction=False)
def test_the_historic_cohort_imports_and_the_report_reads_it_as_history(capsys):
    """All four files import whole; the report counts 390 closures as ended; no name,
    consent date or DBS check was written. Prints the time and queries each import took."""
    scheme = SchemeFactory(name="Historic scheme")
    by = MembershipFactory(scheme=scheme).user
    files = cohort_csv()
    timings = []
    for kind in KINDS:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            report = run_import(kind=kind, by=by, scheme=scheme, data=files[kind], dry_run=False)
        seconds = time.perf_counter() - started
        timings.append((kind, report.rows, seconds, len(queries)))
        assert report.ok, (kind, report.problems[:5])
        assert report.created == report.rows
    with capsys.disabled():
        for kind, rows, seconds, queries in timings:
            print(f"\n{kind}: {rows} rows in {seconds:.2f} s, {queries} queries")

    mentees = Mentee.objects.filter(scheme=scheme)
    assert mentees.count() == REFERRALS
    assert not mentees.exclude(given_name="", family_name="").exists()
    assert not Mentor.objects.filter(scheme=scheme).exclude(given_name="").exists()
    consents = Consent.objects.filter(mentee__scheme=scheme)
    assert consents.exists() and not consents.exclude(given_on=None).exists()
    assert not consents.exclude(information_sheet_version="").exists()
    assert not DBSCheck.objects.filter(mentor__scheme=scheme).exists()
    assert Mentor.objects.filter(scheme=scheme, status="left").count() == MENTORS
    relationships = Relationship.objects.filter(mentee__scheme=scheme)
    assert relationships.filter(status="closed").count() == RELATIONSHIPS
    ended = Referral.objects.filter(mentee__scheme=scheme, status=Referral.Status.ENDED)
    assert ended.count() == RELATIONSHIPS
    assert Meeting.objects.filter(relationship__mentee__scheme=scheme).count() == MEETINGS

    planned = relationships.filter(closure_type="planned").count()
    report = build_report(
        scheme_ids=[scheme.pk],
        date_from=min(r.referred_on for r in Referral.objects.filter(mentee__scheme=scheme)),
        date_to=max(r.closed_on for r in relationships),
    )
    figures = report.section("relationships").figures
    assert (figures["closed"], figures["closed_planned"]) == (RELATIONSHIPS, planned)
    assert figures["closed_unplanned"] == RELATIONSHIPS - planned
    funnel = report.section("funnel").figures
    assert (funnel["referred"], funnel["matched"]) == (REFERRALS, RELATIONSHIPS)
    assert funnel["ended_as_planned"] == planned
    assert funnel["consented"] == consents.values("mentee").distinct().count()
    by_purpose = next(t for t in report.section("contact").tables if t.key == "meetings_by_purpose")
    assert "Not recorded" in set(by_purpose.frame["Purpose"])
