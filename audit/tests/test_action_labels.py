"""Every audit event reads in words: each action the code writes has a label in the trail's
map, so a manager never meets a raw code such as ``second_factor.reset``.

The actions are found by reading the project's source (not by running it), so an event added
anywhere, in any app, without a label fails here before a manager sees it."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from audit.selectors import ACTION_LABELS
from core.tests.project import PROJECT_APPS, ROOT
from relationships.models import MatchOffer, PlannedMeeting

ACTION = re.compile(r"^[a-z_]+\.[a-z_]+$")
#: The calls that take an action as a plain argument (besides ``action=``).
AUDIT_CALLS = {"audit_record", "audit_build", "audit_record_many", "_audit", "save_record"}
#: Where an action is built from a value; each is checked against that value's choices below.
BUILT_ACTIONS = {
    ("relationships/matching/offer_transitions.py", "offer."),
    ("relationships/meetings/plan_transitions.py", "plan."),
}


def _sources() -> Iterator[Path]:
    for app in PROJECT_APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts or path.name == "selectors.py":
                continue
            yield path


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _strings(node: ast.AST) -> Iterator[str]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and ACTION.match(sub.value):
            yield sub.value


def _written_actions() -> tuple[set[str], set[tuple[str, str]]]:
    """The action codes the code writes, and where an action is an f-string (file, prefix)."""
    written: set[str] = set()
    built: set[tuple[str, str]] = set()
    every_string: dict[str, set[str]] = {}
    for path in _sources():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "action":
                written.update(_strings(node.value))
                for sub in ast.walk(node.value):
                    if isinstance(sub, ast.JoinedStr) and sub.values:
                        head = sub.values[0]
                        prefix = head.value if isinstance(head, ast.Constant) else ""
                        built.add((path.relative_to(ROOT).as_posix(), str(prefix)))
            elif isinstance(node, ast.Call) and _called(node) in AUDIT_CALLS:
                for arg in node.args:
                    written.update(_strings(arg))
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and ACTION.match(node.value):
                every_string.setdefault(node.value, set()).add(str(path))
    # Actions kept in a table (a transition's steps, a status's event) are strings with the
    # prefix of an action written elsewhere; "audit.urls" and the like are module paths.
    prefixes = {action.split(".")[0] for action in written}
    for text in every_string:
        head, tail = text.split(".")
        module = ROOT / head / tail
        if head in prefixes and not (module.with_suffix(".py").exists() or module.is_dir()):
            written.add(text)
    return written, built


def test_every_action_written_in_the_code_has_a_label_in_words():
    """An action written anywhere in the code (login, second factor, retention, subject
    access, case records) shows in the audit trail as words, not as its code."""
    written, _ = _written_actions()
    # The scan finds events from every part of the app, including the new ones.
    assert {
        "user.logged_in",
        "second_factor.reset",
        "retention.run",
        "subject_access.released",
        "goal.created",
        "relationship.paused",
        "concern.closed",
        "mentor.supervision_logged",
    } <= written
    missing = sorted(written - ACTION_LABELS.keys())
    assert not missing, f"Audit actions with no label in audit/selectors.py: {missing}"


def test_actions_built_from_an_offer_status_each_have_a_label():
    """An offer's answer is audited as ``offer.<new status>``: each status an offer can move
    to has its label, and no other action is built from a value without a check here."""
    _, built = _written_actions()
    assert built == BUILT_ACTIONS
    answered = [s for s in MatchOffer.Status.values if s != MatchOffer.Status.PENDING]
    assert answered
    assert not [s for s in answered if f"offer.{s}" not in ACTION_LABELS]


def test_labels_are_plain_words_not_codes():
    """A label is a sentence a manager reads: no dots, underscores or the code itself."""
    for action, label in ACTION_LABELS.items():
        assert label != action
        assert "_" not in label and "." not in label, (action, label)
        assert label[0].isupper(), (action, label)


def test_actions_built_from_a_plan_status_each_have_a_label():
    """A planned meeting's answer is audited as ``plan.<new status>``: each status a plan can
    move to has its label."""
    answered = [s for s in PlannedMeeting.Status.values if s != PlannedMeeting.Status.PLANNED]
    assert len(answered) == 5
    assert not [s for s in answered if f"plan.{s}" not in ACTION_LABELS]
