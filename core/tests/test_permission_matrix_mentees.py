"""The permission matrix for mentees and their referrals: staff pages (mentors get 403,
except the record of their own mentee), records scoped by scheme (404 outside), and every
write for the scheme's coordinators alone (managers get 403). Each write is also sent
valid, in scheme A by its coordinator and in scheme B by its. See ``core/tests/matrix.py``."""

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import User
from conftest import World
from core.tests.matrix import (
    LOGIN,
    Redirect,
    Row,
    Write,
    cases,
    day,
    row,
    run_case,
    today,
    valid,
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


def _fresh(mentee: Mentee) -> Mentee:
    return Mentee.objects.get(pk=mentee.pk)


def _scheme_of(world: World, user: User | None):
    b = user is not None and user.pk == world.coordinator_b.pk
    return world.scheme_b if b else world.scheme_a


# --- Writes, each for a mentee (or referral) the row picks ---------------------------------


def edit(pick: Pick) -> Write:
    def data(world: World, user: User | None) -> dict[str, Any]:
        mentee = pick(world)
        values = {name: getattr(mentee, name) for name in PERSON_FIELDS}
        values["phone"] = "07700 900456"
        return {name: "" if value is None else value for name, value in values.items()}

    def done(world: World, user: User | None, client) -> None:
        assert _fresh(pick(world)).phone == "07700 900456"

    return Write(audit=("mentee.updated",), data=data, done=done)


def consent(pick: Pick) -> Write:
    def done(world: World, user: User | None, client) -> None:
        mentee = _fresh(pick(world))
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
        mentee = _fresh(pick(world))
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
        mentee = _fresh(pick(world))
        assert mentee.readiness_assessed_on == today()
        assert {name: getattr(mentee, name) for name in READINESS} == READINESS

    return Write(
        audit=("mentee.readiness_recorded",),
        data=lambda w, u: {"assessed_on": day(0), **READINESS},
        done=done,
    )


def needs(pick: Pick) -> Write:
    def done(world: World, user: User | None, client) -> None:
        mentee = _fresh(pick(world))
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
        added = _fresh(pick(world)).restrictions.get(kind="no_home_visits")
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


def _new_referral(world: World, user: User | None) -> dict[str, Any]:
    return {
        "scheme": _scheme_of(world, user).pk,
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


def _referral_taken(world: World, user: User | None, client) -> None:
    mentee = Mentee.objects.get(**NEW_PERSON)
    assert mentee.scheme_id == _scheme_of(world, user).pk
    assert mentee.referrals.get().status == Referral.Status.REFERRED


RETURNER = "Returner"


def _returner(scheme) -> Mentee:
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


def _with_consent(mentee: Mentee, by: User) -> Mentee:
    ConsentFactory(mentee=mentee, explained_by=by)
    return mentee


def _end_restriction_done(world: World, user: User | None, client) -> None:
    assert _fresh(world.mentee_a).restrictions.get(pk=world.restriction_a.pk).ended_on == today()


def mentee_rows() -> list[Row]:
    def detail(pick: Pick) -> Redirect:
        return Redirect("mentees:detail", lambda w: {"pk": pick(w).pk})

    a, b = (lambda w: w.mentee_a), (lambda w: w.mentee_b)
    unmatched = lambda w: w.mentee_a_unmatched  # noqa: E731
    of_a, of_b = (
        {"kwargs": lambda w: {"pk": w.mentee_a.pk}},
        {"kwargs": lambda w: {"pk": w.mentee_b.pk}},
    )
    new = Redirect("mentees:detail", lambda w: {"pk": Mentee.objects.get(**NEW_PERSON).pk})
    returner = Redirect(
        "mentees:detail", lambda w: {"pk": Mentee.objects.get(family_name=RETURNER).pk}
    )
    rows = [
        row("mentees:list", "", [LOGIN, 403, 200, 200, 200]),
        row("mentees:detail", "mentor's own mentee", [LOGIN, 200, 200, 404, 200], **of_a),
        row(
            "mentees:detail",
            "same scheme, not the mentor's",
            [LOGIN, 404, 200, 404, 200],
            kwargs=lambda w: {"pk": w.mentee_a_unmatched.pk},
        ),
        row("mentees:detail", "scheme B", [LOGIN, 404, 404, 200, 200], **of_b),
        row(
            "mentees:detail",
            "no such mentee",
            [LOGIN, 404, 404, 404, 404],
            kwargs=lambda w: {"pk": 999_999},
        ),
        row("mentees:referral_new", "", [LOGIN, 403, 200, 200, 403]),
        valid(
            "mentees:referral_new",
            "",
            [LOGIN, 403, new, new, 403],
            Write(
                audit=("mentee.created", "referral.created"),
                data=_new_referral,
                done=_referral_taken,
            ),
        ),
        row("mentees:waiting", "", [LOGIN, 403, 200, 200, 200]),
        row("mentees:edit", "scheme A", [LOGIN, 403, 200, 404, 403], **of_a),
        valid("mentees:edit", "scheme A", [LOGIN, 403, detail(a), 404, 403], edit(a), **of_a),
        row("mentees:edit", "scheme B", [LOGIN, 403, 404, 200, 403], **of_b),
        valid("mentees:edit", "scheme B", [LOGIN, 403, 404, detail(b), 403], edit(b), **of_b),
        row("mentees:referral_reopen", "scheme A", [LOGIN, 403, 200, 404, 403], **of_a),
        valid(
            "mentees:referral_reopen",
            "scheme A, referral ended",
            [LOGIN, 403, returner, 404, 403],
            REFER_AGAIN,
            kwargs=lambda w: {"pk": _returner(w.scheme_a).pk},
        ),
        row("mentees:referral_reopen", "scheme B", [LOGIN, 403, 404, 200, 403], **of_b),
        valid(
            "mentees:referral_reopen",
            "scheme B, referral ended",
            [LOGIN, 403, 404, returner, 403],
            REFER_AGAIN,
            kwargs=lambda w: {"pk": _returner(w.scheme_b).pk},
        ),
        row("mentees:consent_new", "scheme A", [LOGIN, 403, 200, 404, 403], **of_a),
        valid(
            "mentees:consent_new",
            "scheme A, no consent yet",
            [LOGIN, 403, detail(unmatched), 404, 403],
            consent(unmatched),
            kwargs=lambda w: {"pk": w.mentee_a_unmatched.pk},
        ),
        row("mentees:consent_new", "scheme B", [LOGIN, 403, 404, 200, 403], **of_b),
        valid(
            "mentees:consent_new",
            "scheme B, no consent yet",
            [LOGIN, 403, 404, detail(b), 403],
            consent(b),
            **of_b,
        ),
        row("mentees:consent_withdraw", "scheme A", [LOGIN, 403, 200, 404, 403], **of_a),
        valid(
            "mentees:consent_withdraw",
            "scheme A",
            [LOGIN, 403, detail(a), 404, 403],
            withdraw(a),
            **of_a,
        ),
        row(
            "mentees:consent_withdraw",
            "scheme B, no consent to withdraw",
            [LOGIN, 403, 404, detail(b), 403],
            **of_b,
        ),
        valid(
            "mentees:consent_withdraw",
            "scheme B, with consent",
            [LOGIN, 403, 404, detail(b), 403],
            withdraw(b),
            kwargs=lambda w: {"pk": _with_consent(w.mentee_b, w.coordinator_b).pk},
        ),
        row("mentees:readiness", "scheme A", [LOGIN, 403, 200, 404, 403], **of_a),
        valid(
            "mentees:readiness", "scheme A", [LOGIN, 403, detail(a), 404, 403], readiness(a), **of_a
        ),
        row("mentees:readiness", "scheme B", [LOGIN, 403, 404, 200, 403], **of_b),
        valid(
            "mentees:readiness", "scheme B", [LOGIN, 403, 404, detail(b), 403], readiness(b), **of_b
        ),
        row("mentees:needs", "scheme A", [LOGIN, 403, 200, 404, 403], **of_a),
        valid("mentees:needs", "scheme A", [LOGIN, 403, detail(a), 404, 403], needs(a), **of_a),
        row("mentees:needs", "scheme B", [LOGIN, 403, 404, 200, 403], **of_b),
        valid("mentees:needs", "scheme B", [LOGIN, 403, 404, detail(b), 403], needs(b), **of_b),
        row("mentees:restriction_new", "scheme A", [LOGIN, 403, 200, 404, 403], **of_a),
        valid(
            "mentees:restriction_new",
            "scheme A",
            [LOGIN, 403, detail(a), 404, 403],
            restriction(a),
            **of_a,
        ),
        row("mentees:restriction_new", "scheme B", [LOGIN, 403, 404, 200, 403], **of_b),
        valid(
            "mentees:restriction_new",
            "scheme B",
            [LOGIN, 403, 404, detail(b), 403],
            restriction(b),
            **of_b,
        ),
        row(
            "mentees:restriction_end",
            "",
            [LOGIN, 403, detail(a), 404, 403],
            method="post",
            kwargs=lambda w: {"pk": w.mentee_a.pk, "restriction_pk": w.restriction_a.pk},
            write=Write(audit=("restriction.ended",), done=_end_restriction_done),
        ),
        row(
            "mentees:restriction_end",
            "another person's restriction",
            [LOGIN, 403, 404, 404, 403],
            method="post",
            kwargs=lambda w: {"pk": w.mentee_a_unmatched.pk, "restriction_pk": w.restriction_a.pk},
        ),
    ]
    referral_a = lambda w: w.referral_a  # noqa: E731
    referral_b = lambda w: w.referral_b  # noqa: E731
    ref_a = {"kwargs": lambda w: {"pk": w.referral_a.pk}}
    ref_b = {"kwargs": lambda w: {"pk": w.referral_b.pk}}
    of_ref_a = Redirect("mentees:detail", lambda w: {"pk": w.referral_a.mentee_id})
    of_ref_b = Redirect("mentees:detail", lambda w: {"pk": w.referral_b.mentee_id})
    for name, write in [
        ("mentees:referral_move", move),
        ("mentees:contact_attempt_new", attempt),
    ]:
        rows += [
            row(name, "scheme A", [LOGIN, 403, 200, 404, 403], **ref_a),
            valid(name, "scheme A", [LOGIN, 403, of_ref_a, 404, 403], write(referral_a), **ref_a),
            row(name, "scheme B", [LOGIN, 403, 404, 200, 403], **ref_b),
            valid(name, "scheme B", [LOGIN, 403, 404, of_ref_b, 403], write(referral_b), **ref_b),
        ]
    return rows


ROWS: list[Row] = mentee_rows()


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
