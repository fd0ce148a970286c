"""Report files follow the asker's roles now, not when they asked: every page, progress
check and download of an export re-reads their scope, so a report covering a scheme they no
longer reach, or a case-level extract once they are no longer a manager, is not found."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from accounts.services import membership_remove
from accounts.tests.factories import MembershipFactory
from conftest import client_for
from reports import services
from reports.models import ReportExport

pytestmark = pytest.mark.django_db
PAGES = ("reports:detail", "reports:progress", "reports:download")


def _dates() -> dict:
    today = timezone.localdate()
    return {"date_from": today - datetime.timedelta(days=364), "date_to": today}


def _built(by, schemes, kind=ReportExport.Kind.FUNDER) -> ReportExport:
    export = services.report_export_request(
        by=by, scheme_ids=[s.pk for s in schemes], format="csv", kind=kind, **_dates()
    )
    services.report_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE
    return export


def _statuses(user, export) -> list[int]:
    """What ``user`` gets now from the export's page, progress and download (a fresh client:
    roles are read on each request)."""
    client = client_for(user)
    return [client.get(reverse(name, args=[export.pk])).status_code for name in PAGES]


def _in_recent_list(user, export) -> bool:
    page = client_for(user).get(reverse("reports:new")).content.decode()
    return reverse("reports:detail", args=[export.pk]) in page


def _remove(by, user, role, scheme=None) -> None:
    membership_remove(by=by, membership=Membership.objects.get(user=user, role=role, scheme=scheme))


def _demote(world) -> None:
    """Another manager makes world.manager a coordinator of both schemes, and no manager."""
    other = MembershipFactory(role=Role.MANAGER, scheme=None).user
    for scheme in (world.scheme_a, world.scheme_b):
        MembershipFactory(user=world.manager, scheme=scheme)
    _remove(other, world.manager, Role.MANAGER)


def test_a_demoted_manager_gets_not_found_on_an_old_all_scheme_extract(world):
    """A case-level extract of every scheme, built while a manager: after demotion to
    coordinator (even of every scheme) its page, progress and file are 404 and it leaves the
    recent list."""
    extract = _built(
        world.manager, [world.scheme_a, world.scheme_b], kind=ReportExport.Kind.CASE_EXTRACT
    )
    assert _statuses(world.manager, extract) == [200, 200, 200]
    _demote(world)
    assert _statuses(world.manager, extract) == [404, 404, 404]
    assert not _in_recent_list(world.manager, extract)


def test_a_demoted_manager_keeps_a_funder_report_only_of_schemes_they_still_reach(world):
    """Aggregate funder reports stay open to a coordinator who reaches every scheme they
    cover; one covering a scheme they do not coordinate is 404."""
    both = _built(world.manager, [world.scheme_a, world.scheme_b])
    _demote(world)
    assert _statuses(world.manager, both) == [200, 200, 200]
    _remove(world.coordinator_b, world.manager, Role.COORDINATOR, world.scheme_b)
    assert _statuses(world.manager, both) == [404, 404, 404]
    assert not _in_recent_list(world.manager, both)


def test_a_coordinator_removed_from_a_scheme_loses_the_reports_covering_it(world):
    """A coordinator of A and B asked for a report of both and one of A: removed from B, the
    first is 404 everywhere and the second still opens."""
    MembershipFactory(user=world.coordinator_a, scheme=world.scheme_b)
    both = _built(world.coordinator_a, [world.scheme_a, world.scheme_b])
    only_a = _built(world.coordinator_a, [world.scheme_a])
    _remove(world.manager, world.coordinator_a, Role.COORDINATOR, world.scheme_b)
    assert _statuses(world.coordinator_a, both) == [404, 404, 404]
    assert _statuses(world.coordinator_a, only_a) == [200, 200, 200]
    assert not _in_recent_list(world.coordinator_a, both)
    assert _in_recent_list(world.coordinator_a, only_a)


def test_a_coordinator_with_no_scheme_left_gets_nothing(world):
    """Taken off their only scheme, a coordinator has no staff role: every export page is
    404 or refused, never the file."""
    export = _built(world.coordinator_a, [world.scheme_a])
    _remove(world.manager, world.coordinator_a, Role.COORDINATOR, world.scheme_a)
    assert all(status in (403, 404) for status in _statuses(world.coordinator_a, export))


def test_a_report_asked_for_before_a_role_change_is_not_built_after_it(world):
    """The worker re-checks the asker too: a report queued before they lost a scheme it
    covers is not built, and says why."""
    MembershipFactory(user=world.coordinator_a, scheme=world.scheme_b)
    export = services.report_export_request(
        by=world.coordinator_a,
        scheme_ids=[world.scheme_a.pk, world.scheme_b.pk],
        format="csv",
        **_dates(),
    )
    _remove(world.manager, world.coordinator_a, Role.COORDINATOR, world.scheme_b)
    services.report_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ReportExport.Status.FAILED and export.content is None
    assert "no longer work with" in export.message
