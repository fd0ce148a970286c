"""The permission matrix: every URL in the project, for every kind of user, with an object
inside and outside each user's scope.

The list of URLs comes from the URLconf itself, so a new URL without a row here fails
``test_every_url_has_a_row``. Expected outcomes follow one rule: not logged in → the login
page; the wrong kind of page for your role → 403; a record outside your scope → 404, the same
answer as a record that does not exist.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

from conftest import World, client_for
from core.services import heartbeat_record
from schemes.tests.factories import FundingFactory, TargetFactory

LOGIN = "login"  # 302 to the login page with ?next=
ROLES = ["anonymous", "mentor", "coordinator_a", "coordinator_b", "manager"]


@dataclass(frozen=True)
class Redirect:
    """302 to this named URL (with arguments taken from the world, if any)."""

    to: str
    kwargs: Callable[[World], dict[str, Any]] | None = None

    def path(self, world: World) -> str:
        return reverse(self.to, kwargs=self.kwargs(world) if self.kwargs else None)


Expected = int | str | Redirect


@dataclass(frozen=True)
class Row:
    url_name: str
    label: str
    expect: dict[str, Expected]
    kwargs: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    method: str = "get"


def row(url_name: str, label: str, expect: list[Expected], **kw: Any) -> Row:
    assert len(expect) == len(ROLES), url_name
    return Row(url_name, label, dict(zip(ROLES, expect, strict=True)), **kw)


HOME = Redirect("home")


def mentor_rows() -> list[Row]:
    """The mentor pool: staff pages only (mentors get 403), files scoped by scheme (404
    outside), and every write for the scheme's coordinators alone (managers get 403)."""
    file_a = {"kwargs": lambda w: {"pk": w.mentor_file_a.pk}}
    file_b = {"kwargs": lambda w: {"pk": w.mentor_file_b.pk}}
    missing = {"kwargs": lambda w: {"pk": 999_999}}
    rows = [
        #                                              anon    mentor  coord A coord B manager
        row("mentors:list", "", [LOGIN, 403, 200, 200, 200]),
        row("mentors:new", "", [LOGIN, 403, 200, 200, 403]),
        row("mentors:new", "POST", [LOGIN, 403, 200, 200, 403], method="post"),
        row("mentors:detail", "scheme A", [LOGIN, 403, 200, 404, 200], **file_a),
        row("mentors:detail", "scheme B", [LOGIN, 403, 404, 200, 200], **file_b),
        row("mentors:detail", "no such mentor", [LOGIN, 403, 404, 404, 404], **missing),
    ]
    for name in [
        "mentors:edit",
        "mentors:status",
        "mentors:dbs_add",
        "mentors:clearance_add",
        "mentors:training_add",
        "mentors:reference_add",
        "mentors:availability",
        "mentors:unavailable_add",
        "mentors:supervision_add",
    ]:
        rows += [
            row(name, "scheme A", [LOGIN, 403, 200, 404, 403], **file_a),
            row(name, "scheme A, POST", [LOGIN, 403, 200, 404, 403], method="post", **file_a),
            row(name, "scheme B", [LOGIN, 403, 404, 200, 403], **file_b),
            row(name, "scheme B, POST", [LOGIN, 403, 404, 200, 403], method="post", **file_b),
            row(name, "no such mentor", [LOGIN, 403, 404, 404, 404], **missing),
        ]
    return rows


def relationship_rows() -> list[Row]:
    """A relationship and what hangs off it: the mentor sees their own (another mentor's is a
    404), coordinators their schemes', managers every one, read-only."""
    own = {"kwargs": lambda w: {"pk": w.relationship_a.pk}}
    other = {"kwargs": lambda w: {"pk": w.relationship_a_other.pk}}
    return [
        row("relationships:list", "", [LOGIN, 403, 200, 200, 200]),
        row("relationships:detail", "own", [LOGIN, 200, 200, 404, 200], **own),
        row("relationships:detail", "another mentor's", [LOGIN, 404, 200, 404, 200], **other),
    ]


