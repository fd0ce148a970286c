"""What an import job keeps of its check or its import, for its page: each part's counts,
the go-live date, the look ahead (``home.first_look``) and the problems found."""

from typing import Any

from home.importers import WAITED, Outcome
from home.models import ImportJob

#: Problems kept for the page; the count says how many there were in all.
PROBLEMS_KEPT = 2_000


def job_problems(outcome: Outcome) -> list[dict[str, Any]]:
    """The first ``PROBLEMS_KEPT`` problems, each where it is and what it says."""
    return [
        {"sheet": p.sheet, "line": p.line, "column": p.column, "cell": p.cell, "message": p.message}
        for p in outcome.problems[:PROBLEMS_KEPT]
    ]


def job_summary(job: ImportJob, outcome: Outcome) -> dict[str, Any]:
    """Each part's counts, the go-live date, and the look ahead (``first_look``)."""
    summary: dict[str, Any] = {"go_live": job.go_live.isoformat(), "parts": _parts(outcome)}
    if outcome.first_look is not None:
        summary["first_look"] = outcome.first_look
    return summary


def _parts(outcome: Outcome) -> list[dict[str, Any]]:
    return [
        {
            "kind": p.kind,
            "sheet": p.sheet,
            "rows": p.rows,
            "new": p.new,
            "already_present": p.already_present,
            "checked": p.checked,
            # The checks that waited, in words (ours, never the file's): "" if none did.
            "waited": WAITED.get(p.kind, "") if p.waited else "",
        }
        for p in outcome.parts
    ]
