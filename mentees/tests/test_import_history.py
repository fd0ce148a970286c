"""History imported as history: consent the scheme's records show was given before Tandem,
without a date or sheet the records do not hold, and people known only by their reference.
Every page, export and count that reads consent copes with one that has no date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from home.overview import target_progress
from mentees.assessment.services import consent_record, consent_withdraw
from mentees.imports import mentees_import
from mentees.models import Consent, Mentee, Referral
from mentees.selectors import consent_withdrawn, mentee_timeline, referral_facts
from privacy.record import subject_access_record
from schemes.models import FunnelStage, Scheme, Target

HEADER = (
    "reference,given_name,family_name,referral_source,referred_on,referral_status,"
    "status_changed_on,exit_reason,consent_given_on,consent_sheet_version,"
    "consent_recorded_before_tandem\n"
)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def run(world, text: str):
    return mentees_import(by=world.coordinator_a, scheme=world.scheme_a, data=text.encode())


def before_tandem(world, reference: str = "H-1", names: str = ",") -> Mentee:
    """A person waiting for a match, whose consent is recorded before Tandem, undated."""
    row = f"{reference},{names},probation,{days_ago(40)},awaiting_match,{days_ago(30)},,,,yes\n"
    report = run(world, HEADER + row)
    assert report.ok, report.problems
    return Mentee.objects.get(scheme=world.scheme_a, reference=reference)


def test_consent_recorded_before_tandem_imports_without_a_date_or_sheet(world):
    """Nothing is invented: no date, no sheet version, nobody named as explaining it."""
    mentee = before_tandem(world)
    consent = mentee.consents.get()
    assert (consent.given_on, consent.information_sheet_version) == (None, "")
    assert (consent.recorded_before_tandem, consent.explained_by) == (True, None)
    assert mentee.referrals.get().status == Referral.Status.AWAITING_MATCH


def test_a_known_date_or_sheet_is_kept_with_consent_before_tandem(world):
    """When the records hold the sheet but not the date, the sheet is kept and no date made."""
    row = f"H-2,,,prison,{days_ago(40)},awaiting_match,{days_ago(30)},,,v0.9,yes\n"
    assert run(world, HEADER + row).ok
    consent = Consent.objects.get(mentee__reference="H-2")
    assert (consent.given_on, consent.information_sheet_version) == (None, "v0.9")


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (
            f"H-3,,,prison,{days_ago(40)},awaiting_match,,,,,no\n",
            "consent_given_on",
            "consent_recorded_before_tandem: yes",
        ),
        (
            f"H-3,,,prison,{days_ago(40)},,,,,v2,\n",
            "consent_sheet_version",
            "Only for someone whose consent is recorded.",
        ),
        (
            f"H-3,,,prison,{days_ago(40)},,,,,,maybe\n",
            "consent_recorded_before_tandem",
            "“maybe” is not a known code. Use one of: yes, no.",
        ),
    ],
)
def test_consent_without_its_evidence_is_refused_in_words(world, row, column, words):
    """Waiting without any recorded consent, a sheet without consent, and a yes/no that is
    neither: each says what to write, and nothing is written."""
    report = run(world, HEADER + row)
    assert [(p.column, words in p.message) for p in report.problems] == [(column, True)]
    assert not Mentee.objects.filter(reference="H-3").exists()


def test_consent_withdrawn_before_tandem_is_imported_as_withdrawn(world):
    """An undated consent withdrawn on the day the referral stopped."""
    row = f"H-4,,,prison,{days_ago(40)},withdrawn,{days_ago(20)},consent_withdrawn,,,yes\n"
    assert run(world, HEADER + row).ok
    consent = Consent.objects.get(mentee__reference="H-4")
    assert (consent.given_on, consent.withdrawn_on) == (None, days_ago(20))


def test_people_known_only_by_reference_are_shown_by_it(world):
    """No names in the file: the page, the list and a search show and find the reference."""
    mentee = before_tandem(world, "REF-77")
    assert (mentee.given_name, mentee.family_name, str(mentee)) == ("", "", "REF-77")
    client = client_for(world.coordinator_a)
    page = client.get(reverse("mentees:detail", args=[mentee.pk])).content.decode()
    assert '<h1 class="h3 mb-0">REF-77</h1>' in page
    assert "<title>REF-77 · Tandem</title>" in page
    found = client.get(reverse("mentees:list"), {"q": "REF-77"}).content.decode()
    assert 'fw-semibold">REF-77<' in found


def test_the_mentee_page_and_timeline_say_consent_was_recorded_before_tandem(world):
    """The consent card and the timeline say what is known, never a blank date or sheet, nor
    the day of the import as if consent were given then: it comes first, "Before Tandem"."""
    mentee = before_tandem(world)
    page = client_for(world.coordinator_a).get(reverse("mentees:detail", args=[mentee.pk]))
    text = page.content.decode()
    assert "Recorded before Tandem (date not recorded)" in text
    assert "information sheet not recorded" in text
    first = mentee_timeline(mentee)[0]  # before the referral: before anything Tandem holds
    assert (first.on, first.title, first.detail) == (
        None,
        "Consent recorded before Tandem",
        "Information sheet not recorded",
    )
    assert ">Before Tandem</span>" in text


def test_the_referrals_next_step_counts_consent_before_tandem_as_current(world):
    """Someone waiting with consent recorded before Tandem is ready: current, not withdrawn."""
    mentee = before_tandem(world)
    facts = referral_facts(mentee.referrals.get())
    assert (facts.consent_current, facts.consent_withdrawn) == (True, False)


def test_consent_given_again_in_tandem_is_the_latest_after_an_undated_one(world):
    """An undated consent, withdrawn, then consent given again in Tandem: the new one is the
    latest, so the person is not treated as withdrawn."""
    row = f"H-5,,,prison,{days_ago(40)},withdrawn,{days_ago(20)},consent_withdrawn,,,yes\n"
    assert run(world, HEADER + row).ok
    mentee = Mentee.objects.get(reference="H-5")
    assert consent_withdrawn(mentee)
    consent_record(
        by=world.coordinator_a,
        mentee=mentee,
        given_on=days_ago(5),
        information_sheet_version="v3",
        confirmed_voluntary=True,
        confirmed_recording=True,
    )
    assert not consent_withdrawn(mentee)


def test_consent_before_tandem_can_be_withdrawn_in_the_app(world):
    """Withdrawal works on an undated consent, as on any other."""
    mentee = before_tandem(world)
    consent = consent_withdraw(
        by=world.coordinator_a, consent=mentee.consents.get(), withdrawn_on=days_ago(1)
    )
    assert consent.withdrawn_on == days_ago(1)
    assert mentee.referrals.get().status == Referral.Status.WITHDRAWN


def test_the_subject_access_record_names_consent_before_tandem(world):
    """The person's whole record says their consent was recorded before Tandem."""
    mentee = before_tandem(world)
    record = subject_access_record(mentee, now=timezone.now())
    consent = next(s for s in record["sections"] if s["key"] == "consent")
    assert [i["title"] for i in consent["items"]] == [
        "Consent recorded before Tandem (date not recorded)"
    ]


def test_the_overview_counts_consent_before_tandem_towards_the_consented_target(world):
    """A manager's target for consented people counts an undated consent."""
    before_tandem(world)
    scheme: Scheme = world.scheme_a
    Target.objects.create(
        scheme=scheme,
        stage=FunnelStage.CONSENTED,
        starts_on=days_ago(100),
        ends_on=days_ago(-100),
        number=5,
    )
    progress = dict(target_progress(Scheme.objects.filter(pk=scheme.pk), today=days_ago(0)))
    assert progress[scheme.pk].actual >= 1