def _flag(relationship) -> int:
    """A live flag on ``relationship`` (made on first use)."""
    from django.utils import timezone

    from flags.models import Flag, Kind, Severity

    flag, _ = Flag.objects.get_or_create(
        kind=Kind.SILENCE,
        relationship=relationship,
        defaults={
            "severity": Severity.HIGH,
            "scheme_id": relationship.mentee.scheme_id,
            "evidence": "No meeting held for 20 days.",
            "raised_at": timezone.now(),
        },
    )
    return flag.pk


def flag_rows() -> list[Row]:
    """Flags are for staff: mentors get 403 (they see prompts on their own pages instead),
    coordinators their schemes' flags, managers every flag, read-only."""
    a = {"kwargs": lambda w: {"pk": _flag(w.relationship_a)}}
    return [
        row("flags:list", "", [LOGIN, 403, 200, 200, 200]),
        row("flags:detail", "scheme A", [LOGIN, 403, 200, 404, 200], **a),
        row("flags:acknowledge", "scheme A", [LOGIN, 403, 200, 404, 403], **a),
        row(
            "flags:acknowledge",
            "scheme A, post",
            [LOGIN, 403, 200, 404, 403],
            method="post",
            **a,
        ),
        row("flags:resolve", "scheme A", [LOGIN, 403, 200, 404, 403], **a),
    ]


def plan_rows() -> list[Row]:
    """Goal plans, reviews and the relationship's life. Goals and steps: the relationship's
    mentor and the scheme's coordinators. Reviews, pause, resume, ending, closure, reopening:
    coordinators only (the mentor gets 403 on their own, 404 on another mentor's). Managers
    read the page but write nothing (403)."""
    from relationships.tests.factories import GoalFactory, StepFactory

    own = {"kwargs": lambda w: {"pk": w.relationship_a.pk}}
    other = {"kwargs": lambda w: {"pk": w.relationship_a_other.pk}}
    own_goal = {"kwargs": lambda w: {"pk": GoalFactory(relationship=w.relationship_a).pk}}
    other_goal = {"kwargs": lambda w: {"pk": GoalFactory(relationship=w.relationship_a_other).pk}}
    own_step = {"kwargs": lambda w: {"pk": StepFactory(goal__relationship=w.relationship_a).pk}}
    other_step = {
        "kwargs": lambda w: {"pk": StepFactory(goal__relationship=w.relationship_a_other).pk}
    }
    rows = []
    for name, mine, theirs in [
        ("relationships:goal_add", own, other),
        ("relationships:goal_edit", own_goal, other_goal),
        ("relationships:goal_status", own_goal, other_goal),
        ("relationships:step_add", own_goal, other_goal),
        ("relationships:step_edit", own_step, other_step),
    ]:
        rows += [
            row(name, "own", [LOGIN, 200, 200, 404, 403], **mine),
            row(name, "own, POST", [LOGIN, 200, 200, 404, 403], method="post", **mine),
            row(name, "another mentor's", [LOGIN, 404, 200, 404, 403], **theirs),
            row(name, "another's, POST", [LOGIN, 404, 200, 404, 403], method="post", **theirs),
        ]
    rows += [
        row(
            "relationships:step_done", "own", [LOGIN, 302, 302, 404, 403], method="post", **own_step
        ),
        row(
            "relationships:step_done",
            "another mentor's",
            [LOGIN, 404, 302, 404, 403],
            method="post",
            **other_step,
        ),
    ]
    for name in [
        "relationships:review_add",
        "relationships:pause",
        "relationships:resume",
        "relationships:ending",
        "relationships:close",
        "relationships:reopen",
    ]:
        rows += [
            row(name, "own", [LOGIN, 403, 200, 404, 403], **own),
            row(name, "own, POST", [LOGIN, 403, 200, 404, 403], method="post", **own),
            row(name, "another mentor's", [LOGIN, 404, 200, 404, 403], **other),
        ]
    return rows


