"""A relationship's, a referral's or a mentor's status is set only by its transition module.

Each of these state machines has one module that checks a step, dates it, writes its change
row and audit event (README, "Statuses change in one place per state machine"). Any other
code that writes ``status`` would skip all of that, so this test reads every module outside
tests and migrations and fails on each place that could:

- ``<anything>.status = ...`` (also inside a tuple assignment, or ``+=``) and
  ``setattr(<anything>, "status", ...)``: the syntax does not say which model it is, so every
  one counts, unless it is another state machine's, allowed below by module and name;
- ``Relationship(status=...)``, ``Referral(status=...)``, ``Mentor(status=...)``, and
  ``status=`` (or ``defaults={"status": ...}``) given to ``create``, ``get_or_create`` and
  ``update_or_create`` of their managers;
- ``.update(status=...)`` and ``.bulk_update(..., ["status", ...])`` on a query of one of them,
  or on a query whose model the syntax does not show;
- ``apply_changes(<anything>, {"status": ...})``.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WATCHED = {"Relationship", "Referral", "Mentor", "Concern"}
#: The only modules that set those statuses.
TRANSITION_MODULES = {
    "relationships/transitions.py",
    "mentees/transitions.py",
    "schemes/mentors/transitions.py",
    "concerns/transitions.py",
}
#: Other models with a status of their own are other state machines, each moved in its own
#: module: (module, the name of what is moved there) -> why.
OTHER_MACHINES = {
    # A flag is acknowledged or resolved by a person, and resolved by the watcher's sweep.
    ("flags/services.py", "flag"): "Flag",
    # A goal is achieved or dropped, and a step done, on the relationship's plan.
    ("relationships/plans/services.py", "goal"): "Goal",
    ("relationships/plans/services.py", "step"): "Step",
    # An offer of a match is accepted, declined, lapses or is withdrawn.
    ("relationships/matching/offer_transitions.py", "offer"): "MatchOffer",
    # A planned meeting is held, missed or cancelled, once.
    ("relationships/meetings/plan_transitions.py", "plan"): "PlannedMeeting",
    # A mentor's request for a change of capacity is approved or declined, once.
    ("schemes/mentors/capacity_transitions.py", "capacity_request"): "CapacityRequest",
    # A report export is queued, runs, and is done or failed, in the worker.
    ("reports/services.py", "export"): "ReportExport",
    # An import is checked, confirmed, imported (or fails or expires), in the worker.
    ("home/import_jobs.py", "job"): "ImportJob",
    # A subject-access export is drafted, then released by a manager, then expires.
    ("privacy/services.py", "export"): "SubjectAccessExport",
}
SKIPPED_DIRS = {".git", ".venv", "var", "staticfiles", "node_modules", "migrations", "tests"}
QUERY_WRITES = {"create", "get_or_create", "update_or_create"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code}"


def _root_name(node: ast.expr) -> str:
    """The name a chain of attributes and calls starts from: ``Referral`` for
    ``Referral.objects.filter(...).update``, ``mentee`` for ``mentee.referrals.update``."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def _may_be_watched(name: str) -> bool:
    """A model the syntax names is watched or not; anything else (a variable, a related
    manager) might be one of them."""
    return name in WATCHED or not name[:1].isupper()


def _has_status_key(node: ast.expr | None) -> bool:
    if isinstance(node, ast.Dict):
        return any(isinstance(k, ast.Constant) and k.value == "status" for k in node.keys)
    return False


def _names_status(node: ast.expr | None) -> bool:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(isinstance(e, ast.Constant) and e.value == "status" for e in node.elts)
    return False


def _assigned(targets: list[ast.expr]) -> Iterator[ast.Attribute]:
    for target in targets:
        if isinstance(target, ast.Tuple | ast.List):
            yield from _assigned(list(target.elts))
        elif isinstance(target, ast.Starred):
            yield from _assigned([target.value])
        elif isinstance(target, ast.Attribute) and target.attr == "status":
            yield target


def _call_writes_status(call: ast.Call) -> ast.expr | None:
    """The receiver of a call that writes ``status``, if it does."""
    func = call.func
    keywords = {k.arg: k.value for k in call.keywords}
    if isinstance(func, ast.Name):
        if func.id in WATCHED and "status" in keywords:
            return func
        if func.id == "setattr" and len(call.args) >= 2:
            name = call.args[1]
            if isinstance(name, ast.Constant) and name.value == "status":
                return call.args[0]
        if func.id == "apply_changes" and len(call.args) >= 2 and _has_status_key(call.args[1]):
            return call.args[0]
        return None
    if not isinstance(func, ast.Attribute) or not _may_be_watched(_root_name(func.value)):
        return None
    if func.attr == "update" and "status" in keywords:
        return func.value
    if func.attr in QUERY_WRITES and (
        "status" in keywords or _has_status_key(keywords.get("defaults"))
    ):
        return func.value
    if func.attr == "bulk_update":
        fields = call.args[1] if len(call.args) >= 2 else keywords.get("fields")
        if _names_status(fields):
            return func.value
    return None


