"""Retention and erasure replayed as the issue found them: records kept for ever, no way to
erase a person, no subject-access export. Each test shows the gap is closed."""

import datetime
import json
import shutil
import subprocess

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import World, client_for
from mentees.models import Mentee
from privacy.anonymise import REMOVED
from privacy.models import SubjectAccessExport
from privacy.services import retention_run
from privacy.tests.people import WORDS, person_with_everything
from reports.build import build_report
from reports.quarters import quarter_end, quarter_start
from reports.rows import load_rows
from reports.services import summary


def _ended(world: World, years: int, days: int = 0):
    """A person of scheme A whose referral and match ended ``years`` years (and ``days``
    days) ago."""
    today = timezone.localdate()
    ended = today.replace(year=today.year - years) - datetime.timedelta(days=days)
    return person_with_everything(
        scheme=world.scheme_a,
        mentor=world.mentor_file_a,
        staff=world.coordinator_a,
        ended_on=ended,
    )


def _figures(scheme_id: int, date_from: datetime.date, date_to: datetime.date):
    rows = load_rows(scheme_ids=[scheme_id], date_from=date_from, date_to=date_to)
    frames = {
        kind: getattr(rows, kind).to_json(orient="split", date_format="iso")
        for kind in (
            *("referrals", "consents", "relationships", "meetings", "goals", "scores"),
            *("flags", "concerns"),
        )
    }
    report = build_report(scheme_ids=[scheme_id], date_from=date_from, date_to=date_to)
    return summary(report), frames


def test_a_run_anonymises_a_person_past_retention_and_keeps_one_who_is_not(world):
    """Six years (the default) and a day after the end, the person's names, contact
    details, date of birth, prison number and every note about them are gone; someone whose
    record ended five years ago is untouched."""
    old = _ended(world, 6, days=1)
    recent = _ended(world, 5)
    retention_run()
    old.mentee.refresh_from_db()
    assert old.mentee.anonymised_at is not None
    assert str(old.mentee) == "Record anonymised"
    assert (old.mentee.date_of_birth, old.mentee.external_reference) == (None, "")
    assert (old.mentee.phone, old.mentee.email, old.mentee.strengths) == ("", "", "")
    assert old.mentee.reference  # the pseudonymous reference stays
    old.referral.refresh_from_db()
    assert old.referral.reason == REMOVED and old.referral.referrer_name == ""
    old.concern.refresh_from_db()
    assert old.concern.words == REMOVED and old.concern.closing_note == ""
    meeting = old.relationship.meetings.get()
    assert (meeting.note_shared, meeting.note_private) == ("", "")
    assert old.relationship.goals.get().title == REMOVED
    recent.mentee.refresh_from_db()
    assert recent.mentee.anonymised_at is None
    assert recent.relationship.meetings.get().note_shared == WORDS["meeting"]


def _without_age(figures):
    """The figures less what the date of birth gives: the age-band table and column."""
    report, frames = figures
    sections = [
        {**s, "tables": [t for t in s["tables"] if t["key"] != "equality_by_age_band"]}
        for s in report["sections"]
    ]
    referrals = json.loads(frames["referrals"])
    at = referrals["columns"].index("age_band")
    bands = [row.pop(at) for row in referrals["data"]]
    referrals["columns"].pop(at)
    return {"sections": sections}, {**frames, "referrals": json.dumps(referrals)}, bands


def test_a_past_funder_report_gives_the_same_figures_after_the_run(world):
    """The report over the anonymised people's period, its figures and every row it is
    computed from, is the same before the run and after, the equality answers included:
    all but the age bands, since the date of birth they come from is removed (an age band
    is never stored); those people then count as "date of birth not recorded"."""
    people = [_ended(world, 7) for _ in range(6)]  # six: no small-number suppression
    for person in people:
        Mentee.objects.filter(pk=person.mentee.pk).update(gender="woman", ethnicity="white_irish")
    ended = people[0].referral.status_changed_on
    # Whole quarters: the only periods the equality breakdown is shown for.
    date_from = quarter_start(ended - datetime.timedelta(days=365))
    date_to = quarter_end(ended)
    before = _without_age(_figures(world.scheme_a.pk, date_from, date_to))
    assert before[0]["sections"][0]["tables"][0]["rows"], "the report has figures to compare"
    tables = {t["key"]: t for s in before[0]["sections"] for t in s["tables"]}
    assert tables["equality_by_gender"]["rows"][0][:2] == ["Woman", 6], "answers are counted"
    assert before[2] and "" not in before[2], "everyone had an age band"
    run = retention_run()
    assert run.people_anonymised == 6
    after = _without_age(_figures(world.scheme_a.pk, date_from, date_to))
    assert after[:2] == before[:2]
    assert after[2] == [""] * len(before[2])


def test_a_second_run_anonymises_nobody_and_every_run_is_audited(world):
    """Each run writes one event with its counts and one per person anonymised; running it
    again changes nothing and anonymises nobody twice."""
    person = _ended(world, 8)
    first = retention_run()
    stamp = Mentee.objects.get(pk=person.mentee.pk).anonymised_at
    second = retention_run()
    assert (first.people_anonymised, second.people_anonymised) == (1, 0)
    assert Mentee.objects.get(pk=person.mentee.pk).anonymised_at == stamp
    runs = AuditEvent.objects.filter(action="retention.run").order_by("pk")
    assert [e.detail["people_anonymised"] for e in runs] == [1, 0]
    people = AuditEvent.objects.filter(action="mentee.anonymised")
    assert [e.target_id for e in people] == [str(person.mentee.pk)]


def test_erasure_is_for_managers_and_keeps_the_reason_out_of_the_audit(world):
    """A coordinator cannot erase (403 in their scheme, 404 in another); a manager erases
    with a reason; the audit records the reason's code, never the note."""
    person = _ended(world, 1)
    url = reverse("privacy:erase", args=[person.mentee.pk])
    data = {"reason": "other", "note": "Letter of 3 May from his solicitor"}
    assert client_for(world.coordinator_a).post(url, data).status_code == 403
    assert client_for(world.coordinator_b).post(url, data).status_code == 404
    response = client_for(world.manager).post(url, data)
    assert response.status_code == 302
    person.mentee.refresh_from_db()
    assert str(person.mentee) == "Record anonymised"
    assert person.mentee.erasure.note == data["note"]
    event = AuditEvent.objects.get(action="mentee.erased")
    assert event.detail == {"erasure": person.mentee.erasure.pk, "reason": "other"}
    assert "solicitor" not in json.dumps(list(AuditEvent.objects.values("detail")))


def test_a_subject_access_export_downloads_only_once_released(world, tmp_path):
    """The draft is refused (404); released, the JSON parses and the PDF is a PDF whose
    text names the person's goal."""
    person = _ended(world, 1)
    client = client_for(world.manager)
    client.post(reverse("privacy:access_generate", args=[person.mentee.pk]))
    export = SubjectAccessExport.objects.get(mentee=person.mentee)
    download = reverse("privacy:access_download", args=[export.pk, "json"])
    assert client.get(download).status_code == 404
    client.post(reverse("privacy:access_release", args=[export.pk]))
    record = json.loads(client.get(download).content)
    assert record["reference"] == person.mentee.reference
    pdf = client.get(reverse("privacy:access_download", args=[export.pk, "pdf"])).content
    (tmp_path / "sar.pdf").write_bytes(pdf)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils missing: scripts/with-services installs it (make test)"
    text = subprocess.run(  # noqa: S603 (our own fixed arguments)
        [pdftotext, str(tmp_path / "sar.pdf"), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert WORDS["goal"] in text