def matching_rows() -> list[Row]:
    """Matching: staff pages (mentors 403). Suggestions are read by the scheme's coordinators
    and managers; matching and un-matching are writes for the scheme's coordinators alone
    (managers 403); another scheme's mentee, mentor or relationship is a 404."""
    unmatched_a = {"kwargs": lambda w: {"mentee_pk": w.mentee_a_unmatched.pk}}
    confirm_a = {
        "kwargs": lambda w: {
            "mentee_pk": w.mentee_a_unmatched.pk,
            "mentor_pk": w.relationship_a_other.mentor.pk,
        }
    }
    confirm_b_mentor = {
        "kwargs": lambda w: {
            "mentee_pk": w.mentee_a_unmatched.pk,
            "mentor_pk": w.mentor_file_b.pk,
        }
    }
    own = {"kwargs": lambda w: {"pk": w.relationship_a.pk}}
    return [
        # expectations: anon, mentor, coordinator A, coordinator B, manager
        row(
            "relationships:match_suggestions",
            "scheme A",
            [LOGIN, 403, 200, 404, 200],
            **unmatched_a,
        ),
        row(
            "relationships:match_suggestions",
            "scheme B",
            [LOGIN, 403, 404, 200, 200],
            kwargs=lambda w: {"mentee_pk": w.mentee_b.pk},
        ),
        row(
            "relationships:match_suggestions",
            "no such mentee",
            [LOGIN, 403, 404, 404, 404],
            kwargs=lambda w: {"mentee_pk": 999_999},
        ),
        row("relationships:match_confirm", "scheme A", [LOGIN, 403, 200, 404, 403], **confirm_a),
        row(
            "relationships:match_confirm",
            "scheme A, POST",
            [LOGIN, 403, 200, 404, 403],
            method="post",
            **confirm_a,
        ),
        row(
            "relationships:match_confirm",
            "another scheme's mentor",
            [LOGIN, 403, 404, 404, 403],
            **confirm_b_mentor,
        ),
        row("relationships:unmatch", "scheme A", [LOGIN, 403, 200, 404, 403], **own),
        row(
            "relationships:unmatch",
            "scheme A, POST",
            [LOGIN, 403, 200, 404, 403],
            method="post",
            **own,
        ),
        row(
            "relationships:unmatch",
            "no such relationship",
            [LOGIN, 403, 404, 404, 404],
            kwargs=lambda w: {"pk": 999_999},
        ),
    ]


def meeting_rows() -> list[Row]:
    """Meetings and notifications. The relationship's mentor and the scheme's coordinators
    log meetings (another mentor's relationship is a 404); managers read but never log."""
    own = {"kwargs": lambda w: {"pk": w.relationship_a.pk}}
    other = {"kwargs": lambda w: {"pk": w.relationship_a_other.pk}}
    missing = {"kwargs": lambda w: {"pk": 999_999}}
    back = Redirect("core:notifications")
    return [
        #                                                  anon    mentor  coord A coord B manager
        row("relationships:meeting_new", "own", [LOGIN, 200, 200, 404, 403], **own),
        row(
            "relationships:meeting_new",
            "own, POST",
            [LOGIN, 200, 200, 404, 403],
            method="post",
            **own,
        ),
        row("relationships:meeting_new", "another mentor's", [LOGIN, 404, 200, 404, 403], **other),
        row(
            "relationships:meeting_new",
            "another mentor's, POST",
            [LOGIN, 404, 200, 404, 403],
            method="post",
            **other,
        ),
        row("relationships:meeting_new", "missing", [LOGIN, 404, 404, 404, 404], **missing),
        row("relationships:meetings", "own", [LOGIN, 200, 200, 404, 200], **own),
        row("relationships:meetings", "another mentor's", [LOGIN, 404, 200, 404, 200], **other),
        row("core:notifications", "", [LOGIN, 200, 200, 200, 200]),
        row("core:notifications_read", "", [LOGIN, 405, 405, 405, 405]),
        row("core:notifications_read", "POST", [LOGIN, back, back, back, back], method="post"),
    ]


def _export(w: World) -> int:
    """coordinator_a's report on scheme A (made on first use)."""
    from django.utils import timezone

    from reports.models import ReportExport

    export, _ = ReportExport.objects.get_or_create(
        requested_by=w.coordinator_a,
        defaults={
            "scheme_ids": [w.scheme_a.pk],
            "date_from": timezone.localdate(),
            "date_to": timezone.localdate(),
        },
    )
    return export.pk


