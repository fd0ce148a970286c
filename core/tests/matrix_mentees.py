"""The writes the mentees rows of the permission matrix send: a valid body for each, and
what must have changed after it."""

from collections.abc import Callable
from typing import Any

from accounts.models import User
from conftest import World
from core.tests.matrix import (
    Write,
    day,
    scheme_of,
    today,
)
from mentees.models import ContactAttempt, Mentee, Referral, Situation
from mentees.tests.factories import ConsentFactory, MenteeFactory, ReferralFactory
from relationships.models import Relationship

PERSON_FIELDS = [
    "given_name",
    "family_name",
    "date_of_birth",
    "external_reference",
    "phone",
    "email",
    "situation",
    "establishment",
    "expected_release_on",
    "released_on",
    "next_court_date",
    "home_area",
]

Pick = Callable[[World], Mentee]


def fresh(mentee: Mentee) -> Mentee:
    return Mentee.objects.get(pk=mentee.pk)


# --- Writes, each for a mentee (or referral) the row picks ---------------------------------


def edit(pick: Pick) -> Write:
    def data(world: World, user: User | None) -> dict[str, Any]:
        mentee = pick(world)
        values = {name: getattr(mentee, name) for name in PERSON_FIELDS}
        values["phone"] = "07700 900456"
        return {name: "" if value is None else value for name, value in values.items()}

    def done(world: World, user: User | None, client) -> None:
        assert fresh(pick(world)).phone == "07700 900456"

    return Write(audit=("mentee.updated",), data=data, done=done)


def consent(pick: Pick) -> Write:
    def done(world: World, user: User | None, client) -> None:
        mentee = fresh(pick(world))
        assert mentee.consents.get(withdrawn_on=None).explained_by_id == user.pk

    return Write(
        audit=("consent.recorded",),
        data=lambda w, u: {
            "given_on": day(0),
            "information_sheet_version": "v4",
            "confirmed_voluntary": "on",
            "confirmed_recording": "on",
        },
        done=done,
    )


def withdraw(pick: Pick) -> Write:
    def done(world: World, user: User | None, client) -> None:
        mentee = fresh(pick(world))
        assert not mentee.consents.filter(withdrawn_on=None).exists()
        assert not mentee.referrals.filter(status__in=Referral.OPEN_STATUSES).exists()
        assert not mentee.relationships.exclude(status=Relationship.Status.CLOSED).exists()

    return Write(
        audit=("consent.withdrawn", "referral.moved"),
        data=lambda w, u: {"withdrawn_on": day(0)},
        done=done,
    )


READINESS = {
    "knows_what_mentoring_is": "yes",
    "sees_it_as_worthwhile_now": "partly",
    "life_stable_enough": "yes",
    "recognises_lack_of_support": "no",
}


def readiness(pick: Pick) -> Write:
    def done(world: World, user: User | None, client) -> None:
        mentee = fresh(pick(world))
        assert mentee.readiness_assessed_on == today()
        assert {name: getattr(mentee, name) for name in READINESS} == READINESS

    return Write(
        audit=("mentee.readiness_recorded",),
        data=lambda w, u: {"assessed_on": day(0), **READINESS},
        done=done,
    )


def needs(pick: Pick) -> Write:
    def done(world: World, user: User | None, client) -> None:
        mentee = fresh(pick(world))
        assert mentee.needs == ["accommodation", "ete"]
        assert mentee.availability == ["1:evening", "3:morning"]
        assert (mentee.interests, mentee.wants_peer_mentor) == (["football", "cooking"], True)

    return Write(
        audit=("mentee.needs_recorded",),
        data=lambda w, u: {
            "needs": ["ete", "accommodation"],
            "strengths": "Good with people",
            "interests": "football, cooking",
            "availability": ["3:morning", "1:evening"],
            "preferred_language": "Polish",
            "wants_peer_mentor": "on",
            "preferred_mentor_gender": "",
        },
        done=done,
    )


def restriction(pick: Pick) -> Write:
    def done(world: World, user: User | None, client) -> None:
        added = fresh(pick(world)).restrictions.get(kind="no_home_visits")
        assert (added.instruction, added.recorded_by_id) == ("No home visits.", user.pk)

    return Write(
        audit=("restriction.added",),
        data=lambda w, u: {
            "kind": "no_home_visits",
            "instruction": " No home visits. ",
            "assessment_notes": "From the assessment of 3 March.",
        },
        done=done,
    )


PickReferral = Callable[[World], Referral]


def move(pick: PickReferral) -> Write:
    def done(world: World, user: User | None, client) -> None:
        referral = Referral.objects.get(pk=pick(world).pk)
        assert referral.status == Referral.Status.ASSESSING
        assert referral.transitions.get(to_status="assessing").by_id == user.pk

    return Write(
        audit=("referral.moved",),
        data=lambda w, u: {"to_status": "assessing", "on": day(0), "note": "Called them."},
        done=done,
    )


def attempt(pick: PickReferral) -> Write:
    def done(world: World, user: User | None, client) -> None:
        attempt = ContactAttempt.objects.get(referral=pick(world))
        assert (attempt.channel, attempt.outcome, attempt.by_id) == ("phone", "spoke", user.pk)

    return Write(
        audit=("contact_attempt.recorded",),
        data=lambda w, u: {
            "attempted_on": day(0),
            "channel": ContactAttempt.Channel.PHONE,
            "outcome": ContactAttempt.Outcome.SPOKE,
            "note": "",
        },
        done=done,
    )


NEW_PERSON = {"given_name": "Dee", "family_name": "Newreferral"}


def new_referral(world: World, user: User | None) -> dict[str, Any]:
    return {
        "scheme": scheme_of(world, user).pk,
        **{name: "" for name in PERSON_FIELDS},
        **NEW_PERSON,
        "date_of_birth": "1990-05-01",
        "situation": Situation.COMMUNITY,
        "source": Referral.Source.PROBATION,
        "referrer_name": "Pat Probation",
        "referrer_organisation": "Probation",
        "referred_on": day(-1),
        "reason": "Needs someone to talk to.",
    }


def referral_taken(world: World, user: User | None, client) -> None:
    mentee = Mentee.objects.get(**NEW_PERSON)
    assert mentee.scheme_id == scheme_of(world, user).pk
    assert mentee.referrals.get().status == Referral.Status.REFERRED


RETURNER = "Returner"


def returning_mentee(scheme) -> Mentee:
    """Someone referred before, who declined: their referral has ended."""
    mentee = MenteeFactory(scheme=scheme, family_name=RETURNER)
    ReferralFactory(
        mentee=mentee,
        status=Referral.Status.DECLINED,
        exit_reason=Referral.ExitReason.NOT_INTERESTED,
    )
    return mentee


REFER_AGAIN = Write(
    audit=("referral.created",),
    data=lambda w, u: {
        "source": Referral.Source.SELF,
        "referrer_name": "",
        "referrer_organisation": "",
        "referred_on": day(0),
        "reason": "Asked to try again.",
    },
    done=lambda w, u, c: Mentee.objects.get(family_name=RETURNER).referrals.get(
        status=Referral.Status.REFERRED
    ),
)


def with_consent(mentee: Mentee, by: User) -> Mentee:
    ConsentFactory(mentee=mentee, explained_by=by)
    return mentee


def end_restriction_done(world: World, user: User | None, client) -> None:
    assert fresh(world.mentee_a).restrictions.get(pk=world.restriction_a.pk).ended_on == today()
