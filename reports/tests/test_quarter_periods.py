"""A quarter's report set up before the quarter ends: the period may end on the last day of
the current quarter and no later, and what it counts stops at the day it is built, which the
json, the CSV files and the XLSX say."""

import datetime
import io
import json
import zipfile

import openpyxl
import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from mentees.models import Consent, Mentee, Referral
from relationships.models import Meeting, Relationship
from reports import services
from reports.build import NOT_STARTED, build_report
from reports.exports.csv_zip import to_csv_zip
from reports.exports.xlsx import to_xlsx
from reports.models import ReportExport
from reports.quarters import quarter_end
from reports.rows import load_rows
from schemes.models import Funding, Target
from schemes.tests.factories import MentorFactory, SchemeFactory

pytestmark = pytest.mark.django_db
D = datetime.date
NEW = reverse("reports:new")
BUILT_ON = D(2025, 8, 15)  # mid-quarter: the quarter runs to 30 September


def _too_late(last: D) -> str:
    return (
        f"The period can end on {last:%-d %B %Y} at the latest, the last day of the current quarter"
    )


def test_the_form_takes_a_period_ending_on_the_last_day_of_the_current_quarter(
    world, django_capture_on_commit_callbacks
):
    """A coordinator sets up this quarter's report before the quarter ends: it is asked for,
    with the quarter's last day as the period's end."""
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(world.coordinator_a).post(
            NEW,
            {
                "date_from": str(today.replace(day=1)),
                "date_to": str(quarter_end(today)),
                "schemes": [world.scheme_a.pk],
                "format": "json",
            },
        )
    export = ReportExport.objects.get()
    assert response["Location"] == reverse("reports:detail", args=[export.pk])
    assert export.date_to == quarter_end(today)


def test_the_form_refuses_a_period_ending_after_the_quarter_or_starting_after_today(world):
    """A day past the quarter's end is refused in words naming the latest day allowed; a
    period that starts tomorrow has nothing to count and says so; nothing is asked for."""
    today = timezone.localdate()
    last = quarter_end(today)
    client = client_for(world.coordinator_a)
    response = client.post(
        NEW,
        {
            "date_from": str(today),
            "date_to": str(last + datetime.timedelta(days=1)),
            "schemes": [world.scheme_a.pk],
            "format": "csv",
        },
    )
    assert _too_late(last) in response.content.decode()
    tomorrow = today + datetime.timedelta(days=1)
    response = client.post(
        NEW,
        {
            "date_from": str(tomorrow),
            "date_to": str(tomorrow),
            "schemes": [world.scheme_a.pk],
            "format": "csv",
        },
    )
    assert NOT_STARTED in response.content.decode()
    assert not ReportExport.objects.exists()


def test_the_service_takes_the_quarters_last_day_and_refuses_the_next(world):
    """Callers that skip the form get the same rule from the service."""
    today = timezone.localdate()
    last = quarter_end(today)
    ask = dict(by=world.coordinator_a, scheme_ids=[world.scheme_a.pk], format="json")
    export = services.report_export_request(date_from=today, date_to=last, **ask)
    assert export.date_to == last
    with pytest.raises(ValidationError) as refused:
        services.report_export_request(
            date_from=today, date_to=last + datetime.timedelta(days=1), **ask
        )
    assert refused.value.message_dict == {"date_to": [_too_late(last)]}


def test_the_command_takes_the_quarters_last_day_and_refuses_the_next():
    """``funder_report`` follows the same rule, saying which option is wrong."""
    scheme = SchemeFactory()
    today = timezone.localdate()
    last = quarter_end(today)
    out = io.StringIO()
    call_command(
        "funder_report", "--scheme", str(scheme.pk), "--from", str(today), "--to", str(last),
        stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue())["counted_to"] == today.isoformat()
    later = last + datetime.timedelta(days=1)
    with pytest.raises(CommandError) as refused:
        call_command(
            "funder_report", "--scheme", str(scheme.pk), "--from", str(today), "--to", str(later),
            stdout=io.StringIO(),
        )  # fmt: skip
    assert str(refused.value) == f"--to {later}: {_too_late(last)}."