def report_rows() -> list[Row]:
    """Reports are for staff; an export is its asker's alone (anyone else: 404)."""
    own = {"kwargs": lambda w: {"pk": _export(w)}}
    return [
        row("reports:new", "", [LOGIN, 403, 200, 200, 200]),
        row("reports:new", "POST", [LOGIN, 403, 200, 200, 200], method="post"),
        row("reports:detail", "coordinator A's", [LOGIN, 403, 200, 404, 404], **own),
        row("reports:progress", "coordinator A's", [LOGIN, 403, 200, 404, 404], **own),
        # Not built yet: the file is not there to download.
        row("reports:download", "coordinator A's", [LOGIN, 403, 404, 404, 404], **own),
    ]


MATRIX: list[Row] = [
    #                                                 anon    mentor  coord A coord B manager
    row(
        "home",
        "",
        [
            LOGIN,
            Redirect("relationships:my_mentees"),
            Redirect("home:dashboard"),
            Redirect("home:dashboard"),
            Redirect("schemes:list"),
        ],
    ),
    row("healthz", "", [200, 200, 200, 200, 200]),
    row("login", "", [200, HOME, HOME, HOME, HOME]),
    row("logout", "", [Redirect("login")] * 5, method="post"),
    row("password_change", "", [LOGIN, 200, 200, 200, 200]),
    row("password_change_done", "", [LOGIN, 200, 200, 200, 200]),
    row("password_reset", "", [200] * 5),
    row("password_reset_done", "", [200] * 5),
    row(
        "password_reset_confirm",
        "bad link",
        [200] * 5,
        kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"},
    ),
    row("password_reset_complete", "", [200] * 5),
    row("home:dashboard", "", [LOGIN, 403, 200, 200, 200]),
    row("core:no_role", "", [LOGIN, HOME, HOME, HOME, HOME]),
    row("accounts:list", "", [LOGIN, 403, 403, 403, 200]),
    row("accounts:invite", "", [LOGIN, 403, 403, 403, 200]),
    row(
        "accounts:detail",
        "",
        [LOGIN, 403, 403, 403, 200],
        kwargs=lambda w: {"pk": w.coordinator_a.pk},
    ),
    row(
        "accounts:detail",
        "no such person",
        [LOGIN, 403, 403, 403, 404],
        kwargs=lambda w: {"pk": 999_999},
    ),
    row(
        "accounts:set_active",
        "",
        [LOGIN, 403, 403, 403, Redirect("accounts:detail", lambda w: {"pk": w.coordinator_b.pk})],
        method="post",
        kwargs=lambda w: {"pk": w.coordinator_b.pk},
    ),
    row(
        "accounts:set_active",
        "no such person",
        [LOGIN, 403, 403, 403, 404],
        method="post",
        kwargs=lambda w: {"pk": 999_999},
    ),
    row(
        "accounts:membership_remove",
        "",
        [LOGIN, 403, 403, 403, Redirect("accounts:detail", lambda w: {"pk": w.coordinator_a.pk})],
        method="post",
        kwargs=lambda w: {
            "pk": w.coordinator_a.pk,
            "membership_pk": w.coordinator_a.memberships.get().pk,
        },
    ),
    row(
        "accounts:membership_remove",
        "role of someone else",
        [LOGIN, 403, 403, 403, 404],
        method="post",
        kwargs=lambda w: {
            "pk": w.coordinator_a.pk,
            "membership_pk": w.coordinator_b.memberships.get().pk,
        },
    ),
    row("schemes:list", "", [LOGIN, 403, 200, 200, 200]),
    row("schemes:new", "", [LOGIN, 403, 403, 403, 200]),
    row(
        "schemes:detail",
        "scheme A",
        [LOGIN, 403, 200, 404, 200],
        kwargs=lambda w: {"pk": w.scheme_a.pk},
    ),
    row(
        "schemes:detail",
        "scheme B",
        [LOGIN, 403, 404, 200, 200],
        kwargs=lambda w: {"pk": w.scheme_b.pk},
    ),
    row("schemes:edit", "", [LOGIN, 403, 403, 403, 200], kwargs=lambda w: {"pk": w.scheme_a.pk}),
    row(
        "schemes:edit",
        "no such scheme",
        [LOGIN, 403, 403, 403, 404],
        kwargs=lambda w: {"pk": 999_999},
    ),
    row(
        "schemes:funding_add",
        "",
        [LOGIN, 403, 403, 403, 200],
        kwargs=lambda w: {"pk": w.scheme_a.pk},
    ),
    row(
        "schemes:target_add",
        "",
        [LOGIN, 403, 403, 403, 200],
        kwargs=lambda w: {"pk": w.scheme_a.pk},
    ),
    row(
        "schemes:coordinator_add",
        "",
        [LOGIN, 403, 403, 403, 200],
        kwargs=lambda w: {"pk": w.scheme_a.pk},
    ),
    row(
        "schemes:coordinator_add",
        "no such scheme",
        [LOGIN, 403, 403, 403, 404],
        kwargs=lambda w: {"pk": 999_999},
    ),
    row(
        "schemes:funding_remove",
        "",
        [LOGIN, 403, 403, 403, Redirect("schemes:detail", lambda w: {"pk": w.scheme_a.pk})],
        method="post",
        kwargs=lambda w: {"pk": w.scheme_a.pk, "funding_pk": FundingFactory(scheme=w.scheme_a).pk},
    ),
    row(
        "schemes:funding_remove",
        "another scheme's funding",
        [LOGIN, 403, 403, 403, 404],
        method="post",
        kwargs=lambda w: {"pk": w.scheme_a.pk, "funding_pk": FundingFactory(scheme=w.scheme_b).pk},
    ),
    row(
        "schemes:target_remove",
        "",
        [LOGIN, 403, 403, 403, Redirect("schemes:detail", lambda w: {"pk": w.scheme_a.pk})],
        method="post",
        kwargs=lambda w: {"pk": w.scheme_a.pk, "target_pk": TargetFactory(scheme=w.scheme_a).pk},
    ),
    row(
        "schemes:target_remove",
        "another scheme's target",
        [LOGIN, 403, 403, 403, 404],
        method="post",
        kwargs=lambda w: {"pk": w.scheme_a.pk, "target_pk": TargetFactory(scheme=w.scheme_b).pk},
    ),
    *mentor_rows(),
    *relationship_rows(),
    *flag_rows(),
    *plan_rows(),
    *matching_rows(),
    *meeting_rows(),
    *report_rows(),
    row("mentees:list", "", [LOGIN, 403, 200, 200, 200]),
    row(
        "mentees:detail",
        "mentor's own mentee",
        [LOGIN, 200, 200, 404, 200],
        kwargs=lambda w: {"pk": w.mentee_a.pk},
    ),
    row(
        "mentees:detail",
        "same scheme, not the mentor's",
        [LOGIN, 404, 200, 404, 200],
        kwargs=lambda w: {"pk": w.mentee_a_unmatched.pk},
    ),
    row(
        "mentees:detail",
        "scheme B",
        [LOGIN, 404, 404, 200, 200],
        kwargs=lambda w: {"pk": w.mentee_b.pk},
    ),
    row(
        "mentees:detail",
        "no such mentee",
        [LOGIN, 404, 404, 404, 404],
        kwargs=lambda w: {"pk": 999_999},
    ),
    row("mentees:referral_new", "", [LOGIN, 403, 200, 200, 403]),
    row("mentees:waiting", "", [LOGIN, 403, 200, 200, 200]),
    row("home:import", "", [LOGIN, 403, 200, 200, 403]),
    row(
        "mentees:edit",
        "scheme A",
        [LOGIN, 403, 200, 404, 403],
        kwargs=lambda w: {"pk": w.mentee_a.pk},
    ),
    row(
        "mentees:edit",
        "scheme B",
        [LOGIN, 403, 404, 200, 403],
        kwargs=lambda w: {"pk": w.mentee_b.pk},
    ),
    row(
        "mentees:referral_reopen",
        "scheme A",
        [LOGIN, 403, 200, 404, 403],
        kwargs=lambda w: {"pk": w.mentee_a.pk},
    ),
    row(
        "mentees:referral_reopen",
        "scheme B",
        [LOGIN, 403, 404, 200, 403],
        kwargs=lambda w: {"pk": w.mentee_b.pk},
    ),
    row(
        "mentees:consent_new",
        "scheme A",
        [LOGIN, 403, 200, 404, 403],
        kwargs=lambda w: {"pk": w.mentee_a.pk},
    ),
    row(
        "mentees:consent_new",
        "scheme B",
        [LOGIN, 403, 404, 200, 403],
        kwargs=lambda w: {"pk": w.mentee_b.pk},
    ),
    row(
        "mentees:consent_withdraw",
        "scheme A",
        [LOGIN, 403, 200, 404, 403],
        kwargs=lambda w: {"pk": w.mentee_a.pk},
    ),
    row(
        "mentees:consent_withdraw",
        "scheme B, no consent to withdraw",
        [LOGIN, 403, 404, Redirect("mentees:detail", lambda w: {"pk": w.mentee_b.pk}), 403],
        kwargs=lambda w: {"pk": w.mentee_b.pk},
    ),
    row(
        "mentees:readiness",
        "scheme A",
        [LOGIN, 403, 200, 404, 403],
        kwargs=lambda w: {"pk": w.mentee_a.pk},
    ),
    row(
        "mentees:readiness",
        "scheme B",
        [LOGIN, 403, 404, 200, 403],
        kwargs=lambda w: {"pk": w.mentee_b.pk},
    ),
    row(
        "mentees:needs",
        "scheme A",
        [LOGIN, 403, 200, 404, 403],
        kwargs=lambda w: {"pk": w.mentee_a.pk},
    ),
    row(
        "mentees:needs",
        "scheme B",
        [LOGIN, 403, 404, 200, 403],
        kwargs=lambda w: {"pk": w.mentee_b.pk},
    ),
    row(
        "mentees:restriction_new",
        "scheme A",
        [LOGIN, 403, 200, 404, 403],
        kwargs=lambda w: {"pk": w.mentee_a.pk},
    ),
    row(
        "mentees:restriction_new",
        "scheme B",
        [LOGIN, 403, 404, 200, 403],
        kwargs=lambda w: {"pk": w.mentee_b.pk},
    ),
    row(
        "mentees:restriction_end",
        "",
        [LOGIN, 403, Redirect("mentees:detail", lambda w: {"pk": w.mentee_a.pk}), 404, 403],
        method="post",
        kwargs=lambda w: {"pk": w.mentee_a.pk, "restriction_pk": w.restriction_a.pk},
    ),
    row(
        "mentees:restriction_end",
        "another person's restriction",
        [LOGIN, 403, 404, 404, 403],
        method="post",
        kwargs=lambda w: {"pk": w.mentee_a_unmatched.pk, "restriction_pk": w.restriction_a.pk},
    ),
    row(
        "mentees:referral_move",
        "scheme A",
        [LOGIN, 403, 200, 404, 403],
        kwargs=lambda w: {"pk": w.referral_a.pk},
    ),
    row(
        "mentees:referral_move",
        "scheme B",
        [LOGIN, 403, 404, 200, 403],
        kwargs=lambda w: {"pk": w.referral_b.pk},
    ),
    row(
        "mentees:contact_attempt_new",
        "scheme A",
        [LOGIN, 403, 200, 404, 403],
        kwargs=lambda w: {"pk": w.referral_a.pk},
    ),
    row(
        "mentees:contact_attempt_new",
        "scheme B",
        [LOGIN, 403, 404, 200, 403],
        kwargs=lambda w: {"pk": w.referral_b.pk},
    ),
    row("relationships:my_mentees", "", [LOGIN, 200, 403, 403, 403]),
    row("audit:list", "", [LOGIN, 403, 403, 403, 200]),
]

