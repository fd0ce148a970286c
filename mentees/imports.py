"""Import past records of mentees and their referrals from a spreadsheet (CSV).

Schemes arrive with years of records in spreadsheets. The rules: the columns are documented
(docs/import-format.md); every row is checked before anything is written; a bad file is
reported row by row with the reason and writes nothing; a valid file is written in one
transaction; and importing the same file again adds nobody twice (people are matched on
the scheme's reference).
"""

import datetime
from typing import Any

from django import forms
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record, audit_record_many
from core.forms import Form
from core.imports import ImportReport, check_file, code_field, date_field, reference_field
from core.postcodes import clean_home_area
from mentees.models import Consent, Mentee, Referral, Situation
from mentees.transitions import EXIT_REASONS, EXITS, ReferralStep, referrals_transition_many
from schemes.models import Scheme

REQUIRED = ["reference", "referral_source", "referred_on"]
OPTIONAL = [
    "given_name",
    "family_name",
    "date_of_birth",
    "phone",
    "email",
    "situation",
    "establishment",
    "expected_release_on",
    "next_court_date",
    "home_area",
    "referral_reason",
    "referrer_name",
    "referrer_organisation",
    "referral_status",
    "status_changed_on",
    "exit_reason",
    "consent_given_on",
    "consent_sheet_version",
    "consent_recorded_before_tandem",
]
NEEDS_CONSENT = {"awaiting_match"}
#: These follow a relationship with a mentor: import the person as awaiting_match, then the
#: relationship, which moves the referral (relationships/imports.py).
SET_BY_RELATIONSHIP = {"matched", "active", "ended"}
IMPORTED = "Imported"
YES_NO = [("yes", "yes"), ("no", "no")]


