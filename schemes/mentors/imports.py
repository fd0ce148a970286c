"""Import a scheme's mentor pool from a spreadsheet (CSV), with the same rules as the mentee
import (core/imports.py, docs/import-format.md): check everything, then all or nothing, and
never the same mentor twice (matched on the scheme's reference for them)."""

from typing import Any

from django import forms
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record, audit_record_many
from core.forms import Form
from core.imports import ImportReport, check_file, code_field, date_field, reference_field
from core.postcodes import clean_home_area
from schemes.choices import MentorKind, MentorStatus
from schemes.mentors.records import LEVELS_FOR_MENTORING, DBSCheck, DBSLevel, PrisonClearance
from schemes.mentors.transitions import GAP_TARGETS, MentorStep, mentors_transition_many
from schemes.models import Mentor, Scheme

REQUIRED = ["reference", "applied_on"]
OPTIONAL = [
    "given_name",
    "family_name",
    "kind",
    "email",
    "phone",
    "home_area",
    "travel_km",
    "languages",
    "interests",
    "skills",
    "status",
    "status_since",
    "first_active_on",
    "capacity",
    "dbs_level",
    "dbs_issued_on",
    "dbs_expires_on",
    "clearance_establishment",
    "clearance_issued_on",
    "clearance_expires_on",
]
HAS_BEEN_ACTIVE = {MentorStatus.ACTIVE, MentorStatus.PAUSED}
#: Who needs a DBS check in force now. A mentor who left is history: no check, or the one
#: that expired long ago, is what the records hold, and nothing has to be invented.
NEEDS_CURRENT_CHECK = {MentorStatus.ACTIVE, MentorStatus.PAUSED}
IMPORTED = "Imported"


def _words(value: str) -> list[str]:
    return [w.strip() for w in value.replace(",", ";").split(";") if w.strip()]


