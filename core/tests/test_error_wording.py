"""Error messages that reach a page's error summary read alike, as GOV.UK's do: no full stop at
the end, and "cannot", never "can't". Read from the source of every form and service, so a new
message is held to the same rule; and a few messages that used to read badly now say what to do."""

import ast
from pathlib import Path

import pytest

from core.imports import check_rows
from core.tests.project import PROJECT_APPS as APPS
from core.tests.project import ROOT
from relationships.meetings.imports import MEETING_REQUIRED, MeetingRow
from schemes.forms import TargetForm
from schemes.mentors.forms import AvailabilityForm

# Import rows are not in this list: their messages go to the import report, a table of sentences.
SHOWN_IN_FORMS = ("forms.py", "services.py", "transitions.py", "file_writes.py", "build.py")
ERROR_CALLS = {"ValidationError", "add_error", "up_to_today"}


def _modules() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path.name.endswith(SHOWN_IN_FORMS) and "tests" not in path.parts
    )


def _text(node: ast.AST) -> str:
    """A message as written: a plain string, an f-string's fixed parts, or "a" "b" joined."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            _text(part) if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return ""


def _messages(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        parts: list[ast.AST] = []
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in ERROR_CALLS:
                parts = list(node.args)
            parts += [k.value for k in node.keywords if k.arg == "error_messages"]
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Subscript) and getattr(t.value, "id", "") == "errors"
            for t in node.targets
        ):
            parts = [node.value]
        for part in parts:
            inner = {
                id(c) for s in ast.walk(part) if isinstance(s, ast.JoinedStr) for c in s.values
            }
            for sub in ast.walk(part):
                text = _text(sub) if id(sub) not in inner else ""
                if text:
                    found.append((sub.lineno, text))
    return found


def test_the_walk_finds_the_messages():
    """The walk reads the messages it means to hold (a guard against reading nothing)."""
    assert len([m for path in _modules() for m in _messages(path)]) > 100


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_error_messages_have_no_full_stop_and_say_cannot(path: Path):
    """No error message of a form or service ends in a full stop or says "can't"."""
    bad = [
        f"{path.name}:{line}: {text!r}"
        for line, text in _messages(path)
        if "can't" in text or "can’t" in text or text.rstrip().endswith(".")
    ]
    assert not bad


def test_capacity_says_what_to_enter():
    """An empty or zero capacity says what the number is, not "Enter capacity"."""
    assert AvailabilityForm(data={}).errors["capacity"] == [
        "Enter the most mentees they can have at one time"
    ]
    assert AvailabilityForm(data={"capacity": "0"}).errors["capacity"] == [
        "Capacity must be 1 or more"
    ]


def test_a_target_says_what_to_enter():
    """An empty target says what the number is, not "Enter target"."""
    assert TargetForm(data={}).errors["number"] == [
        "Enter the target number for this stage and period"
    ]


def test_an_empty_import_column_is_named():
    """An empty cell in a required CSV column names the column, not the form's field."""
    data = (
        b"mentee_reference,mentor_reference,matched_on,held_on,mode,initiated_by,purpose,"
        b"duration_minutes,outcome\n"
        b"M1,T1,2024-01-02,2024-01-03,in_person,,catch_up,60,met\n"
    )
    report, _ = check_rows(
        data,
        required=MEETING_REQUIRED,
        optional=[],
        row_form=MeetingRow,
    )
    messages = [(p.column, p.message) for p in report.problems]
    assert (
        "initiated_by",
        "The “initiated_by” column is empty: every row needs a value in it.",
    ) in messages
    assert not any(message.startswith("Select ") for _, message in messages)