def status_writes(path: str, source: str) -> list[Finding]:
    """Every place in one module's ``source`` that writes a watched status, but those
    ``OTHER_MACHINES`` allows there."""
    found = []
    for node in ast.walk(ast.parse(source, filename=path)):
        receivers: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            receivers = [t.value for t in _assigned(node.targets)]
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            receivers = [t.value for t in _assigned([node.target])]
        elif isinstance(node, ast.Call):
            receiver = _call_writes_status(node)
            receivers = [receiver] if receiver is not None else []
        for receiver in receivers:
            name = ast.unparse(receiver).rsplit(".", 1)[-1]
            if (path, name) not in OTHER_MACHINES:
                found.append(Finding(path, node.lineno, ast.unparse(node).splitlines()[0]))
    return sorted(found, key=lambda f: f.line)


def modules(root: Path) -> Iterator[tuple[str, Path]]:
    """Every module under ``root`` outside tests and migrations, by path from the root."""
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        parts = relative.parts
        if SKIPPED_DIRS & set(parts[:-1]) or parts[-1].startswith("test_"):
            continue
        if parts[-1] == "conftest.py":
            continue
        yield relative.as_posix(), path


def check(root: Path) -> list[Finding]:
    """Every status write under ``root`` outside the transition modules."""
    return [
        finding
        for relative, path in modules(root)
        if relative not in TRANSITION_MODULES
        for finding in status_writes(relative, path.read_text())
    ]


def test_only_the_transition_modules_set_a_watched_status():
    found = check(ROOT)
    assert not found, "Set the status through its transition module:\n" + "\n".join(map(str, found))


def test_the_check_reads_the_whole_project():
    """The walk finds the transition modules and the demo data, and skips tests."""
    seen = {relative for relative, _ in modules(ROOT)}
    assert seen >= TRANSITION_MODULES
    assert seen >= {"demo/seeder.py", "schemes/mentors/imports.py"}
    assert not any("/tests/" in relative or "/migrations/" in relative for relative in seen)


def test_every_allowed_module_exists_and_moves_its_own_status():
    """An allowance that no longer matches anything is stale: drop it, or move it with its
    module."""
    for path, name in OTHER_MACHINES:
        source = (ROOT / path).read_text()
        assert f"{name}.status" in source, (path, name)


PLANTED = """
from relationships.models import Relationship
from mentees.models import Referral
from schemes.models import Mentor

def close(relationship, referral, mentor, queryset, flag):
    relationship.status = "closed"
    referral.status, referral.exit_reason = "ended", ""
    mentor.status += ""
    setattr(relationship, "status", "closed")
    Relationship(mentee_id=1, status="active")
    Referral.objects.create(mentee_id=1, status="ended")
    Mentor.objects.get_or_create(pk=1, defaults={"status": "left"})
    Referral.objects.filter(pk=1).update(status="ended")
    relationship.mentee.referrals.update(status="ended")
    Mentor.objects.bulk_update([mentor], ["status", "status_since"])
    queryset.bulk_update([mentor], fields=("status",))
    apply_changes(mentor, {"status": "left"})
    flag.status = "resolved"
"""
QUIET = """
from flags.models import Flag
from relationships.models import Goal, Relationship

def fine(flag, goal, relationship, context):
    flag.status = "resolved"
    goal.status = "achieved"
    Goal(status="active")
    Flag.objects.filter(pk=1).update(status="resolved")
    Flag.objects.bulk_update([flag], ["status"])
    relationship.closed_on = None
    Relationship.objects.filter(status="closed").update(closed_on=None)
    Relationship(mentee_id=1, matched_on=None)
    context.update({"status": "ok"})
"""


def test_the_check_catches_a_status_set_outside_its_module(tmp_path):
    """Planted in a module of its own, every way of writing a watched status is found, on
    its line; the same lines in a transition module, a test or a migration are not."""
    for relative in (
        "relationships/planted.py",
        "relationships/transitions.py",
        "relationships/tests/test_planted.py",
        "relationships/migrations/0099_planted.py",
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(PLANTED)
    found = check(tmp_path)
    assert {f.path for f in found} == {"relationships/planted.py"}
    assert [f.line for f in found] == list(range(7, 20))
    assert found[0].code == "relationship.status = 'closed'"


def test_another_state_machine_may_set_its_own_status_in_its_own_module():
    """The allowance is for that machine's name in that module only."""
    found = status_writes("flags/services.py", PLANTED)
    assert [f.line for f in found] == list(range(7, 19))  # all but flag.status


@pytest.mark.parametrize(
    ("path", "lines"),
    [("flags/services.py", [7]), ("relationships/plans/services.py", [6]), ("core/x.py", [6, 7])],
)
def test_other_state_machines_and_other_fields_are_left_alone(path, lines):
    """Other models' statuses (in their own modules only), other fields, filtering on a
    status and a plain dict's update are not status writes."""
    assert [f.line for f in status_writes(path, QUIET)] == lines
