"""The permission matrix for schemes (with their funding and targets), imports, notifications,
funder reports and the audit trail: every role, with a valid POST for every write a role may
make. See core/tests/matrix.py."""

from typing import Any

import pytest

from accounts.models import Role, User
from conftest import World
from core.models import Notification
from core.tests.matrix import (
    HOME,
    LOGIN,
    Redirect,
    Row,
    Write,
    cases,
    day,
    row,
    run_case,
    scheme_of,
    valid,
)
from reports.models import ReportExport
from schemes.models import Funding, Scheme, Target
from schemes.tests.factories import FundingFactory, TargetFactory

NEW_SCHEME = "Eastfield Community Mentoring"
SCHEME_FORM_FIELDS = [
    "name",
    "kind",
    "area",
    "cap_meetings",
    "cap_weeks",
    "review_interval_weeks",
    "expected_contact_days",
    *(f.name for f in Scheme._meta.fields if f.name.startswith("flag_")),
    "concern_acknowledge_hours",
    "offer_open_days",
    "retention_years",
    "private_notes_keep_days",
    "expiry_first_reminder_days",
    "expiry_last_reminder_days",
]


def _scheme_form(scheme: Scheme, **changes: Any) -> dict[str, Any]:
    """The scheme form as a person would send it: every field, empty ones as ""."""
    values = {name: getattr(scheme, name) for name in SCHEME_FORM_FIELDS} | changes
    return {name: "" if value is None else value for name, value in values.items()}


def _funding(world: World) -> int:
    return FundingFactory(scheme=world.scheme_a).pk


def _target(world: World) -> int:
    return TargetFactory(scheme=world.scheme_a).pk


def scheme_rows() -> list[Row]:
    scheme_a = {"kwargs": lambda w: {"pk": w.scheme_a.pk}}
    to_a = Redirect("schemes:detail", lambda w: {"pk": w.scheme_a.pk})
    return [
        row("schemes:list", "", [LOGIN, 403, 200, 200, 200]),
        row("schemes:new", "", [LOGIN, 403, 403, 403, 200]),
        valid(
            "schemes:new",
            "",
            [
                LOGIN,
                403,
                403,
                403,
                Redirect(
                    "schemes:detail", lambda w: {"pk": Scheme.objects.get(name=NEW_SCHEME).pk}
                ),
            ],
            Write(
                audit=("scheme.created",),
                data=lambda w, u: _scheme_form(
                    Scheme(name=NEW_SCHEME, kind=Scheme.Kind.COMMUNITY, area="Eastfield")
                ),
                done=lambda w, u, c: Scheme.objects.get(name=NEW_SCHEME, area="Eastfield"),
            ),
        ),
        row(
            "schemes:detail",
            "scheme A",
            [LOGIN, 403, 200, 404, 200],
            kwargs=lambda w: {"pk": w.scheme_a.pk},
        ),
        row(
            "schemes:detail",
            "scheme B",
            [LOGIN, 403, 404, 200, 200],
            kwargs=lambda w: {"pk": w.scheme_b.pk},
        ),
        row("schemes:edit", "", [LOGIN, 403, 403, 403, 200], **scheme_a),
        valid(
            "schemes:edit",
            "",
            [LOGIN, 403, 403, 403, to_a],
            Write(
                audit=("scheme.updated",),
                data=lambda w, u: _scheme_form(w.scheme_a, area="Northgate and Moor", cap_weeks=52),
                done=lambda w, u, c: Scheme.objects.get(
                    pk=w.scheme_a.pk, area="Northgate and Moor", cap_weeks=52
                ),
            ),
            **scheme_a,
        ),
        row(
            "schemes:edit",
            "no such scheme",
            [LOGIN, 403, 403, 403, 404],
            kwargs=lambda w: {"pk": 999_999},
        ),
        row("schemes:funding_add", "", [LOGIN, 403, 403, 403, 200], **scheme_a),
        valid(
            "schemes:funding_add",
            "",
            [LOGIN, 403, 403, 403, to_a],
            Write(
                audit=("scheme.funding_added",),
                data=lambda w, u: {
                    "funder": "Northgate Trust",
                    "reference": "NT-7",
                    "starts_on": "2026-04-01",
                    "ends_on": "2027-03-31",
                },
                done=lambda w, u, c: Funding.objects.get(
                    scheme=w.scheme_a, funder="Northgate Trust"
                ),
            ),
            **scheme_a,
        ),
        row("schemes:target_add", "", [LOGIN, 403, 403, 403, 200], **scheme_a),
        valid(
            "schemes:target_add",
            "",
            [LOGIN, 403, 403, 403, to_a],
            Write(
                audit=("scheme.target_added",),
                data=lambda w, u: {
                    "stage": "referred",
                    "starts_on": "2026-04-01",
                    "ends_on": "2027-03-31",
                    "number": "25",
                },
                done=lambda w, u, c: Target.objects.get(scheme=w.scheme_a, number=25),
            ),
            **scheme_a,
        ),
        row("schemes:coordinator_add", "", [LOGIN, 403, 403, 403, 200], **scheme_a),
        valid(
            "schemes:coordinator_add",
            "",
            [LOGIN, 403, 403, 403, to_a],
            Write(
                audit=("membership.added",),
                data=lambda w, u: {"person": w.no_role.pk},
                done=lambda w, u, c: w.no_role.memberships.get(
                    role=Role.COORDINATOR, scheme=w.scheme_a
                ),
            ),
            **scheme_a,
        ),
        row(
            "schemes:coordinator_add",
            "no such scheme",
            [LOGIN, 403, 403, 403, 404],
            kwargs=lambda w: {"pk": 999_999},
        ),
        row(
            "schemes:funding_remove",
            "",
            [LOGIN, 403, 403, 403, to_a],
            method="post",
            kwargs=lambda w: {"pk": w.scheme_a.pk, "funding_pk": _funding(w)},
            write=Write(
                audit=("scheme.funding_removed",),
                done=lambda w, u, c: _none_left(Funding.objects.filter(scheme=w.scheme_a)),
            ),
        ),
        row(
            "schemes:funding_remove",
            "another scheme's funding",
            [LOGIN, 403, 403, 403, 404],
            method="post",
            kwargs=lambda w: {
                "pk": w.scheme_a.pk,
                "funding_pk": FundingFactory(scheme=w.scheme_b).pk,
            },
        ),
        row(
            "schemes:target_remove",
            "",
            [LOGIN, 403, 403, 403, to_a],
            method="post",
            kwargs=lambda w: {"pk": w.scheme_a.pk, "target_pk": _target(w)},
            write=Write(
                audit=("scheme.target_removed",),
                done=lambda w, u, c: _none_left(Target.objects.filter(scheme=w.scheme_a)),
            ),
        ),
        row(
            "schemes:target_remove",
            "another scheme's target",
            [LOGIN, 403, 403, 403, 404],
            method="post",
            kwargs=lambda w: {
                "pk": w.scheme_a.pk,
                "target_pk": TargetFactory(scheme=w.scheme_b).pk,
            },
        ),
    ]