def _at(day: D) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def mid_quarter(db):
    """Q3 2025, as it stood when built on 15 August: Ann referred 10 July, matched 20 July,
    met on 25 July and 1 August, and again on 20 August (after the build); her consent is
    dated 25 August. Bo was referred on 20 August. Scheme target: 5 referrals in Q3."""
    scheme = SchemeFactory(name="Northgate Resettlement")
    mentor = MentorFactory(scheme=scheme, active=True)
    ann, bo = Mentee.objects.bulk_create(
        [Mentee(scheme=scheme, reference="N1"), Mentee(scheme=scheme, reference="N2")]
    )
    Referral.objects.bulk_create(
        [
            Referral(mentee=ann, source="prison", referred_on=D(2025, 7, 10), status="matched",
                     status_changed_on=D(2025, 7, 20)),
            Referral(mentee=bo, source="prison", referred_on=D(2025, 8, 20), status="referred",
                     status_changed_on=D(2025, 8, 20)),
        ]
    )  # fmt: skip
    Consent.objects.create(
        mentee=ann, given_on=D(2025, 8, 25), information_sheet_version="v3",
        confirmed_voluntary=True, confirmed_recording=True,
    )  # fmt: skip
    match = Relationship.objects.create(mentee=ann, mentor=mentor, matched_on=D(2025, 7, 20))
    Meeting.objects.bulk_create(
        [
            Meeting(relationship=match, held_at=_at(day), mode="face_to_face", outcome="met",
                    purpose="goals", initiated_by="mentee", duration_minutes=60)
            for day in (D(2025, 7, 25), D(2025, 8, 1), D(2025, 8, 20))
        ]
    )  # fmt: skip
    Target.objects.create(
        scheme=scheme, stage="referred", starts_on=D(2025, 7, 1), ends_on=D(2025, 9, 30), number=5
    )
    return scheme


def test_a_report_built_mid_quarter_counts_nothing_after_that_day_and_says_so(mid_quarter):
    """Built on 15 August for July to September: Ann is referred, matched and met twice; her
    third meeting, her consent and Bo's referral came later and count nowhere. The report
    keeps its period, says it counted to 15 August (json, every XLSX sheet, the CSV's
    about file), and the Q3 target of 5 referrals is running with 1."""
    report = build_report(
        scheme_ids=[mid_quarter.pk], date_from=D(2025, 7, 1), date_to=D(2025, 9, 30),
        today=BUILT_ON,
    )  # fmt: skip
    funnel = report.section("funnel").figures
    assert (funnel["referred"], funnel["consented"], funnel["matched"]) == (1, 0, 1)
    assert (funnel["any_contact"], funnel["met_once"], funnel["met_3_plus"]) == (1, 0, 0)
    assert report.section("contact").figures["meetings_held"] == 2
    assert report.counted_to == BUILT_ON
    data = json.loads(json.dumps(report.to_json(), default=str))
    assert data["period"] == {"from": "2025-07-01", "to": "2025-09-30"}
    assert data["counted_to"] == "2025-08-15"
    (referred,) = data["targets"]["targets"]
    assert (referred["actual"], referred["target"], referred["status"]) == (1, 5, "running")
    assert [q["label"] for q in data["targets"]["trend"]["quarters"]] == [
        "Jul–Sep 2025 (to 15 Aug)"
    ]

    archive = zipfile.ZipFile(io.BytesIO(to_csv_zip(report)))
    about = pd.read_csv(archive.open("about.csv"), encoding="utf-8-sig").set_index("Item")
    assert about.loc["Figures counted to", "Value"] == "2025-08-15"
    assert about.loc["Period", "Value"] == (
        "1 July 2025 to 30 September 2025 (figures to 15 August 2025)"
    )
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    for sheet in book.sheetnames[1:-1]:  # each section's sheet, between About and Definitions
        assert "(figures to 15 August 2025)" in book[sheet]["A2"].value, sheet
    assert "Targets and trend by quarter" in book.sheetnames  # the whole title fits
    about_sheet = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about_sheet["Figures counted to"] == "2025-08-15"


