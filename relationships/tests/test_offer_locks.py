"""Answering an offer takes the person's referral lock before the offer's, in the same order
as making an offer and matching: a mentor's accept racing a coordinator's new offer for the
same person waits for it instead of deadlocking (a 500 for one of them)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from mentees.models import Referral
from relationships.matching.offer_services import offer_accept
from relationships.models import MatchOffer, Relationship
from relationships.tests.offer_kit import offer

pytestmark = pytest.mark.django_db(transaction=True)

HANG_GUARD = 30  # seconds: a hang guard only, far above what a busy machine needs


def _waiting_on_a_lock(pid: int) -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


def test_an_accept_waits_for_the_persons_referral_before_locking_the_offer(world):
    """While another transaction holds the referral (as offer_make does), an accept blocks
    on the referral and has not yet locked the offer: the holder can still take the offer
    without waiting, and the accept completes once the referral is free."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers")
    made = offer(world)
    pid: list[int] = []
    errors: list[Exception] = []

    def accept() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    pid.append(cursor.fetchone()[0])
                offer_accept(by=world.mentor_a, offer=made)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    with transaction.atomic():
        Referral.objects.select_for_update().get(pk=made.referral_id)
        worker = threading.Thread(target=accept)
        worker.start()
        give_up = time.monotonic() + HANG_GUARD
        while not (pid and _waiting_on_a_lock(pid[0])):
            assert time.monotonic() < give_up, "the accept never waited on a lock"
            time.sleep(0.05)
        # The accept waits on the referral, so the offer is free: NOWAIT succeeds.
        MatchOffer.objects.select_for_update(nowait=True).get(pk=made.pk)
    worker.join(timeout=HANG_GUARD)
    assert errors == []
    assert Relationship.objects.filter(mentee=made.mentee, mentor=made.mentor).exists()
