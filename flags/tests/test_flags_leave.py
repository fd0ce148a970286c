"""Flags that leave: a closed relationship's flags end in the closing transaction, and the page
confirming a write shows the flags and the mentor's prompts as that write left them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for
from flags.models import Flag, Kind
from flags.services import CLOSED_WITH_RELATIONSHIP, flag_resolve, resolved_with_closure
from flags.sweep import sweep, sweep_relationship
from mentees.models import Referral
from mentees.services import referral_move
from relationships.life import services as life_services
from relationships.models import Relationship
from relationships.tests.factories import MeetingFactory, RelationshipFactory
from relationships.tests.meeting_kit import form_data
from relationships.tests.test_life import close_args

pytestmark = pytest.mark.django_db

FIRST_MEETING_PROMPT = "fix a first meeting"


@pytest.fixture
def queued(monkeypatch) -> list[dict]:
    """The scheme sweeps a write asks of the worker (none reaches a broker)."""
    sent: list[dict] = []
    monkeypatch.setattr("core.queue.enqueue", lambda task, **kw: sent.append(kw) or True)
    return sent


def _never_met(world) -> Relationship:
    """world.relationship_a, matched 30 days ago with no meeting: the sweep flags it (and
    only it: the scheme's other relationship is left unswept)."""
    sweep_relationship(scheme_id=world.scheme_a.pk, relationship_id=world.relationship_a.pk)
    assert world.relationship_a.flags.filter(
        kind=Kind.NO_FIRST_MEETING, status=Flag.Status.OPEN
    ).exists()
    return world.relationship_a


def _live(relationship: Relationship) -> list[str]:
    return list(
        Flag.objects.filter(relationship=relationship, status__in=Flag.LIVE_STATUSES).values_list(
            "kind", flat=True
        )
    )


# --- Closing ---------------------------------------------------------------------------------


def test_closing_resolves_the_flags_in_the_same_transaction(world):
    """Right after a planned closure, before any sweep, the relationship has no live flag:
    each is resolved with the closure, by the coordinator who closed it, in words, audited."""
    relationship = _never_met(world)
    flag = relationship.flags.get()
    life_services.relationship_close(
        by=world.coordinator_a, relationship=relationship, **close_args()
    )
    flag.refresh_from_db()
    assert flag.status == Flag.Status.RESOLVED
    assert flag.resolved_by == world.coordinator_a
    assert flag.resolution_note == CLOSED_WITH_RELATIONSHIP == "The relationship closed."
    event = AuditEvent.objects.get(action="flag.resolved_with_closure", target_id=str(flag.pk))
    assert event.detail == {"kind": Kind.NO_FIRST_MEETING, "relationship": relationship.pk}
    assert event.actor == world.coordinator_a


def test_after_closing_no_page_offers_to_acknowledge_the_flag(world, queued):
    """Closing through the page, then reading the queue, the dashboard and the relationship's
    page (no sweep in between): no live flag and no Acknowledge button anywhere."""
    relationship = _never_met(world)
    client = client_for(world.coordinator_a)
    pages = (reverse("home"), reverse("relationships:detail", args=[relationship.pk]))
    for url in pages:  # before: the flag is there to acknowledge
        page = client.get(url, follow=True).content.decode()
        assert "No first meeting" in page and "Acknowledge" in page, url
    data = {**close_args(closure_type="unplanned", closure_reason="lost_contact")}
    data["closed_on"] = data["closed_on"].isoformat()
    response = client.post(reverse("relationships:close", args=[relationship.pk]), data)
    assert response.status_code == 302
    relationship.refresh_from_db()
    assert relationship.status == Relationship.Status.CLOSED
    assert [(f.status, f.resolution_note) for f in relationship.flags.all()] == [
        (Flag.Status.RESOLVED, CLOSED_WITH_RELATIONSHIP)
    ]
    queue = client.get(reverse("flags:list"))
    assert list(queue.context["page"]) == []
    for url in pages:
        page = client.get(url, follow=True).content.decode()
        assert "Acknowledge" not in page, url
        assert "No first meeting" not in page, url


def test_a_referral_stopped_by_hand_takes_its_relationships_flags_with_it(world):
    """The other way to close: the person's referral stopped by hand ends the relationship,
    and its flags with it, in the same transaction."""
    relationship = _never_met(world)
    referral = Referral.objects.get(mentee=world.mentee_a)
    referral_move(
        by=world.coordinator_a,
        referral=referral,
        to_status=Referral.Status.WITHDRAWN,
        exit_reason=Referral.ExitReason.CONSENT_WITHDRAWN,
        on=timezone.localdate(),
    )
    relationship.refresh_from_db()
    assert relationship.status == Relationship.Status.CLOSED
    assert _live(relationship) == []


def test_a_reopened_relationship_can_be_flagged_again(world):
    """Flags ended by a closure are not "resolved by hand": they keep nothing quiet, and the
    reopened relationship is flagged again as soon as its condition holds."""
    relationship = _never_met(world)
    life_services.relationship_close(
        by=world.coordinator_a, relationship=relationship, **close_args()
    )
    life_services.relationship_reopen(
        by=world.coordinator_a,
        relationship=relationship,
        reason="Got back in touch.",
        reopened_on=timezone.localdate(),
    )
    sweep(scheme_id=world.scheme_a.pk)
    assert _live(relationship) == [Kind.NO_FIRST_MEETING]
    assert relationship.flags.count() == 2  # the closed one, and the new one


def test_one_marker_tells_a_closures_flags_from_those_resolved_by_hand_or_cleared(world):
    """``resolved_with_closure`` picks the flag ended by the closure, not one resolved by hand
    with the coordinator's reason, nor one the sweep found cleared, nor a live one."""
    by_closure = _never_met(world).flags.get()
    life_services.relationship_close(
        by=world.coordinator_a, relationship=world.relationship_a, **close_args()
    )
    sweep_relationship(scheme_id=world.scheme_a.pk, relationship_id=world.relationship_a_other.pk)
    by_hand = world.relationship_a_other.flags.get()
    flag_resolve(by=world.coordinator_a, flag=by_hand, note="Spoke to the mentor.")
    cleared = Flag.objects.create(
        kind=Kind.SILENCE,
        severity=by_hand.severity,
        scheme=world.scheme_a,
        relationship=world.relationship_a_other,
        evidence="No meeting held for 15 days.",
        raised_at=timezone.now(),
        status=Flag.Status.RESOLVED,
        resolved_at=timezone.now(),
        resolution_note="The condition cleared.",
    )
    picked = Flag.objects.filter(resolved_with_closure())
    assert list(picked) == [by_closure]
    assert cleared not in picked


# --- The page confirming the write -----------------------------------------------------------


def test_logging_the_first_meeting_clears_the_prompt_on_the_page_it_lands_on(
    world, queued, django_capture_on_commit_callbacks
):
    """The mentor logs a first meeting: the relationship's page the save lands on no longer
    asks them to fix a first meeting, and the flag is resolved, before any worker runs."""
    relationship = _never_met(world)
    mentor = client_for(world.mentor_a)
    detail = reverse("relationships:detail", args=[relationship.pk])
    assert FIRST_MEETING_PROMPT in mentor.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = mentor.post(
            reverse("relationships:meeting_new", args=[relationship.pk]), form_data()
        )
    assert response.status_code == 302
    assert response.url == detail
    page = mentor.get(detail).content.decode()
    assert "Meeting logged." in page
    assert FIRST_MEETING_PROMPT not in page
    flag = relationship.flags.get(kind=Kind.NO_FIRST_MEETING)
    assert flag.status == Flag.Status.RESOLVED
    assert flag.resolved_by is None  # the condition cleared: the watcher resolved it
    assert queued == [{"scheme_id": world.scheme_a.pk}]  # and the scheme is swept as before


def test_recording_the_review_clears_review_overdue_on_the_page_it_lands_on(
    world, queued, django_capture_on_commit_callbacks
):
    """The coordinator records an overdue review: the page the save lands on shows no
    "Review overdue" flag, which is resolved."""
    relationship = world.relationship_a
    # A relationship that has started: before a first meeting only one flag explains it.
    MeetingFactory(relationship=relationship, held_at=timezone.now() - datetime.timedelta(days=2))
    relationship.next_review_on = timezone.localdate() - datetime.timedelta(days=20)
    relationship.save(update_fields=["next_review_on"])
    sweep_relationship(scheme_id=world.scheme_a.pk, relationship_id=relationship.pk)
    assert Kind.REVIEW_OVERDUE in _live(relationship)
    client = client_for(world.coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):  # runs them as the request ends
        response = client.post(
            reverse("relationships:review_add", args=[relationship.pk]),
            {
                "held_on": timezone.localdate().isoformat(),
                "mentee_driving": "shared",
                "mentor_driving": "shared",
                "mentee_rating": 7,
                "mentor_rating": 7,
                "ending_plan": "Close at the next review if the flat comes through.",
            },
        )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Review recorded" in page
    assert "Review overdue" not in page
    assert Kind.REVIEW_OVERDUE not in _live(relationship)


def test_the_sweep_of_one_relationship_touches_no_other(world):
    """Sweeping one relationship raises and resolves only its own flags, in the same number
    of queries however many relationships and meetings the scheme has."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from relationships.tests.factories import MeetingFactory

    def swept() -> int:
        with CaptureQueriesContext(connection) as ctx:
            result = sweep_relationship(
                scheme_id=world.scheme_a.pk, relationship_id=world.relationship_a.pk
            )
        assert result is not None and result.relationships_checked == 1
        return len(ctx.captured_queries)

    swept()  # raises the flag; after it, each sweep finds the same
    few = swept()
    assert _live(world.relationship_a) == [Kind.NO_FIRST_MEETING]
    assert _live(world.relationship_a_other) == []
    for _ in range(4):
        MeetingFactory(relationship=RelationshipFactory(mentee__scheme=world.scheme_a))
    assert swept() == few


def test_the_sweep_a_write_names_is_the_sweep_of_one_relationship():
    """core.queue names the watcher's sweep of one relationship rather than importing it (the
    watcher sits above the apps it watches); a typo there would leave every prompt stale."""
    from django.utils.module_loading import import_string

    from core.queue import SWEEP_RELATIONSHIP

    assert import_string(SWEEP_RELATIONSHIP) is sweep_relationship