# The Django admin is for system administrators (is_staff), which none of these roles are:
# every admin page sends them to the admin's own login, except these two.
ADMIN_EXCEPTIONS: dict[str, Expected] = {
    "admin:login": 200,  # the admin's login form (it tells a logged-in non-admin they can't)
    "admin:logout": Redirect("admin:index"),  # nothing to do: back to the admin, then login
}


def all_url_patterns(patterns: list | None = None, prefix: str = "") -> dict[str, list[str]]:
    """Every URL pattern's full name and parameter names, walked from the URLconf.

    An unnamed pattern fails: it could not be given a row. The one exception is Django's
    admin, whose unnamed ``<object_id>/`` pattern only redirects to its named change view.
    """
    found: dict[str, list[str]] = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            found.update(all_url_patterns(pattern.url_patterns, ns))
        elif isinstance(pattern, URLPattern):
            if not pattern.name and prefix.startswith("admin:"):
                continue
            assert pattern.name, f"URL pattern {pattern.pattern} has no name: give it one"
            route = pattern.pattern
            params = list(getattr(route, "converters", {}) or route.regex.groupindex)
            found[prefix + pattern.name] = params
    return found


def admin_sample_kwargs(params: list[str]) -> dict[str, Any]:
    """Plausible arguments for an admin URL, from the pattern's own parameter names."""
    sample = {"app_label": "accounts", "object_id": "1", "content_type_id": 999_999}
    return {p: sample.get(p, "1") for p in params}


