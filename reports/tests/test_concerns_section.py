"""The concerns section: how many concerns were raised, acknowledged in time, escalated and
closed, counted on crafted rows and from the database, and never a concern's words in any
export."""

import datetime
import io
import json
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from concerns.models import Concern
from concerns.services import concern_acknowledge, concern_close, concern_raise
from reports.build import build_report
from reports.exports.csv_zip import to_csv_zip
from reports.exports.xlsx import to_xlsx
from reports.sections.concerns import concerns_section
from reports.tests.crafted import D, rows

WORDS = "He said his brother keeps a knife at the flat on Elm Road"


def concern(category, raised, *, acked=None, hours=None, in_time=False, escalated=False,
            closed=None, outcome=""):  # fmt: skip
    """A crafted row; the kind is only for the reader: the report never loads it."""
    return (1, raised, acked, hours, in_time, escalated, closed, outcome, False)


def test_concerns_counted_by_what_happened_in_the_period():
    """Raised, acknowledged (in time or not), escalated and closed are each counted for the
    period; hours to acknowledge are summarised; the open ones at the end are those raised
    by then and not closed."""
    r = rows(
        concerns=[
            concern(
                "safeguarding_mentee",
                D(2025, 2, 1),
                acked=D(2025, 2, 1),
                hours=3.0,
                in_time=True,
                closed=D(2025, 2, 20),
                outcome="referred",
            ),
            concern(
                "risk_to_mentor", D(2025, 6, 1), acked=D(2025, 6, 3), hours=50.0, escalated=True
            ),
            concern("risk_to_others", D(2025, 12, 30)),  # raised, nobody has acted yet
            # Raised the year before, closed in the period: closed counts, raised does not.
            concern(
                "other",
                D(2024, 12, 1),
                acked=D(2024, 12, 1),
                hours=1.0,
                in_time=True,
                closed=D(2025, 1, 5),
                outcome="no_further_action",
            ),
        ]
    )
    f = concerns_section(r).figures
    assert (f["raised"], f["acknowledged"], f["acknowledged_in_time"], f["escalated"]) == (
        3,
        2,
        1,
        1,
    )
    assert f["hours_to_acknowledge"] == {
        "count": 2,
        "median": 26.5,
        "mean": 26.5,
        "min": 3.0,
        "max": 50.0,
    }
    assert (f["closed"], f["open_at_period_end"]) == (2, 2)
    assert "by_category" not in f
    assert f["closed_by_outcome"]["referred"] == 1
    assert f["closed_by_outcome"]["no_further_action"] == 1
    assert f["closed_by_outcome"]["resolved"] == 0


def test_a_concern_carried_over_from_before_is_raised_but_not_timed():
    """A concern written on a meeting before Tandem tracked concerns counts as raised, but
    its acknowledgement (at the upgrade, years late) is not timed."""
    old = (1, D(2025, 2, 1), D(2025, 9, 1), 5000.0, False, False, None, "", True)
    f = concerns_section(rows(concerns=[old])).figures
    assert (f["raised"], f["acknowledged"], f["acknowledged_in_time"]) == (1, 0, 0)
    assert f["hours_to_acknowledge"]["count"] == 0


def test_no_concerns_gives_zeros_and_no_median():
    """A period with no concerns reports 0 and an empty summary, not an error."""
    f = concerns_section(rows()).figures
    assert f["raised"] == 0 and f["open_at_period_end"] == 0
    assert f["hours_to_acknowledge"]["count"] == 0
    assert f["hours_to_acknowledge"]["median"] is None


@pytest.mark.django_db
def test_concerns_from_the_database_and_never_their_words(world):
    """Concerns raised through the service are loaded with their hours to acknowledge and
    whether they went to the managers; the CSV, XLSX and JSON exports carry the counts and
    never the words a mentor wrote."""
    now = timezone.now()
    quick = concern_raise(
        by=world.mentor_a,
        mentee=world.mentee_a,
        relationship=world.relationship_a,
        category="safeguarding_mentee",
        urgency="today",
        words=WORDS,
    )
    slow = concern_raise(
        by=world.coordinator_a,
        mentee=world.mentee_a_unmatched,
        category="risk_to_mentor",
        urgency="routine",
        words=WORDS + " (second)",
    )
    # Raised two days ago; the slow one waited 30 hours (past its 24) and was escalated.
    raised = now - datetime.timedelta(days=2)
    Concern.objects.filter(pk__in=[quick.pk, slow.pk]).update(
        raised_at=raised, due_at=raised + datetime.timedelta(hours=24)
    )
    Concern.objects.filter(pk=slow.pk).update(escalated_at=raised + datetime.timedelta(hours=25))
    concern_acknowledge(by=world.coordinator_a, concern=quick)
    concern_acknowledge(by=world.coordinator_a, concern=slow)
    Concern.objects.filter(pk=quick.pk).update(acknowledged_at=raised + datetime.timedelta(hours=2))
    Concern.objects.filter(pk=slow.pk).update(acknowledged_at=raised + datetime.timedelta(hours=30))
    concern_close(by=world.coordinator_a, concern=quick, outcome="referred", note=WORDS)
    # And one nobody has acknowledged yet: no time to acknowledge, still open.
    concern_raise(
        by=world.mentor_a,
        mentee=world.mentee_a,
        relationship=world.relationship_a,
        category="other",
        urgency="routine",
        words=WORDS,
    )

    today = timezone.localdate()
    report = build_report(
        scheme_ids=[world.scheme_a.pk],
        date_from=today - datetime.timedelta(days=30),
        date_to=today,
    )
    section = next(s for s in report.sections if s.key == "concerns")
    f = section.figures
    assert (f["raised"], f["acknowledged"], f["acknowledged_in_time"], f["escalated"]) == (
        3,
        2,
        1,
        1,
    )
    assert (f["hours_to_acknowledge"]["min"], f["hours_to_acknowledge"]["max"]) == (2.0, 30.0)
    assert (f["closed"], f["open_at_period_end"]) == (1, 2)
    assert f["closed_by_outcome"]["referred"] == 1

    texts = [json.dumps(report.to_json(), default=str)]
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(report))) as archive:
        names = archive.namelist()
        texts += [archive.read(name).decode() for name in names]
    assert any("concerns_by_outcome" in name for name in names)
    book = load_workbook(io.BytesIO(to_xlsx(report)), read_only=True)
    texts += [str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
              for cell in row]  # fmt: skip
    everything = "\n".join(texts)
    assert "Referred to another agency" in everything  # the outcomes' counts are there
    assert "knife" not in everything and "Elm Road" not in everything
    assert "Safeguarding the mentee" not in everything  # nor what a concern was about
