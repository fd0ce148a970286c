"""A known dataset in the database, built with bulk_create: every funnel figure and rate of
the report and of ``funder_report --format json`` is asserted exactly, the json keeps its
stable keys, and no name or note reaches it."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditEvent
from mentees.models import Consent, Mentee, Referral
from relationships.models import Meeting, Relationship
from reports.build import build_report, schemes_for_funder
from reports.sections.funnel import FUNNEL_KEYS
from schemes.models import Funding
from schemes.tests.factories import MentorFactory, SchemeFactory

D = datetime.date
FROM, TO = D(2025, 1, 1), D(2025, 12, 31)
NAME = "Zebedee"
FAMILY = "Quarrington-Smythe"
NOTE = "Talked about his sister in Hull"
PRIVATE = "Private worry about the hostel"
REASON = "Referred after an incident at the bus station"

# Who met how: (meetings held face to face, held by phone, not held face to face), and
# whether their relationship closed as planned. Everyone else matched never met.
CONTACT = {
    1: (6, 0, 0, True),  # met 5+, face to face, ended as planned
    2: (1, 4, 0, False),  # met 5+
    3: (3, 0, 0, False),  # met 3+
    4: (1, 0, 0, False),  # met exactly once, face to face
    5: (0, 2, 0, False),  # phone only
    6: (0, 2, 1, False),  # phone only; the face-to-face meeting was missed
}


def at(day: D) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def dataset(db):
    """Scheme A: 200 people referred in 2025, 150 consented, 20 matched, 6 with any contact,
    4 face to face, 3 met 3+, 2 met 5+, 1 ended as planned, 1 met exactly once. Around them:
    a person referred in 2024, a second referral of one person in 2025, a consent withdrawn
    before the referral, meetings after the period end, and scheme B's people."""
    scheme, other = SchemeFactory(name="Northgate Resettlement"), SchemeFactory()
    Funding.objects.create(
        scheme=scheme, funder="Ministry of Justice", starts_on=D(2024, 4, 1), ends_on=D(2027, 3, 31)
    )
    mentors = [MentorFactory(scheme=scheme, active=True) for _ in range(4)]
    people = Mentee.objects.bulk_create(
        [
            Mentee(scheme=scheme, reference=f"N{i:04d}", given_name=NAME, family_name=FAMILY)
            for i in range(1, 202)
        ]
        + [
            Mentee(scheme=other, reference=f"R{i:04d}", given_name=NAME, family_name=FAMILY)
            for i in range(1, 4)
        ]
    )
    cohort, earlier, others = people[:200], people[200], people[201:]
    referrals = []
    for i, person in enumerate(cohort, start=1):
        on = D(2025, 1 + i % 6, 1 + i % 27)
        matched = i <= 20
        referrals.append(
            Referral(
                mentee=person,
                source="prison" if i <= 6 else "probation",
                referred_on=on,
                reason=REASON,
                referrer_name=f"{NAME} {FAMILY}",
                status="matched" if matched else ("referred" if i != 199 else "withdrawn"),
                exit_reason="" if i != 199 else "bad_timing",
                status_changed_on=on,
            )
        )
    # Person 200 was referred again later in the year: still one person in the cohort.
    referrals[199].status, referrals[199].exit_reason = "withdrawn", "no_response"
    referrals.append(
        Referral(
            mentee=cohort[199],
            source="court",
            referred_on=D(2025, 11, 1),
            reason=REASON,
            status="referred",
            status_changed_on=D(2025, 11, 1),
        )
    )
    referrals.append(
        Referral(
            mentee=earlier,
            source="prison",
            referred_on=D(2024, 12, 31),
            reason=REASON,
            status="matched",
            status_changed_on=D(2024, 12, 31),
        )
    )
    referrals += [
        Referral(
            mentee=p,
            source="court",
            referred_on=D(2025, 3, 1),
            reason=REASON,
            status="referred",
            status_changed_on=D(2025, 3, 1),
        )
        for p in others
    ]
    Referral.objects.bulk_create(referrals)
    consents = [
        Consent(
            mentee=p,
            given_on=D(2025, 7, 1),
            information_sheet_version="v3",
            confirmed_voluntary=True,
            confirmed_recording=True,
        )
        for p in cohort[:150]
    ]
    consents.append(
        Consent(
            mentee=cohort[160],
            given_on=D(2024, 1, 1),
            withdrawn_on=D(2024, 2, 1),
            information_sheet_version="v2",
            confirmed_voluntary=True,
            confirmed_recording=True,
        )
    )
    Consent.objects.bulk_create(consents)
    relationships = []
    for i, person in enumerate(cohort[:20], start=1):
        planned = CONTACT.get(i, (0, 0, 0, False))[3]
        relationships.append(
            Relationship(
                mentee=person,
                mentor=mentors[i % 4],
                matched_on=D(2025, 7, 10),
                status="closed" if planned else "active",
                closed_on=D(2025, 12, 1) if planned else None,
                closure_type="planned" if planned else "",
                closure_reason="goals_achieved" if planned else "",
                final_review=NOTE if planned else "",
            )
        )
    relationships.append(Relationship(mentee=earlier, mentor=mentors[0], matched_on=D(2025, 1, 20)))
    relationships = Relationship.objects.bulk_create(relationships)
    meetings = []
    for i, (f2f, phone, missed, _) in CONTACT.items():
        r = relationships[i - 1]
        plan = [("face_to_face", "met")] * f2f + [("phone", "met")] * phone
        plan += [("face_to_face", "did_not_attend")] * missed
        for n, (mode, outcome) in enumerate(plan):
            meetings.append(
                Meeting(
                    relationship=r,
                    held_at=at(D(2025, 8, 1 + n)),
                    mode=mode,
                    outcome=outcome,
                    purpose="goals",
                    initiated_by="mentee",
                    duration_minutes=45,
                    note_shared=NOTE,
                    note_private=PRIVATE,
                )
            )
    # After the period end: person 4 still met exactly once in 2025.
    meetings.append(
        Meeting(
            relationship=relationships[3],
            held_at=at(D(2026, 1, 5)),
            mode="face_to_face",
            purpose="goals",
            initiated_by="mentee",
        )
    )
    # The person referred in 2024 is not in the cohort, however much they met.
    meetings += [
        Meeting(
            relationship=relationships[20],
            held_at=at(D(2025, 2, 1 + n)),
            mode="face_to_face",
            purpose="goals",
            initiated_by="mentee",
        )
        for n in range(6)
    ]
    Meeting.objects.bulk_create(meetings)
    return scheme, other