def missing_rows() -> set[str]:
    declared = {r.url_name for r in MATRIX}
    names = set(all_url_patterns())
    return {n for n in names if not n.startswith("admin:")} - declared


def test_every_url_has_a_row():
    """A URL added to the project without a row in this matrix fails the suite."""
    assert missing_rows() == set()


def test_a_url_without_a_row_is_caught(settings):
    """The coverage check really reads the URLconf: an extra URL is reported as missing."""
    settings.ROOT_URLCONF = "core.tests.urls_with_extra"
    assert missing_rows() == {"unlisted"}


def test_matrix_has_no_stale_rows():
    """Every row names a URL that exists, so a renamed URL cannot leave a check behind."""
    names = set(all_url_patterns())
    assert {r.url_name for r in MATRIX} - names == set()


def _assert_outcome(response, expected: Expected, url: str, world: World) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, f"{url}: {response.status_code}"
        assert response["Location"].startswith(reverse("login") + "?next="), response["Location"]
    elif isinstance(expected, Redirect):
        assert response.status_code == 302, f"{url}: {response.status_code}"
        assert response["Location"] == expected.path(world), response["Location"]
    else:
        assert response.status_code == expected, f"{url}: {response.status_code}"


CASES = [(r, role) for r in MATRIX for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("matrix_row", "role"),
    CASES,
    ids=[f"{r.url_name}{'[' + r.label + ']' if r.label else ''}-{role}" for r, role in CASES],
)
def test_permission_matrix(world: World, matrix_row: Row, role: str):
    """Each role gets exactly the declared outcome for each URL and object, and no page a
    role may open shows a mentee outside that role's scope."""
    heartbeat_record()  # so /healthz can answer "all fine" for this check
    url = reverse(matrix_row.url_name, kwargs=matrix_row.kwargs(world) or None)
    client = client_for(world.users()[role])
    response = getattr(client, matrix_row.method)(url)
    _assert_outcome(response, matrix_row.expect[role], url, world)
    if response.status_code == 200:
        body = response.content.decode()
        for mentee in OUT_OF_SCOPE[role](world):
            assert mentee.reference not in body, f"{url} shows {mentee.reference} to {role}"
            full_name = escape(f"{mentee.given_name} {mentee.family_name}")
            assert full_name not in body, f"{url} shows {full_name} to {role}"