class MenteeRow(Form):
    """One spreadsheet row, checked with the same rules as the app's own forms."""

    reference = reference_field()
    # Optional: some schemes' records hold references and no names (str() shows the reference).
    given_name = forms.CharField(max_length=80, required=False)
    family_name = forms.CharField(max_length=80, required=False)
    date_of_birth = date_field()
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)
    situation = code_field(Situation.choices)
    establishment = forms.CharField(max_length=120, required=False)
    expected_release_on = date_field()
    next_court_date = date_field()
    home_area = forms.CharField(max_length=60, required=False)
    referral_source = code_field(Referral.Source.choices, required=True)
    referred_on = date_field(required=True)
    referral_reason = forms.CharField(required=False)
    referrer_name = forms.CharField(max_length=120, required=False)
    referrer_organisation = forms.CharField(max_length=120, required=False)
    referral_status = code_field(Referral.Status.choices)
    status_changed_on = date_field()
    exit_reason = code_field(Referral.ExitReason.choices)
    consent_given_on = date_field()
    consent_sheet_version = forms.CharField(max_length=20, required=False)
    consent_recorded_before_tandem = code_field(YES_NO)

    def clean_home_area(self) -> str:
        return clean_home_area(self.cleaned_data["home_area"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns, and never None
        today = timezone.localdate()
        for name in ("date_of_birth", "referred_on", "status_changed_on", "consent_given_on"):
            if data.get(name) and data[name] > today:
                self.add_error(name, "Cannot be in the future.")
        situation = data.get("situation") or Situation.COMMUNITY
        data["situation"] = situation
        if situation == Situation.IN_CUSTODY and not data.get("establishment"):
            self.add_error("establishment", "Needed for someone in custody.")
        if situation != Situation.IN_CUSTODY and data.get("expected_release_on"):
            self.add_error("expected_release_on", "Only for someone in custody.")
        if situation != Situation.ON_BAIL and data.get("next_court_date"):
            self.add_error("next_court_date", "Only for someone on bail.")
        status = data.get("referral_status") or Referral.Status.REFERRED
        data["referral_status"] = status
        if status in SET_BY_RELATIONSHIP:
            self.add_error(
                "referral_status",
                f"“{status}” needs a relationship with a mentor. Import the person as "
                "awaiting_match, then import the relationship (kind: relationships), which "
                "moves the referral on.",
            )
        if status in EXITS and not data.get("exit_reason"):
            self.add_error("exit_reason", f"Needed when the referral status is {status}.")
        elif status in EXITS and data["exit_reason"] not in EXIT_REASONS[status]:
            self.add_error("exit_reason", f"Use one of: {', '.join(EXIT_REASONS[status])}.")
        before_tandem = data["consent_recorded_before_tandem"] = (
            data.get("consent_recorded_before_tandem") == "yes"
        )
        has_consent = before_tandem or bool(data.get("consent_given_on"))
        if data.get("exit_reason") == Referral.ExitReason.CONSENT_WITHDRAWN and not has_consent:
            self.add_error(
                "consent_given_on",
                "Needed when consent was withdrawn (or consent_recorded_before_tandem: yes).",
            )
        if status not in EXITS and status != Referral.Status.ENDED and data.get("exit_reason"):
            self.add_error("exit_reason", "Only for a referral that stopped early.")
        if status in NEEDS_CONSENT and not has_consent:
            self.add_error(
                "consent_given_on",
                f"A referral that is {status} needs the date informed consent was given, or "
                "consent_recorded_before_tandem: yes if the records show consent without one.",
            )
        waiting_since = data.get("status_changed_on") or data.get("referred_on")
        consent_on = data.get("consent_given_on")
        if (
            status == "awaiting_match"
            and consent_on
            and waiting_since
            and consent_on > waiting_since
        ):
            self.add_error(
                "consent_given_on",
                "After the date they began waiting; consent has to come first.",
            )
        # Consent recorded before Tandem keeps whatever the records hold, and nothing more.
        if consent_on and not data.get("consent_sheet_version") and not before_tandem:
            self.add_error("consent_sheet_version", "Needed with a consent date.")
        if data.get("consent_sheet_version") and not has_consent:
            self.add_error("consent_sheet_version", "Only for someone whose consent is recorded.")
        referred_on, changed_on = data.get("referred_on"), data.get("status_changed_on")
        if referred_on and changed_on and changed_on < referred_on:
            self.add_error("status_changed_on", "Before the referral date.")
        return data


def check(scheme: Scheme, data: bytes) -> tuple[ImportReport, list[dict[str, Any]]]:
    return check_file(
        data,
        required=REQUIRED,
        optional=OPTIONAL,
        row_form=MenteeRow,
        in_scheme=Mentee.objects.filter(scheme=scheme),
    )


@transaction.atomic
def mentees_import(
    *,
    by: User,
    scheme: Scheme,
    data: bytes,
    dry_run: bool = False,
    watched_from: datetime.date | None = None,
) -> ImportReport:
    """Check the whole file, then write all of it or none of it. Each referral is watched
    from ``watched_from``, the scheme's go-live date: the watcher reads nothing before it."""
    report, rows = check(scheme, data)
    report.dry_run = dry_run
    if not report.ok or dry_run or not rows:
        return report
    mentees = _create_mentees(scheme, rows)
    referrals = _create_referrals(mentees, rows, watched_from)
    referrals_transition_many(by=by, steps=_referral_steps(referrals, rows))
    _create_consents(by, mentees, rows)
    audit_record_many(actor=by, action="mentee.imported", targets=mentees, scheme=scheme)
    audit_record(
        actor=by,
        action="import.completed",
        target=scheme,
        scheme=scheme,
        detail={"kind": "mentees", "created": len(mentees), "skipped": report.already_present},
    )
    report.created = len(mentees)
    report.written["referrals"] = [r.pk for r in referrals]
    return report


def _create_mentees(scheme: Scheme, rows: list[dict[str, Any]]) -> list[Mentee]:
    """One person per row, in the order of the rows."""
    return Mentee.objects.bulk_create(
        [
            Mentee(
                scheme=scheme,
                reference=r["reference"],
                given_name=r["given_name"],
                family_name=r["family_name"],
                date_of_birth=r["date_of_birth"],
                phone=r["phone"],
                email=r["email"],
                situation=r["situation"],
                establishment=r["establishment"] if r["situation"] == Situation.IN_CUSTODY else "",
                expected_release_on=r["expected_release_on"],
                next_court_date=r["next_court_date"],
                home_area=r["home_area"],
            )
            for r in rows
        ]
    )


def _create_referrals(
    mentees: list[Mentee], rows: list[dict[str, Any]], watched_from: datetime.date | None
) -> list[Referral]:
    """Each person's referral, as it was on the day it was made; the steps move it on."""
    return Referral.objects.bulk_create(
        [
            Referral(
                mentee=mentee,
                source=r["referral_source"],
                referrer_name=r["referrer_name"],
                referrer_organisation=r["referrer_organisation"],
                referred_on=r["referred_on"],
                reason=r["referral_reason"] or "Imported from the scheme's records.",
                status_changed_on=r["referred_on"],
                watched_from=watched_from,
            )
            for mentee, r in zip(mentees, rows, strict=True)
        ]
    )


def _referral_steps(referrals: list[Referral], rows: list[dict[str, Any]]) -> list[ReferralStep]:
    """The referral taken, then one step to the status in the file (if it moved on): the
    steps in between were not recorded, and the step says so."""
    steps = []
    for referral, r in zip(referrals, rows, strict=True):
        steps.append(
            ReferralStep(
                referral, Referral.Status.REFERRED, referral.referred_on, IMPORTED, first=True
            )
        )
        if r["referral_status"] != Referral.Status.REFERRED:
            steps.append(
                ReferralStep(
                    referral,
                    r["referral_status"],
                    r["status_changed_on"] or r["referred_on"],
                    note="Imported: steps in between were not recorded",
                    exit_reason=r["exit_reason"] or "",
                    gap=r["referral_status"] != Referral.Status.ASSESSING,
                )
            )
    return steps


def _create_consents(by: User, mentees: list[Mentee], rows: list[dict[str, Any]]) -> None:
    """The consent of each row that gives a date or says it was recorded before Tandem
    (then the date and sheet only if the records hold them, never invented): withdrawn on
    the day the referral stopped when that was the reason."""
    Consent.objects.bulk_create(
        [
            Consent(
                mentee=mentee,
                given_on=r["consent_given_on"],
                explained_by=None,  # not in the spreadsheet: shown as imported, never invented
                information_sheet_version=r["consent_sheet_version"],
                recorded_before_tandem=r["consent_recorded_before_tandem"],
                confirmed_voluntary=True,
                confirmed_recording=True,
                withdrawn_on=(r["status_changed_on"] or r["referred_on"])
                if r["exit_reason"] == Referral.ExitReason.CONSENT_WITHDRAWN
                else None,
                withdrawal_recorded_by=by
                if r["exit_reason"] == Referral.ExitReason.CONSENT_WITHDRAWN
                else None,
            )
            for mentee, r in zip(mentees, rows, strict=True)
            if r["consent_given_on"] or r["consent_recorded_before_tandem"]
        ]
    )