EXPECTED = {
    "referred": 200,
    "consented": 150,
    "matched": 20,
    "any_contact": 6,
    "face_to_face": 4,
    "met_once": 1,
    "met_3_plus": 3,
    "met_5_plus": 2,
    "ended_as_planned": 1,
}


def assert_known_funnel(funnel: dict) -> None:
    assert {key: funnel[key] for key in FUNNEL_KEYS} == EXPECTED
    assert funnel["conversion"] == {
        "consented": 150 / 200,
        "matched": 20 / 150,
        "any_contact": 6 / 20,
        "face_to_face": 4 / 6,
        "met_3_plus": 3 / 4,
        "met_5_plus": 2 / 3,
        "ended_as_planned": 1 / 2,
        "met_once": 1 / 6,
    }
    assert funnel["share_of_referred"] == {key: n / 200 for key, n in EXPECTED.items()}


def test_known_dataset_gives_every_funnel_figure_and_rate_exactly(dataset):
    """200 referred down to 1 ended as planned: each count, each conversion from the stage
    before and each share of all referred, in total, for the scheme and by source."""
    scheme, _ = dataset
    report = build_report(scheme_ids=[scheme.pk], date_from=FROM, date_to=TO)
    funnel = report.section("funnel").figures
    assert_known_funnel(funnel)
    assert list(funnel["by_scheme"]) == [str(scheme.pk)]
    assert_known_funnel(funnel["by_scheme"][str(scheme.pk)])
    prison = funnel["by_source"]["prison"]
    assert (prison["referred"], prison["any_contact"], prison["met_5_plus"]) == (6, 6, 2)
    assert funnel["by_source"]["court"]["referred"] == 0  # person 200 counts by their first
    assert funnel["stopped_before_match"]["bad_timing"] == 1
    contact = report.section("contact").figures
    assert contact["mentees_with_contact"] == 6
    assert contact["meetings_held"] == 19 and contact["meetings_arranged"] == 20


