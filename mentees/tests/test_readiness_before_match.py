"""Readiness before a match is kept on the referral: the funder report counts readiness as it
was before mentoring could change it, while the person's record keeps their latest answers."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from mentees.assessment import services as assessment
from mentees.models import Readiness, Referral
from mentees.tests.factories import MenteeFactory, ReferralFactory

pytestmark = pytest.mark.django_db
Status = Referral.Status
YES, NO, PARTLY = Readiness.YES, Readiness.NO, Readiness.PARTLY


def _record(by, mentee, answers, days_ago=0):
    return assessment.readiness_record(
        by=by,
        mentee=mentee,
        assessed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        knows_what_mentoring_is=answers[0],
        sees_it_as_worthwhile_now=answers[1],
        life_stable_enough=answers[2],
        recognises_lack_of_support=answers[3],
    )


def test_readiness_recorded_before_a_match_is_kept_on_the_open_referral(world):
    """Assessed while referred, then again while waiting for a match: the referral keeps the
    later count and day, and the audit event names the referral (an id, no answers)."""
    mentee = MenteeFactory(scheme=world.scheme_a)
    referral = ReferralFactory(mentee=mentee, status=Status.REFERRED)
    _record(world.coordinator_a, mentee, (YES, PARTLY, YES, NO), days_ago=5)
    referral.refresh_from_db()
    assert referral.assessed_readiness_held == 2
    assert referral.assessed_readiness_on == timezone.localdate() - datetime.timedelta(days=5)

    Referral.objects.filter(pk=referral.pk).update(status=Status.AWAITING_MATCH)
    _record(world.coordinator_a, mentee, (YES, YES, YES, NO), days_ago=1)
    referral.refresh_from_db()
    assert referral.assessed_readiness_held == 3
    event = AuditEvent.objects.filter(action="mentee.readiness_recorded").latest("pk")
    assert event.detail == {"referral": referral.pk}


def test_readiness_recorded_after_the_match_changes_the_record_not_the_referral(world):
    """Once matched, a new assessment updates the person's answers only: what the referral
    kept before the match stays, so mentoring cannot move the person between rows."""
    mentee = MenteeFactory(scheme=world.scheme_a)
    referral = ReferralFactory(mentee=mentee, status=Status.ASSESSING)
    _record(world.coordinator_a, mentee, (NO, NO, YES, NO), days_ago=20)
    Referral.objects.filter(pk=referral.pk).update(status=Status.MATCHED)
    _record(world.coordinator_a, mentee, (YES, YES, YES, YES))
    referral.refresh_from_db()
    mentee.refresh_from_db()
    assert referral.assessed_readiness_held == 1
    assert mentee.knows_what_mentoring_is == YES  # the record has the latest answers


def test_readiness_with_no_open_referral_keeps_nothing(world):
    """Someone whose referral ended: their record is updated, no referral changes."""
    mentee = MenteeFactory(scheme=world.scheme_a)
    ended = ReferralFactory(mentee=mentee, status=Status.ENDED)
    _record(world.coordinator_a, mentee, (YES, YES, YES, YES))
    ended.refresh_from_db()
    assert ended.assessed_readiness_held is None and ended.assessed_readiness_on is None
    event = AuditEvent.objects.filter(action="mentee.readiness_recorded").latest("pk")
    assert not event.detail


def test_the_kept_readiness_is_dated_and_at_most_four():
    """The database refuses a count without its day, and a count above four."""
    referral = ReferralFactory()
    for held, on in ((2, None), (5, timezone.localdate())):
        with pytest.raises(IntegrityError), transaction.atomic():
            Referral.objects.filter(pk=referral.pk).update(
                assessed_readiness_held=held, assessed_readiness_on=on
            )


def test_the_upgrade_keeps_the_readiness_of_referrals_not_yet_matched():
    """The migration's data step: a referral still before its match takes its person's
    answers; one already matched is left empty (its person's answers may have changed)."""
    migration = importlib.import_module("mentees.migrations.0010_referral_assessed_readiness")
    on = timezone.localdate() - datetime.timedelta(days=3)
    waiting = ReferralFactory(
        status=Status.AWAITING_MATCH,
        mentee=MenteeFactory(
            knows_what_mentoring_is=YES,
            sees_it_as_worthwhile_now=YES,
            life_stable_enough=NO,
            recognises_lack_of_support=YES,
            readiness_assessed_on=on,
        ),
    )
    matched = ReferralFactory(
        status=Status.MATCHED,
        mentee=MenteeFactory(knows_what_mentoring_is=YES, readiness_assessed_on=on),
    )
    never_assessed = ReferralFactory(status=Status.REFERRED)
    migration.keep_readiness_of_referrals_not_yet_matched(apps, None)
    for referral in (waiting, matched, never_assessed):
        referral.refresh_from_db()
    assert (waiting.assessed_readiness_held, waiting.assessed_readiness_on) == (3, on)
    assert matched.assessed_readiness_held is None
    assert never_assessed.assessed_readiness_held is None
