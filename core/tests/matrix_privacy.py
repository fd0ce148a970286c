"""The records the privacy rows of the permission matrix work on, and what a valid write
must have changed: a person of scheme A whose referral and match ended (so a manager may
erase them), and subject-access exports of that person, a draft and a released one."""

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from conftest import World
from mentees.models import Mentee, Referral
from mentees.tests.factories import MenteeFactory, ReferralFactory
from privacy.models import SubjectAccessExport

ENDED_REFERENCE = "PRIV0001"


def ended_person(world: World) -> int:
    """A person of scheme A whose referral ended last month (made on first use)."""
    mentee = Mentee.objects.filter(reference=ENDED_REFERENCE).first()
    if mentee is None:
        mentee = MenteeFactory(scheme=world.scheme_a, reference=ENDED_REFERENCE)
        ended = timezone.localdate() - datetime.timedelta(days=30)
        ReferralFactory(
            mentee=mentee,
            referred_on=ended - datetime.timedelta(days=90),
            status=Referral.Status.DECLINED,
            exit_reason=Referral.ExitReason.NOT_INTERESTED,
            status_changed_on=ended,
        )
    return mentee.pk


def export(world: World, status: str) -> int:
    """A subject-access export of the ended person (made on first use), drafted or released
    by the manager. A small record and file: the matrix checks the gates, not the PDF."""
    mentee_pk = ended_person(world)
    # Found by the status it was made with: a released draft is still the row the row means.
    found = SubjectAccessExport.objects.filter(mentee_id=mentee_pk, record__made=status).first()
    if found is not None:
        return found.pk
    now = timezone.now()
    released = status == SubjectAccessExport.Status.RELEASED
    return SubjectAccessExport.objects.create(
        mentee_id=mentee_pk,
        status=status,
        requested_by=world.manager,
        created_at=now,
        released_by=world.manager if released else None,
        released_at=now if released else None,
        expires_at=now + datetime.timedelta(hours=24),
        record={"reference": ENDED_REFERENCE, "sections": [], "made": status},
        pdf=b"%PDF-1.7\n",
    ).pk


def erased(world: World, user: User | None, client: Any) -> None:
    mentee = Mentee.objects.get(pk=ended_person(world))
    assert mentee.anonymised_at is not None
    assert mentee.erasure.erased_by == user


def drafted(world: World, user: User | None, client: Any) -> None:
    assert SubjectAccessExport.objects.filter(
        mentee_id=ended_person(world), requested_by=user, record__isnull=False
    ).exists()


def released(world: World, user: User | None, client: Any) -> None:
    draft = SubjectAccessExport.objects.get(pk=export(world, "draft"))
    assert (draft.status, draft.released_by) == ("released", user)


def newest_export(world: World) -> dict[str, Any]:
    return {"pk": SubjectAccessExport.objects.latest("pk").pk}
