"""The permission matrix for a referral's named next steps ("Start assessment", "Ready to
match: add to the waiting list"): one-click POSTs for the scheme's coordinators alone
(managers and mentors get 403, another scheme's coordinator 404), each also sent valid in
scheme A and in scheme B. See ``core/tests/matrix.py``."""

from collections.abc import Callable

import pytest
from django.utils import timezone

from accounts.models import User
from conftest import World
from core.tests.matrix import LOGIN, Redirect, Row, Write, cases, row, run_case
from mentees.models import Mentee, Referral
from mentees.tests.factories import ConsentFactory

PickReferral = Callable[[World], Referral]


def _consented(pick: PickReferral) -> Callable[[World], object]:
    def prepare(world: World) -> object:
        return ConsentFactory(mentee=pick(world).mentee, explained_by=world.coordinator_a)

    return prepare


def _consented_and_assessed(pick: PickReferral) -> Callable[[World], object]:
    def prepare(world: World) -> object:
        _consented(pick)(world)
        return Mentee.objects.filter(pk=pick(world).mentee_id).update(
            readiness_assessed_on=timezone.localdate()
        )

    return prepare


def _now(pick: PickReferral, status: str) -> Write:
    def done(world: World, user: User | None, client) -> None:
        assert Referral.objects.get(pk=pick(world).pk).status == status

    return Write(audit=("referral.moved",), done=done)


def nextstep_rows() -> list[Row]:
    rows: list[Row] = []
    S = Referral.Status
    for name, prepare, status in [
        ("mentees:referral_start_assessment", _consented, S.ASSESSING),
        ("mentees:referral_add_to_waiting_list", _consented_and_assessed, S.AWAITING_MATCH),
    ]:
        for scheme, pick, expect in [
            ("A", lambda w: w.referral_a, [True, False]),
            ("B", lambda w: w.referral_b, [False, True]),
        ]:
            done = Redirect("mentees:detail", lambda w, p=pick: {"pk": p(w).mentee_id})
            a, b = (done if allowed else 404 for allowed in expect)
            rows.append(
                row(
                    name,
                    f"scheme {scheme}, valid POST",
                    [LOGIN, 403, a, b, 403],
                    method="post",
                    kwargs=lambda w, p=pick: {"pk": p(w).pk},
                    prepare=prepare(pick),
                    write=_now(pick, status),
                )
            )
    return rows


ROWS: list[Row] = nextstep_rows()


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