def _none_left(queryset) -> None:
    assert not queryset.exists(), list(queryset)


# --- Notifications, reports, the audit trail ----------------------------------------


def _unread_notification(world: World, user: User | None) -> dict[str, Any]:
    if user is None:
        return {}
    return {"notification": Notification.objects.create(recipient=user, subject="Matched").pk}


def _read(world: World, user: User | None, client) -> None:
    assert not Notification.objects.filter(recipient=user, read_at=None).exists()


def _report_body(world: World, user: User | None) -> dict[str, Any]:
    body = {
        "date_from": day(-30),
        "date_to": day(0),
        "schemes": [scheme_of(world, user).pk],
        "funder": "",
        "format": ReportExport.Format.XLSX,
    }
    if user is not None and user.pk == world.manager.pk:
        body["kind"] = ReportExport.Kind.FUNDER
    return body


def _newest_export(world: World) -> dict[str, Any]:
    return {"pk": ReportExport.objects.latest("pk").pk}


def _report_requested(world: World, user: User | None, client) -> None:
    export = ReportExport.objects.get(requested_by=user)
    assert export.scheme_ids == [scheme_of(world, user).pk]


def _export(w: World) -> int:
    """coordinator_a's report on scheme A (made on first use)."""
    from django.utils import timezone

    export, _ = ReportExport.objects.get_or_create(
        requested_by=w.coordinator_a,
        defaults={
            "scheme_ids": [w.scheme_a.pk],
            "date_from": timezone.localdate(),
            "date_to": timezone.localdate(),
        },
    )
    return export.pk


def site_rows() -> list[Row]:
    back = Redirect("core:notifications")
    report = Redirect("reports:detail", _newest_export)
    own = {"kwargs": lambda w: {"pk": _export(w)}}
    return [
        row("home:dashboard", "", [LOGIN, 403, 200, 200, 200]),
        row("core:no_role", "", [LOGIN, HOME, HOME, HOME, HOME]),
        row("core:notifications", "", [LOGIN, 200, 200, 200, 200]),
        row("core:notifications_read", "", [LOGIN, 405, 405, 405, 405]),
        row("core:notifications_read", "POST", [LOGIN, back, back, back, back], method="post"),
        valid(
            "core:notifications_read",
            "one",
            [LOGIN, back, back, back, back],
            Write(data=_unread_notification, done=_read),
        ),
        # Reports are for staff; an export is its asker's alone (anyone else: 404).
        row("reports:new", "", [LOGIN, 403, 200, 200, 200]),
        row("reports:new", "POST", [LOGIN, 403, 200, 200, 200], method="post"),
        valid(
            "reports:new",
            "",
            [LOGIN, 403, report, report, report],
            Write(audit=("report.requested",), data=_report_body, done=_report_requested),
        ),
        row("reports:detail", "coordinator A's", [LOGIN, 403, 200, 404, 404], **own),
        row("reports:progress", "coordinator A's", [LOGIN, 403, 200, 404, 404], **own),
        # Not built yet: the file is not there to download.
        row("reports:download", "coordinator A's", [LOGIN, 403, 404, 404, 404], **own),
        row("audit:list", "", [LOGIN, 403, 403, 403, 200]),
    ]


ROWS: list[Row] = [
    *scheme_rows(),
    *site_rows(),
]


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
