"""The rows of the permission matrix for the rules' usefulness pages (flags/rule_views.py):
mentors never (403, as for flags), coordinators over their own schemes, managers over all.
Read-only pages: no write to check. See ``core/tests/matrix.py``."""

from core.tests.matrix import LOGIN, Row, row
from flags.models import Kind


def rule_usefulness_rows() -> list[Row]:
    silence = {"kwargs": lambda w: {"kind": Kind.SILENCE.value}}
    return [
        #                                      anon   mentor coord A coord B manager
        row("flags:rules", "", [LOGIN, 403, 200, 200, 200]),
        row("flags:rule", "silence", [LOGIN, 403, 200, 200, 200], **silence),
        row(
            "flags:rule",
            "no such rule",
            [LOGIN, 403, 404, 404, 404],
            kwargs=lambda w: {"kind": "no_such_rule"},
        ),
    ]
