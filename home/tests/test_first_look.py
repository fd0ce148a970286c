"""The import's look ahead (``home.first_look``) is about exactly the records the import
wrote: a referral a coordinator adds to the same scheme while the import runs is neither
counted as the import's history or live rows nor among the flags the import foretells."""

import datetime

from django.utils import timezone

from accounts.tests.factories import MembershipFactory
from core.imports import Table, read_rows
from flags.models import Kind
from flags.sweep import sweep
from home.importers import Part, import_parts
from home.tests.historic_cohort import KINDS, cohort_csv
from mentees.models import Referral
from mentees.tests.factories import ReferralFactory
from schemes.tests.factories import SchemeFactory

SIZES = {"referrals": 20, "mentors": 3, "relationships": 5, "meetings": 10, "live": 10}


def test_a_referral_added_while_the_import_runs_is_not_the_imports(db):
    """Between the mentors and the mentees, a referral waiting 100 days with no contact
    attempt is added to the scheme by hand. The import's look ahead counts its own 20
    referrals and foretells no flag (go-live today); the first sweep does flag the
    coordinator's referral, which the import never claimed."""
    scheme = SchemeFactory(name="Busy")
    by = MembershipFactory(scheme=scheme).user
    files = cohort_csv(**SIZES)
    parts = []
    for kind in KINDS:
        header, rows = read_rows(files[kind])
        parts.append(Part(kind, "", Table(header=header, rows=rows)))
    long_ago = timezone.localdate() - datetime.timedelta(days=100)
    added: list[Referral] = []

    def meanwhile(percent: int, message: str) -> None:
        if message.startswith("Finished") and not added:
            added.append(ReferralFactory(mentee__scheme=scheme, referred_on=long_ago))

    outcome = import_parts(by=by, scheme=scheme, parts=parts, dry_run=False, progress=meanwhile)

    assert outcome.ok, outcome.problems[:5]
    look = outcome.first_look
    assert look is not None and len(added) == 1
    assert look["referrals"]["live"] + look["referrals"]["history"] == SIZES["referrals"]
    assert look["referrals"]["live"] == SIZES["live"]
    assert look["flags"] == {}
    assert added[0].pk not in outcome.written.referrals
    assert len(outcome.written.referrals) == SIZES["referrals"]
    assert Referral.objects.filter(mentee__scheme=scheme).count() == SIZES["referrals"] + 1
    raised = sweep(scheme_id=scheme.pk).raised
    assert [(f.kind, f.referral_id) for f in raised] == [(Kind.NO_CONTACT_ATTEMPT, added[0].pk)]