class MentorRow(Form):
    """One spreadsheet row, checked with the mentor pool's own rules."""

    reference = reference_field()
    # Optional: some schemes' records hold references and no names (str() shows the reference).
    given_name = forms.CharField(max_length=80, required=False)
    family_name = forms.CharField(max_length=80, required=False)
    applied_on = date_field(required=True)
    kind = code_field(MentorKind.choices)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=30, required=False)
    home_area = forms.CharField(max_length=60, required=False)
    travel_km = forms.IntegerField(min_value=0, max_value=500, required=False)
    languages = forms.CharField(required=False)
    interests = forms.CharField(required=False)
    skills = forms.CharField(required=False)
    status = code_field(MentorStatus.choices)
    status_since = date_field()
    first_active_on = date_field()
    capacity = forms.IntegerField(min_value=1, max_value=20, required=False)
    dbs_level = code_field(DBSLevel.choices)
    dbs_issued_on = date_field()
    dbs_expires_on = date_field()
    clearance_establishment = forms.CharField(max_length=120, required=False)
    clearance_issued_on = date_field()
    clearance_expires_on = date_field()

    def clean_home_area(self) -> str:
        return clean_home_area(self.cleaned_data["home_area"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns, and never None
        today = timezone.localdate()
        for name in ("languages", "interests", "skills"):
            data[name] = _words(data.get(name) or "")
        data["kind"] = data.get("kind") or MentorKind.VOLUNTEER
        status = data["status"] = data.get("status") or MentorStatus.APPLIED
        applied_on = data.get("applied_on")
        for name in (
            "applied_on",
            "status_since",
            "first_active_on",
            "dbs_issued_on",
            "clearance_issued_on",
        ):
            if data.get(name) and data[name] > today:
                self.add_error(name, "Cannot be in the future.")
        first_active = data.get("first_active_on")
        if status in HAS_BEEN_ACTIVE and not first_active:
            self.add_error("first_active_on", f"Needed for a mentor who is {status}.")
        if applied_on and first_active and first_active < applied_on:
            self.add_error("first_active_on", "Before the application date.")
        since = data.get("status_since")
        if applied_on and since and since < applied_on:
            self.add_error("status_since", "Before the application date.")
        # Cleaned values are untyped; each date below is compared only once all three are in.
        dbs: list[Any] = [
            data.get("dbs_level"),
            data.get("dbs_issued_on"),
            data.get("dbs_expires_on"),
        ]
        if any(dbs) and not all(dbs):
            self.add_error("dbs_level", "Give the DBS level, issue date and expiry date together.")
        elif all(dbs) and dbs[2] <= dbs[1]:
            self.add_error("dbs_expires_on", "The expiry date must be after the issue date.")
        if status in NEEDS_CURRENT_CHECK:
            who = "An active mentor" if status == MentorStatus.ACTIVE else "A paused mentor"
            if not all(dbs) or dbs[0] not in LEVELS_FOR_MENTORING:
                self.add_error("dbs_level", f"{who} needs an enhanced DBS check.")
            elif dbs[2] <= today:
                self.add_error(
                    "dbs_expires_on",
                    f"This DBS check has expired; {who.lower()} needs one that has not. "
                    "A mentor who left keeps the check they had (status: left).",
                )
        if status == MentorStatus.LEFT and not since:
            self.add_error(
                "status_since",
                "Needed for a mentor who left: the day they left. Their past relationships "
                "must have begun before it.",
            )
        clearance: list[Any] = [
            data.get("clearance_establishment"),
            data.get("clearance_issued_on"),
            data.get("clearance_expires_on"),
        ]
        if any(clearance) and not all(clearance):
            self.add_error(
                "clearance_establishment",
                "Give the prison, issue date and expiry date of the clearance together.",
            )
        elif all(clearance) and clearance[2] <= clearance[1]:
            self.add_error("clearance_expires_on", "The expiry date must be after the issue date.")
        return data


def check(scheme: Scheme, data: bytes) -> tuple[ImportReport, list[dict[str, Any]]]:
    return check_file(
        data,
        required=REQUIRED,
        optional=OPTIONAL,
        row_form=MentorRow,
        in_scheme=Mentor.objects.filter(scheme=scheme),
    )


@transaction.atomic
def mentors_import(*, by: User, scheme: Scheme, data: bytes, dry_run: bool = False) -> ImportReport:
    """Check the whole file, then write all of it or none of it."""
    report, rows = check(scheme, data)
    report.dry_run = dry_run
    if not report.ok or dry_run or not rows:
        return report
    mentors = Mentor.objects.bulk_create([_new_mentor(scheme, r) for r in rows])
    steps: list[MentorStep] = []
    checks: list[DBSCheck] = []
    clearances: list[PrisonClearance] = []
    for mentor, r in zip(mentors, rows, strict=True):
        steps += _pipeline_steps(mentor, r)
        check_row, clearance = _vetting_records(mentor, r, by)
        checks += [check_row] if check_row else []
        clearances += [clearance] if clearance else []
    mentors_transition_many(by=by, steps=steps)
    DBSCheck.objects.bulk_create(checks)
    PrisonClearance.objects.bulk_create(clearances)
    audit_record_many(actor=by, action="mentor.imported", targets=mentors, scheme=scheme)
    audit_record(
        actor=by,
        action="import.completed",
        target=scheme,
        scheme=scheme,
        detail={"kind": "mentors", "created": len(mentors), "skipped": report.already_present},
    )
    report.created = len(mentors)
    return report


def _new_mentor(scheme: Scheme, r: dict[str, Any]) -> Mentor:
    """The mentor's file as the row gives it, not yet saved; its status comes from its steps."""
    return Mentor(
        scheme=scheme,
        reference=r["reference"],
        given_name=r["given_name"],
        family_name=r["family_name"],
        kind=r["kind"],
        email=r["email"],
        phone=r["phone"],
        home_area=r["home_area"],
        travel_km=r["travel_km"],
        languages=r["languages"],
        interests=r["interests"],
        skills=r["skills"],
        applied_on=r["applied_on"],
        status_since=r["applied_on"],
        first_active_on=r["first_active_on"],
        capacity=r["capacity"] or 1,
    )


def _pipeline_steps(mentor: Mentor, r: dict[str, Any]) -> list[MentorStep]:
    """The application, then one recorded jump to where the row says the mentor is now."""
    steps = [MentorStep(mentor, MentorStatus.APPLIED, r["applied_on"], IMPORTED, first=True)]
    if r["status"] != MentorStatus.APPLIED:
        steps.append(
            MentorStep(
                mentor,
                r["status"],
                r["status_since"] or r["first_active_on"] or r["applied_on"],
                note="Imported: steps in between were not recorded",
                gap=r["status"] in GAP_TARGETS,
            )
        )
    return steps


def _vetting_records(
    mentor: Mentor, r: dict[str, Any], by: User
) -> tuple[DBSCheck | None, PrisonClearance | None]:
    """The DBS check and prison clearance the row records, if any, not yet saved."""
    dbs = (
        DBSCheck(
            mentor=mentor,
            level=r["dbs_level"],
            issued_on=r["dbs_issued_on"],
            expires_on=r["dbs_expires_on"],
            recorded_by=by,
        )
        if r["dbs_level"]
        else None
    )
    clearance = (
        PrisonClearance(
            mentor=mentor,
            establishment=r["clearance_establishment"],
            issued_on=r["clearance_issued_on"],
            expires_on=r["clearance_expires_on"],
            recorded_by=by,
        )
        if r["clearance_establishment"]
        else None
    )
    return dbs, clearance
