"""The relationship's life: pause, resume, ending, closure and reopening, each allowed only
where the transition table says, each written into its history, and the mentee's referral
following closure and reopening."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for
from mentees.assessment.services import consent_withdraw
from mentees.models import Referral
from mentees.services import referral_move
from mentees.tests.factories import ConsentFactory, MenteeFactory, ReferralFactory
from relationships.life import services as life_services
from relationships.models import Pause, Relationship, RelationshipChange
from relationships.tests.factories import RelationshipFactory
from relationships.transitions import STEPS
from schemes.tests.factories import MentorFactory

S = Relationship.Status
TODAY = timezone.localdate
R = Referral.Status


def close_args(**kw):
    return {
        "closed_on": TODAY(),
        "closure_type": "planned",
        "closure_reason": "goals_achieved",
        "final_review": "Housing sorted, working part-time; ended as agreed at the last review.",
        "contact_after": "through_scheme",
        **kw,
    }


def referral_of(world) -> Referral:
    return Referral.objects.get(mentee=world.mentee_a)


# --- Every transition, allowed and refused --------------------------------------------

ACTIONS = {
    "pause": lambda by, r: life_services.relationship_pause(
        by=by, relationship=r, reason="hospital", starts_on=TODAY()
    ),
    "agree_ending": lambda by, r: life_services.relationship_agree_ending(
        by=by,
        relationship=r,
        exit_plan="Fortnightly until June.",
        planned_end_on=TODAY() + datetime.timedelta(weeks=8),
        agreed_on=TODAY(),
    ),
    "close": lambda by, r: life_services.relationship_close(by=by, relationship=r, **close_args()),
    "resume": lambda by, r: life_services.relationship_resume(
        by=by, relationship=r, resumed_on=TODAY()
    ),
    "reopen": lambda by, r: life_services.relationship_reopen(
        by=by, relationship=r, reason="Got back in touch.", reopened_on=TODAY()
    ),
}
CASES = [
    (start, action)
    for start in [S.INTRODUCED, S.ACTIVE, S.PAUSED, S.ENDING, S.CLOSED]
    for action in ["pause", "resume", "agree_ending", "close", "reopen"]
]


@pytest.mark.parametrize(("start", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_every_transition_is_allowed_or_refused_as_the_table_says(world, start, action):
    """Each service takes only the steps ``STEPS`` allows and refuses anything else in words;
    an allowed move writes a RelationshipChange and an audit event."""
    ReferralFactory(mentee__scheme=world.scheme_a)  # noise: someone else's referral
    mentee = MenteeFactory(scheme=world.scheme_a, family_name="Quillfeather")
    ConsentFactory(mentee=mentee)
    referral_status = R.ENDED if start == S.CLOSED else R.ACTIVE
    ReferralFactory(mentee=mentee, status=referral_status, referred_on=TODAY())
    relationship = RelationshipFactory(
        mentee=mentee,
        status=start,
        closed_on=TODAY() - datetime.timedelta(days=1) if start == S.CLOSED else None,
    )
    if start == S.PAUSED:
        Pause.objects.create(
            relationship=relationship, reason="custody", starts_on=TODAY() - datetime.timedelta(3)
        )
    if start in STEPS[action].sources:
        ACTIONS[action](world.coordinator_a, relationship)
        relationship.refresh_from_db()
        change = relationship.changes.get()
        assert (change.from_status, change.to_status) == (start, relationship.status)
        assert AuditEvent.objects.filter(target_id=str(relationship.pk)).exists()
    else:
        with pytest.raises(ValidationError):
            ACTIONS[action](world.coordinator_a, relationship)
        relationship.refresh_from_db()
        assert relationship.status == start
        assert not relationship.changes.exists()


def test_a_pause_is_a_period_and_resume_returns_to_where_it_was(world):
    """The pause row is what the watcher reads; resuming ends it and goes back to the status
    before the pause (here: still waiting for the first meeting)."""
    relationship = RelationshipFactory(mentee__scheme=world.scheme_a, status=S.INTRODUCED)
    started = TODAY() - datetime.timedelta(days=10)
    pause = life_services.relationship_pause(
        by=world.coordinator_a,
        relationship=relationship,
        reason=Pause.Reason.CUSTODY,
        starts_on=started,
        note="Recalled",
    )
    relationship.refresh_from_db()
    assert relationship.status == S.PAUSED
    life_services.relationship_resume(
        by=world.coordinator_a, relationship=relationship, resumed_on=TODAY()
    )
    relationship.refresh_from_db()
    pause.refresh_from_db()
    assert relationship.status == S.INTRODUCED
    assert (pause.starts_on, pause.ends_on) == (started, TODAY())
    assert list(relationship.changes.values_list("to_status", flat=True)) == [
        S.PAUSED,
        S.INTRODUCED,
    ]


def test_the_mentor_sees_why_it_is_paused_but_cannot_pause_or_close(world):
    life_services.relationship_pause(
        by=world.coordinator_a,
        relationship=world.relationship_a,
        reason=Pause.Reason.HOSPITAL,
        starts_on=TODAY(),
    )
    client = client_for(world.mentor_a)
    page = client.get(reverse("relationships:detail", args=[world.relationship_a.pk]))
    assert "In hospital" in page.content.decode()
    close = reverse("relationships:close", args=[world.relationship_a.pk])
    assert f'href="{close}"' not in page.content.decode()
    for name in ["pause", "resume", "ending", "close", "reopen"]:
        url = reverse(f"relationships:{name}", args=[world.relationship_a.pk])
        assert client.post(url).status_code == 403, name
        other = reverse(f"relationships:{name}", args=[world.relationship_a_other.pk])
        assert client.post(other).status_code == 404, name


def test_managers_cannot_change_the_relationship(world):
    client = client_for(world.manager)
    url = reverse("relationships:close", args=[world.relationship_a.pk])
    data = close_args(closed_on=TODAY().isoformat())
    assert client.post(url, data).status_code == 403
    world.relationship_a.refresh_from_db()
    assert world.relationship_a.status == S.ACTIVE


# --- Closure, and the referral following ------------------------------------------------


def test_a_closure_needs_a_final_review(world):
    with pytest.raises(ValidationError) as exc:
        life_services.relationship_close(
            by=world.coordinator_a, relationship=world.relationship_a, **close_args(final_review="")
        )
    assert "final_review" in exc.value.message_dict
    world.relationship_a.refresh_from_db()
    assert world.relationship_a.status == S.ACTIVE


def test_a_planned_closure_ends_the_referral_as_completed(world):
    """Acceptance: a coordinator closes as planned; the mentee's referral ends, as
    "mentoring completed", moved by the relationship."""
    world.relationship_a.status = S.ENDING
    world.relationship_a.save()
    client = client_for(world.coordinator_a)
    response = client.post(
        reverse("relationships:close", args=[world.relationship_a.pk]),
        close_args(closed_on=TODAY().isoformat()),
    )
    assert response.status_code == 302
    relationship = Relationship.objects.get(pk=world.relationship_a.pk)
    assert (relationship.status, relationship.closure_type, relationship.contact_after) == (
        S.CLOSED,
        "planned",
        "through_scheme",
    )
    referral = referral_of(world)
    assert (referral.status, referral.exit_reason) == (R.ENDED, Referral.ExitReason.COMPLETED)
    assert referral.transitions.get(to_status=R.ENDED).note == "The relationship closed."
    change = relationship.changes.get()
    assert change.note.startswith("Housing sorted")
    # The mentor no longer sees the person.
    detail = reverse("relationships:detail", args=[relationship.pk])
    assert client_for(world.mentor_a).get(detail).status_code == 404


@pytest.mark.parametrize(
    ("reason", "exit_reason"),
    [("lost_contact", "no_response"), ("custody", "returned_to_custody"), ("other", "other")],
)
def test_an_unplanned_closure_ends_the_referral_with_a_matching_reason(world, reason, exit_reason):
    life_services.relationship_close(
        by=world.coordinator_a,
        relationship=world.relationship_a,
        **close_args(closure_type="unplanned", closure_reason=reason),
    )
    referral = referral_of(world)
    assert (referral.status, referral.exit_reason) == (R.ENDED, exit_reason)


def test_closing_a_paused_relationship_ends_the_pause(world):
    pause = life_services.relationship_pause(
        by=world.coordinator_a,
        relationship=world.relationship_a,
        reason="custody",
        starts_on=TODAY() - datetime.timedelta(days=2),
    )
    life_services.relationship_close(
        by=world.coordinator_a,
        relationship=world.relationship_a,
        **close_args(closure_type="unplanned", closure_reason="custody"),
    )
    pause.refresh_from_db()
    assert pause.ends_on == TODAY()


def test_a_referral_that_stops_by_hand_closes_the_relationship_unplanned(world):
    """The referral pipeline's own exits still close the relationship, now coded and in its
    history: consent withdrawn is an unplanned closure, the mentee withdrew."""
    consent = world.mentee_a.consents.get()
    consent_withdraw(by=world.coordinator_a, consent=consent, withdrawn_on=TODAY())
    relationship = Relationship.objects.get(pk=world.relationship_a.pk)
    assert (relationship.status, relationship.closure_type, relationship.closure_reason) == (
        S.CLOSED,
        "unplanned",
        "mentee_withdrew",
    )
    assert relationship.changes.get().to_status == S.CLOSED


def test_unmatching_by_hand_codes_the_closure_as_a_rematch(world):
    referral = referral_of(world)
    referral_move(by=world.coordinator_a, referral=referral, to_status=R.AWAITING_MATCH, on=TODAY())
    relationship = Relationship.objects.get(pk=world.relationship_a.pk)
    assert relationship.closure_reason == Relationship.ClosureReason.REMATCHED


# --- Reopening --------------------------------------------------------------------------


def _closed(world) -> Relationship:
    life_services.relationship_close(
        by=world.coordinator_a,
        relationship=world.relationship_a,
        **close_args(closure_type="unplanned", closure_reason="lost_contact"),
    )
    return Relationship.objects.get(pk=world.relationship_a.pk)


def test_reopening_brings_back_the_relationship_and_the_referral(world):
    """Back to active, closure cleared from the relationship but kept in its history, and
    the referral that ended with it active again."""
    relationship = _closed(world)
    client = client_for(world.coordinator_a)
    url = reverse("relationships:reopen", args=[relationship.pk])
    response = client.post(url, {"reason": "", "reopened_on": TODAY().isoformat()})
    assert "Say why" in response.content.decode()
    response = client.post(
        url, {"reason": "Back in touch after a month.", "reopened_on": TODAY().isoformat()}
    )
    assert response.status_code == 302
    relationship.refresh_from_db()
    assert relationship.status == S.ACTIVE
    assert (relationship.closed_on, relationship.closure_reason, relationship.final_review) == (
        None,
        "",
        "",
    )
    closing = relationship.changes.get(to_status=S.CLOSED)
    assert "Lost contact" in closing.reason and closing.note.startswith("Housing sorted")
    event = AuditEvent.objects.get(action="relationship.reopened")
    assert event.detail["previous_closure"]["closure_reason"] == "lost_contact"
    referral = referral_of(world)
    assert (referral.status, referral.exit_reason) == (R.ACTIVE, "")
    page = client.get(reverse("relationships:detail", args=[relationship.pk])).content.decode()
    assert "Back in touch after a month." in page


def test_reopening_is_refused_while_another_relationship_is_open(world):
    relationship = _closed(world)
    RelationshipFactory(
        mentee=world.mentee_a,
        mentor=MentorFactory(scheme=world.scheme_a, family_name="Brightwater"),
    )
    with pytest.raises(ValidationError, match="Brightwater"):
        life_services.relationship_reopen(
            by=world.coordinator_a, relationship=relationship, reason="x", reopened_on=TODAY()
        )
    relationship.refresh_from_db()
    assert relationship.status == S.CLOSED


def test_reopening_matches_a_newer_referral_waiting_for_a_match(world):
    """Referred again since the closure and waiting: that referral is the one that comes
    back, through matched to active."""
    relationship = _closed(world)
    newer = ReferralFactory(mentee=world.mentee_a, status=R.AWAITING_MATCH, referred_on=TODAY())
    life_services.relationship_reopen(
        by=world.coordinator_a, relationship=relationship, reason="x", reopened_on=TODAY()
    )
    newer.refresh_from_db()
    assert newer.status == R.ACTIVE
    assert list(newer.transitions.values_list("to_status", flat=True)) == [R.MATCHED, R.ACTIVE]


def test_reopening_is_refused_while_a_newer_referral_is_being_assessed(world):
    """Referred again since and still being assessed: the relationship cannot come back
    active beside a referral that is not matched, so nothing changes."""
    relationship = _closed(world)
    newer = ReferralFactory(mentee=world.mentee_a, status=R.ASSESSING, referred_on=TODAY())
    with pytest.raises(ValidationError, match="assessing"):
        life_services.relationship_reopen(
            by=world.coordinator_a, relationship=relationship, reason="x", reopened_on=TODAY()
        )
    relationship.refresh_from_db()
    newer.refresh_from_db()
    assert (relationship.status, newer.status) == (S.CLOSED, R.ASSESSING)


def test_reopening_is_refused_without_current_consent(world):
    relationship = _closed(world)
    consent_withdraw(
        by=world.coordinator_a, consent=world.mentee_a.consents.get(), withdrawn_on=TODAY()
    )
    with pytest.raises(ValidationError, match="consent"):
        life_services.relationship_reopen(
            by=world.coordinator_a, relationship=relationship, reason="x", reopened_on=TODAY()
        )


def test_a_referral_cannot_be_set_back_to_active_by_hand(world):
    """The new ended → active step exists only for reopening a relationship."""
    _closed(world)
    with pytest.raises(ValidationError, match="through its relationship"):
        referral_move(
            by=world.coordinator_a, referral=referral_of(world), to_status=R.ACTIVE, on=TODAY()
        )


def test_closure_is_shown_on_the_page_with_its_history(world):
    _closed(world)
    page = (
        client_for(world.coordinator_a)
        .get(reverse("relationships:detail", args=[world.relationship_a.pk]))
        .content.decode()
    )
    assert "unplanned, lost contact" in page
    assert "Contact after closing: only through the scheme" in page
    assert "Reopen" in page
    assert RelationshipChange.objects.filter(relationship=world.relationship_a).count() == 1


def test_a_pause_moves_the_next_review_on_by_the_days_paused(world):
    """No review falls due while paused, as the pause page promises."""
    from relationships.life.services import relationship_pause, relationship_resume

    rel = world.relationship_a
    today = timezone.localdate()
    rel.matched_on = today - datetime.timedelta(days=100)
    rel.next_review_on = today - datetime.timedelta(days=5)
    rel.save()
    relationship_pause(
        by=world.coordinator_a,
        relationship=rel,
        reason=Pause.Reason.CUSTODY,
        note="",
        starts_on=today - datetime.timedelta(days=65),
    )
    relationship_resume(by=world.coordinator_a, relationship=rel, resumed_on=today)
    rel.refresh_from_db()
    assert rel.next_review_on == today + datetime.timedelta(days=60)


def test_unmatching_a_paused_relationship_ends_its_pause(world):
    from relationships.life.services import relationship_pause
    from relationships.matching.services import relationship_unmatch

    rel = world.relationship_a
    relationship_pause(
        by=world.coordinator_a,
        relationship=rel,
        reason=Pause.Reason.HOSPITAL,
        note="",
        starts_on=timezone.localdate(),
    )
    relationship_unmatch(by=world.coordinator_a, relationship=rel, reason="mentor_left")
    assert not rel.pauses.filter(ends_on__isnull=True).exists()
