"""The worked examples in docs/examples/ import, in the documented order, into a fresh scheme:
each dry run writes nothing, each import writes what the files say and nothing the records do
not hold (no names, consent dates or DBS checks invented), and the funder report then counts
the history: consent recorded before Tandem as consented, closures as ended."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.tests.factories import MembershipFactory
from conftest import client_for
from home.importers import run_import
from mentees.models import Consent, Mentee, Referral
from relationships.models import Meeting, Relationship
from reports.build import build_report
from schemes.mentors.records import DBSCheck
from schemes.models import Mentor
from schemes.tests.factories import SchemeFactory

EXAMPLES = Path(settings.BASE_DIR) / "docs" / "examples"
ORDER = ["mentors", "mentees", "relationships", "meetings"]
D = datetime.date


@pytest.fixture
def imported(db):
    """A fresh scheme with the four example files imported, each after its dry run."""
    scheme = SchemeFactory(name="Example scheme")
    by = MembershipFactory(scheme=scheme).user
    dry_runs = {}
    for kind in ORDER:
        data = (EXAMPLES / f"{kind}.csv").read_bytes()
        dry = run_import(kind=kind, by=by, scheme=scheme, data=data, dry_run=True)
        dry_runs[kind] = (dry.ok, dry.problems)
        report = run_import(kind=kind, by=by, scheme=scheme, data=data, dry_run=False)
        assert report.ok and report.created == report.rows, (kind, report.problems)
    return scheme, by, dry_runs


def test_each_example_passes_its_dry_run(imported):
    """Every example file is valid as it stands: its dry run finds no problem."""
    _, _, dry_runs = imported
    assert dry_runs == {kind: (True, []) for kind in ORDER}


def test_a_dry_run_of_the_first_file_writes_nothing(db):
    """The dry run checks and writes nothing, even for a file with no problems."""
    scheme = SchemeFactory()
    by = MembershipFactory(scheme=scheme).user
    data = (EXAMPLES / "mentors.csv").read_bytes()
    assert run_import(kind="mentors", by=by, scheme=scheme, data=data, dry_run=True).ok
    assert not Mentor.objects.filter(scheme=scheme).exists()


def test_mentors_who_left_import_without_current_vetting(imported):
    """A mentor who left keeps the check they had (expired) or none at all; nothing is
    invented, and a mentor known only by reference is shown by it."""
    scheme, _, _ = imported
    mentors = {m.reference: m for m in Mentor.objects.filter(scheme=scheme)}
    assert {r: m.status for r, m in mentors.items()} == {
        "M-101": "left",
        "M-102": "left",
        "M-103": "in_training",
    }
    assert mentors["M-101"].status_since == D(2023, 6, 30)
    checks = DBSCheck.objects.filter(mentor__scheme=scheme)
    assert [(c.mentor.reference, c.expires_on) for c in checks] == [("M-101", D(2024, 3, 20))]
    assert (mentors["M-102"].given_name, str(mentors["M-102"])) == ("", "M-102")


def test_consent_recorded_before_tandem_has_no_invented_date_or_sheet(imported):
    """P-2002 and P-2003's consent is recorded before Tandem, with no date and no sheet."""
    scheme, _, _ = imported
    consents = {c.mentee.reference: c for c in Consent.objects.filter(mentee__scheme=scheme)}
    assert set(consents) == {"P-2001", "P-2002", "P-2003"}
    for reference in ("P-2002", "P-2003"):
        consent = consents[reference]
        assert (consent.recorded_before_tandem, consent.given_on) == (True, None)
        assert consent.information_sheet_version == ""
    dated = consents["P-2001"]
    assert (dated.recorded_before_tandem, dated.given_on, dated.information_sheet_version) == (
        False,
        D(2021, 3, 15),
        "v1",
    )
    assert list(
        Mentee.objects.filter(scheme=scheme, given_name="")
        .values_list("reference", flat=True)
        .order_by("reference")
    ) == ["P-2002", "P-2005"]


def test_past_relationships_import_with_their_end_and_the_referrals_end(imported):
    """Each closed relationship keeps its end date, closure kind and reason; each person's
    referral follows to ended on that day."""
    scheme, _, _ = imported
    closed = {
        r.mentee.reference: (r.status, r.closed_on, r.closure_type, r.closure_reason)
        for r in Relationship.objects.filter(mentee__scheme=scheme).select_related("mentee")
    }
    assert closed == {
        "P-2001": ("closed", D(2022, 3, 31), "planned", "goals_achieved"),
        "P-2002": ("closed", D(2021, 8, 15), "unplanned", "lost_contact"),
        "P-2003": ("closed", D(2021, 9, 30), "unplanned", "custody"),
    }
    referrals = {
        r.mentee.reference: (r.status, r.status_changed_on)
        for r in Referral.objects.filter(mentee__scheme=scheme).select_related("mentee")
    }
    assert referrals["P-2001"] == ("ended", D(2022, 3, 31))
    assert referrals["P-2002"] == ("ended", D(2021, 8, 15))


def test_old_meetings_keep_their_purpose_not_recorded_and_their_length(imported):
    """Meetings whose records do not say what they were for are imported as not recorded;
    every meeting has the length the file gives."""
    scheme, _, _ = imported
    meetings = Meeting.objects.filter(relationship__mentee__scheme=scheme)
    assert meetings.count() == 6
    assert meetings.filter(purpose="not_recorded").count() == 2
    assert sorted(meetings.values_list("duration_minutes", flat=True)) == [30, 40, 45, 60, 60, 90]


def test_the_funder_report_counts_the_history(imported):
    """Consent before Tandem counts as consented; the closures count as ended, planned and
    unplanned; the old meetings show as "Not recorded" by purpose."""
    scheme, _, _ = imported
    report = build_report(scheme_ids=[scheme.pk], date_from=D(2020, 1, 1), date_to=D(2023, 12, 31))
    funnel = report.section("funnel").figures
    stages = ("referred", "consented", "matched", "ended_as_planned")
    assert [funnel[key] for key in stages] == [5, 3, 3, 1]
    relationships = report.section("relationships").figures
    assert (relationships["closed"], relationships["closed_planned"]) == (3, 1)
    assert relationships["closed_unplanned"] == 2
    by_purpose = next(t for t in report.section("contact").tables if t.key == "meetings_by_purpose")
    labels = dict(zip(by_purpose.frame["Purpose"], by_purpose.frame["Meetings held"], strict=True))
    assert labels["Not recorded"] == 2


def test_pages_show_people_known_only_by_reference(imported):
    """The mentee page and list show the reference where no name was recorded, and the
    consent recorded before Tandem reads as such."""
    scheme, by, _ = imported
    client = client_for(by)
    nameless = Mentee.objects.get(scheme=scheme, reference="P-2002")
    page = client.get(reverse("mentees:detail", args=[nameless.pk])).content.decode()
    assert '<h1 class="h3 mb-0">P-2002</h1>' in page
    listing = client.get(reverse("mentees:list") + "?q=P-2002").content.decode()
    assert "P-2002" in listing