def test_a_past_period_counts_to_its_end_and_sets_no_counted_to(mid_quarter):
    """Built after the quarter ended, the same period counts everything to 30 September:
    Ann consented and met three times, Bo is referred; nothing says "figures to"."""
    report = build_report(
        scheme_ids=[mid_quarter.pk], date_from=D(2025, 7, 1), date_to=D(2025, 9, 30),
        today=D(2025, 10, 2),
    )  # fmt: skip
    funnel = report.section("funnel").figures
    assert (funnel["referred"], funnel["consented"], funnel["met_3_plus"]) == (2, 1, 1)
    assert report.counted_to is None and report.to_json()["counted_to"] == "2025-09-30"
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    assert "figures to" not in book[book.sheetnames[1]]["A2"].value


def test_the_worker_builds_a_quarter_set_up_early_to_today(world):
    """Asked for on the web for this quarter, built by the worker: its json says it counted
    to today and keeps the quarter as its period, and the page's summary carries the day."""
    today = timezone.localdate()
    export = services.report_export_request(
        by=world.coordinator_a, scheme_ids=[world.scheme_a.pk], format="json",
        date_from=today.replace(day=1), date_to=quarter_end(today),
    )  # fmt: skip
    services.report_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE
    data = json.loads(bytes(export.content))
    assert data["counted_to"] == today.isoformat()
    assert data["period"]["to"] == quarter_end(today).isoformat()
    counted = None if today == quarter_end(today) else today.isoformat()
    assert export.summary["counted_to"] == counted  # for the page to say "figures to"
    keys = [s["key"] for s in export.summary["sections"]]
    assert "targets" in keys


@pytest.fixture
def grant(mid_quarter):
    """The Q3 scheme's grant from the Lottery, April 2024 to March 2027, with a person
    referred in May 2024 (matched, in the grant) and one in 2023 (before it)."""
    Funding.objects.create(
        scheme=mid_quarter, funder="Lottery", starts_on=D(2024, 4, 1), ends_on=D(2027, 3, 31)
    )
    early, before = Mentee.objects.bulk_create(
        [Mentee(scheme=mid_quarter, reference="N3"), Mentee(scheme=mid_quarter, reference="N4")]
    )
    Referral.objects.bulk_create(
        [
            Referral(mentee=early, source="court", referred_on=D(2024, 5, 2), status="matched",
                     status_changed_on=D(2024, 5, 9)),
            Referral(mentee=before, source="court", referred_on=D(2023, 6, 1), status="referred",
                     status_changed_on=D(2023, 6, 1)),
        ]
    )  # fmt: skip
    Relationship.objects.create(
        mentee=early, mentor=MentorFactory(scheme=mid_quarter, active=True),
        matched_on=D(2024, 5, 9),
    )  # fmt: skip
    return mid_quarter


def test_a_funders_trend_covers_its_grant_quarters_loading_only_those_rows(
    grant, django_assert_max_num_queries
):
    """The Lottery's report on Q3 2025 shows the trend from April 2024 (the grant's start) to
    15 August 2025: the person referred in May 2024 is in April to June 2024, matched. The wider
    rows start at the grant, so the 2023 referral is never loaded; it takes a fixed number of
    queries (the report's, the grant periods and the wider cohort's four)."""
    with django_assert_max_num_queries(19):
        report = build_report(
            scheme_ids=[grant.pk], date_from=D(2025, 7, 1), date_to=D(2025, 9, 30),
            funder="Lottery", today=BUILT_ON,
        )  # fmt: skip
    trend = report.section("targets").figures["trend"]
    assert trend["basis"] == "grant"
    quarters = trend["quarters"]
    assert quarters[0]["label"] == "Apr–Jun 2024" and quarters[-1]["label"] == (
        "Jul–Sep 2025 (to 15 Aug)"
    )
    assert len(quarters) == 6
    assert (quarters[0]["referred"], quarters[0]["matched"]) == (1, 1)
    assert (quarters[-1]["referred"], quarters[-1]["matched"]) == (1, 1)
    rows = load_rows(
        scheme_ids=[grant.pk], date_from=D(2025, 7, 1), date_to=D(2025, 9, 30),
        counted_to=BUILT_ON, funder="Lottery",
    )  # fmt: skip
    assert rows.span is not None and rows.span.date_from == D(2024, 4, 1)
    assert rows.span.referrals["referred_on"].min() == pd.Timestamp(2024, 5, 2)
    assert rows.span.referrals["referred_on"].max() == pd.Timestamp(2025, 7, 10)
    assert len(rows.referrals) == 1  # the report's own rows stop at 15 August
