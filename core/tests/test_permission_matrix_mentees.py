"""The permission matrix for mentees and their referrals: staff pages (mentors get 403,
except the record of their own mentee), records scoped by scheme (404 outside), and every
write for the scheme's coordinators alone (managers get 403). Each write is also sent
valid, in scheme A by its coordinator and in scheme B by its. See ``core/tests/matrix.py``."""

import pytest

from conftest import World
from core.tests.matrix import (
    LOGIN,
    Redirect,
    Row,
    Write,
    cases,
    row,
    run_case,
    valid,
)
from core.tests.matrix_mentees import (
    NEW_PERSON,
    REFER_AGAIN,
    RETURNER,
    Pick,
    attempt,
    consent,
    edit,
    end_restriction_done,
    move,
    needs,
    new_referral,
    readiness,
    referral_taken,
    restriction,
    returning_mentee,
    with_consent,
    withdraw,
)
from mentees.models import Mentee


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
                data=new_referral,
                done=referral_taken,
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
            kwargs=lambda w: {"pk": returning_mentee(w.scheme_a).pk},
        ),
        row("mentees:referral_reopen", "scheme B", [LOGIN, 403, 404, 200, 403], **of_b),
        valid(
            "mentees:referral_reopen",
            "scheme B, referral ended",
            [LOGIN, 403, 404, returner, 403],
            REFER_AGAIN,
            kwargs=lambda w: {"pk": returning_mentee(w.scheme_b).pk},
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
            kwargs=lambda w: {"pk": with_consent(w.mentee_b, w.coordinator_b).pk},
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
            write=Write(audit=("restriction.ended",), done=end_restriction_done),
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