OUT_OF_SCOPE = {
    "anonymous": lambda w: [
        w.mentee_a,
        w.mentee_a_unmatched,
        w.mentee_b,
        w.relationship_a_other.mentee,
    ],
    "mentor": lambda w: [w.mentee_a_unmatched, w.mentee_b, w.relationship_a_other.mentee],
    "coordinator_a": lambda w: [w.mentee_b],
    "coordinator_b": lambda w: [w.mentee_a, w.mentee_a_unmatched, w.relationship_a_other.mentee],
    "manager": lambda w: [],
}


ADMIN_URLS = {n: p for n, p in all_url_patterns().items() if n.startswith("admin:")}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(ADMIN_URLS))
def test_admin_is_closed_to_every_role(world: World, url_name: str):
    """No scheme role opens the Django admin: each is sent to the admin's login instead."""
    url = reverse(url_name, kwargs=admin_sample_kwargs(ADMIN_URLS[url_name]) or None)
    for role, user in world.users().items():
        response = client_for(user).get(url)
        expected = ADMIN_EXCEPTIONS.get(url_name)
        if expected is None:
            assert response.status_code == 302, f"{role} {url}: {response.status_code}"
            assert response["Location"].startswith(reverse("admin:login")), response["Location"]
        else:
            _assert_outcome(response, expected, url, world)
