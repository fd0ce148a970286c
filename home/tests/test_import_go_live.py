"""Imported history stays quiet. The historic cohort (home/tests/historic_cohort.py: 4,000
referrals, 390 relationships, 1,100 meetings, years old), with its last 1,200 referrals still
open as a scheme's records hold the people it still works with (1,083 not yet matched, 540
of them waiting for a match; 117 relationships still active, last met years ago, their
reviews long overdue), imported once for the module through the real import with a go-live
date of today: the import foretells no flag and the sweep raises none, though the open
records would otherwise flood the queue. The same records marked live 60 days ago (what an
import with that date writes): the first sweep raises exactly what the look ahead foretells,
only about what happened since the go-live date."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.tests.factories import MembershipFactory
from core.imports import Table, read_rows
from flags.models import Flag, Kind
from flags.sweep import preview, sweep
from home.importers import Outcome, Part, import_parts
from home.tests.historic_cohort import KINDS, REFERRALS, RELATIONSHIPS, cohort_csv
from mentees.models import Referral
from relationships.models import Relationship
from schemes.models import Scheme
from schemes.tests.factories import SchemeFactory

pytestmark = pytest.mark.slow

LIVE = 1_200
SINCE_GO_LIVE = 60
#: The figure that counts each flag's clock, by kind: none may exceed the days since go-live.
CLOCKS = {
    Kind.WAITING_FOR_MATCH: "days_waiting",
    Kind.NO_CONTACT_ATTEMPT: "days_since_attempt",
    Kind.SILENCE: "days_since_meeting",
    Kind.REVIEW_OVERDUE: "days_overdue",
    Kind.NO_FIRST_MEETING: "days_since_match",
}


def _parts(**sizes: int) -> list[Part]:
    files = cohort_csv(**sizes)
    parts = []
    for kind in KINDS:
        header, rows = read_rows(files[kind])
        parts.append(Part(kind, "", Table(header=header, rows=rows)))
    return parts


def _into(scheme: Scheme, go_live: datetime.date | None, *, dry_run: bool, **sizes: int) -> Outcome:
    """The cohort imported (or checked) into ``scheme`` as one workbook would be."""
    by = MembershipFactory(scheme=scheme).user
    parts = _parts(**sizes)
    outcome = import_parts(by=by, scheme=scheme, parts=parts, dry_run=dry_run, go_live=go_live)
    assert outcome.ok, outcome.problems[:5]
    return outcome


@pytest.fixture(scope="module")
def cohort(django_db_setup, django_db_blocker):
    """The live cohort imported with a go-live date of today, once for the module, in a
    transaction never committed: (scheme, the import's outcome)."""
    with django_db_blocker.unblock(), transaction.atomic():
        scheme = SchemeFactory(name="Moving in")
        yield scheme, _into(scheme, timezone.localdate(), dry_run=False, live=LIVE)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_import_says_what_is_history_and_what_is_live(cohort):
    """The closed referrals and relationships are history, the open ones live, watched from
    the go-live date; meetings all before it are history. The import's records are exactly
    the scheme's."""
    scheme, imported = cohort
    look = imported.first_look
    open_referrals = Referral.objects.filter(
        mentee__scheme=scheme, status__in=Referral.OPEN_STATUSES
    ).count()
    open_relationships = Relationship.objects.filter(
        mentee__scheme=scheme, status__in=Relationship.OPEN_STATUSES
    ).count()
    assert 0 < open_relationships < open_referrals <= LIVE
    assert look["referrals"] == {"live": open_referrals, "history": REFERRALS - open_referrals}
    assert look["relationships"] == {
        "live": open_relationships,
        "history": RELATIONSHIPS - open_relationships,
    }
    assert look["meetings"]["live"] == 0 and look["meetings"]["history"] == 1_100
    go_live = datetime.date.fromisoformat(look["go_live"])
    assert go_live == timezone.localdate()
    written = imported.written
    assert set(written.referrals) == set(
        Referral.objects.filter(mentee__scheme=scheme).values_list("pk", flat=True)
    )
    assert set(written.relationships) == set(
        Relationship.objects.filter(mentee__scheme=scheme).values_list("pk", flat=True)
    )
    assert set(
        Referral.objects.filter(mentee__scheme=scheme).values_list("watched_from", flat=True)
    ) == {go_live}
    assert set(
        Relationship.objects.filter(mentee__scheme=scheme).values_list("watched_from", flat=True)
    ) == {go_live}


@pytest.mark.django_db
def test_a_go_live_date_of_today_raises_no_flag(cohort):
    """Imported with a go-live date of today: the import foretold no flag, nothing is left to
    preview, and the sweep raises no flag at all, though 1,200 records are open."""
    scheme, imported = cohort
    assert imported.first_look["flags"] == {}
    assert preview(scheme_id=scheme.pk) == {}
    assert sweep(scheme_id=scheme.pk).raised == []
    assert not Flag.objects.filter(scheme=scheme).exists()


@pytest.mark.django_db
def test_a_go_live_date_in_the_past_flags_only_what_happened_since_as_foretold(cohort):
    """The imported records marked live 60 days ago: the first sweep raises, kind by kind,
    what the look ahead foretells; each flag's clock runs from the go-live date at the
    earliest, and only open records are flagged.

    Setting ``watched_from`` on exactly the imported records is what an import with that
    date writes: the go-live date reaches the records only as the ``watched_from`` of each
    imported referral and relationship (``home.first_look.watched``, the mentees' and
    relationships' importers), and the look ahead reads it (``home.first_look.first_look``,
    the same ``preview`` over the same ids). That the import writes the date it is given is
    proved through the page and the worker by
    test_import_go_live_page.py::test_the_check_says_what_the_watcher_will_make_of_it_and_the_import_keeps_the_date
    and through the command by
    test_import_go_live_page.py::test_the_command_takes_the_go_live_date_and_says_what_the_first_sweep_raises."""
    scheme, imported = cohort
    go_live = timezone.localdate() - datetime.timedelta(days=SINCE_GO_LIVE)
    written = imported.written
    assert Referral.objects.filter(pk__in=written.referrals).update(watched_from=go_live) == len(
        written.referrals
    )
    assert Relationship.objects.filter(pk__in=written.relationships).update(
        watched_from=go_live
    ) == len(written.relationships)
    foretold = preview(
        scheme_id=scheme.pk,
        relationship_ids=set(written.relationships),
        referral_ids=set(written.referrals),
    )
    result = sweep(scheme_id=scheme.pk)
    raised: dict[str, int] = {}
    for flag in result.raised:
        raised[flag.kind] = raised.get(flag.kind, 0) + 1
    assert raised == foretold
    assert {Kind.WAITING_FOR_MATCH, Kind.NO_CONTACT_ATTEMPT, Kind.SILENCE} <= set(raised)
    flags = Flag.objects.filter(scheme=scheme)
    assert flags.count() == len(result.raised)
    for flag in flags:
        figure = CLOCKS.get(flag.kind)
        assert figure is not None, f"a {flag.kind} flag about imported history"
        assert 0 < flag.figures[figure] <= SINCE_GO_LIVE, (flag.kind, flag.figures)
        assert "when Tandem began watching" in flag.evidence
    flagged_referrals = Referral.objects.filter(flags__in=flags).distinct()
    assert not flagged_referrals.exclude(status__in=Referral.OPEN_STATUSES).exists()
    flagged = Relationship.objects.filter(flags__in=flags).distinct()
    assert not flagged.exclude(status__in=Relationship.OPEN_STATUSES).exists()


@pytest.mark.django_db
def test_the_check_foretells_what_the_import_does_and_no_go_live_date_means_today():
    """A small live cohort: its check writes nothing and says what the import then says
    (the rows as history or live, the flags of the first sweep); with no go-live date given
    (the command's and the page's default) the rows are watched from today, the first
    sweep foretold raises nothing, and the sweep raises nothing."""
    scheme = SchemeFactory(name="Small")
    sizes = {"referrals": 40, "mentors": 4, "relationships": 8, "meetings": 16, "live": 20}
    checked = _into(scheme, None, dry_run=True, **sizes)
    assert not Referral.objects.filter(mentee__scheme=scheme).exists()  # rolled back
    assert checked.first_look is not None and checked.first_look["flags"] == {}
    assert checked.first_look["relationships"]["live"] > 0
    assert _into(scheme, None, dry_run=False, **sizes).first_look == checked.first_look
    today = timezone.localdate()
    assert set(
        Referral.objects.filter(mentee__scheme=scheme).values_list("watched_from", flat=True)
    ) == {today}
    assert sweep(scheme_id=scheme.pk).raised == []