def test_the_report_loads_in_a_fixed_number_of_queries(dataset, django_assert_max_num_queries):
    """Set-wise loading: the whole report is at most 14 queries (a kind of row each, the
    targets among them), however many rows."""
    scheme, other = dataset
    with django_assert_max_num_queries(14):
        build_report(scheme_ids=[scheme.pk, other.pk], date_from=FROM, date_to=TO)


def test_funder_report_json_has_the_stable_keys_and_no_names_or_notes(dataset, tmp_path):
    """The command's json: the documented top-level keys and funnel keys, the same exact
    figures, no mentee's name, referral reason or meeting note anywhere, and an audit event
    for the export."""
    scheme, _ = dataset
    out = tmp_path / "report.json"
    call_command(
        "funder_report",
        "--scheme",
        str(scheme.pk),
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--format",
        "json",
        "--out",
        str(out),
        stderr=io.StringIO(),
    )
    text = out.read_text()
    data = json.loads(text)
    assert list(data) == [
        "period",
        "schemes",
        "funder",
        "generated_at",
        "counted_to",
        "funnel",
        "readiness",
        "timeliness",
        "contact",
        "relationships",
        "outcomes",
        "mentors",
        "flags",
        "concerns",
        "targets",
        "equality",
    ]
    assert data["counted_to"] == "2025-12-31"  # a past period: counted to its end
    assert data["period"] == {"from": "2025-01-01", "to": "2025-12-31"}
    assert data["schemes"] == [{"id": scheme.pk, "name": "Northgate Resettlement"}]
    assert_known_funnel(data["funnel"])
    assert set(data["funnel"]["by_scheme"][str(scheme.pk)]) >= set(FUNNEL_KEYS)
    for secret in (NAME, FAMILY, NOTE, PRIVATE, REASON, "N0001"):
        assert secret not in text
    event = AuditEvent.objects.get(action="report.exported")
    assert event.target_id == str(scheme.pk) and event.scheme == scheme
    assert event.detail["format"] == "json" and event.actor is None


def test_every_json_key_is_documented(dataset):
    """docs/reports.md names every top-level figure of every section (the stable format)."""
    scheme, _ = dataset
    report = build_report(scheme_ids=[scheme.pk], date_from=FROM, date_to=TO)
    docs = (Path(__file__).resolve().parents[2] / "docs" / "reports.md").read_text()
    for section in report.sections:
        assert f"`{section.key}`" in docs
        for key in section.figures:
            assert f"`{key}`" in docs, (section.key, key)


def test_funder_report_by_funder_and_its_clear_errors(dataset):
    """--funder picks the schemes funded in the period; unknown schemes, a period that ends
    before it starts, a bad date and a format not written yet are refused in plain words."""
    scheme, _ = dataset
    assert list(schemes_for_funder("ministry of justice", FROM, TO)) == [scheme]
    assert list(schemes_for_funder("Ministry of Justice", D(2028, 1, 1), D(2028, 2, 1))) == []
    out = io.StringIO()
    call_command(
        "funder_report",
        "--funder",
        "Ministry of Justice",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        stdout=out,
    )
    assert json.loads(out.getvalue())["funder"] == "Ministry of Justice"

    def fails(*args: str) -> str:
        with pytest.raises(CommandError) as error:
            call_command("funder_report", *args, stdout=io.StringIO())
        return str(error.value)

    assert "no scheme with id 999999" in fails(
        "--scheme", "999999", "--from", "2025-01-01", "--to", "2025-12-31"
    )
    assert "after" in fails(
        "--scheme", str(scheme.pk), "--from", "2025-12-31", "--to", "2025-01-01"
    )
    assert "YYYY-MM-DD" in fails(
        "--scheme", str(scheme.pk), "--from", "31/12/2025", "--to", "2025-12-31"
    )
    assert "No scheme has funding" in fails(
        "--funder", "Nobody", "--from", "2025-01-01", "--to", "2025-12-31"
    )
