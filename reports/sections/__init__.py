"""The sections of a funder report: pure functions from the plain rows to a ``Section``.

Each takes a ``reports.rows.Rows`` (frames of ids, codes, dates and numbers; no names, no
free text) and returns the section's figures (stable keys, documented in
``docs/reports.md``), the tables a person reads and a definition for every figure. No
database here: the tests build crafted rows. A rate is ``None`` when its denominator is 0
(shown "n/a"), and every rate sits beside the counts it is made of.

One module per section; what they share (the period's bounds, counting codes, summary
statistics, building a table) is in ``common``. ``SECTIONS`` is the report's order.
"""

from collections.abc import Callable

from reports.report import Section
from reports.rows import Rows
from reports.sections.concerns import concerns_section
from reports.sections.contact import contact_section
from reports.sections.equality import equality_section
from reports.sections.flags import flags_section
from reports.sections.funnel import funnel_section
from reports.sections.mentors import mentors_section
from reports.sections.outcomes import outcomes_section
from reports.sections.readiness import readiness_section
from reports.sections.relationships import relationships_section
from reports.sections.targets import targets_section
from reports.sections.timeliness import timeliness_section

SECTIONS: list[tuple[str, Callable[[Rows], Section]]] = [
    ("funnel", funnel_section),
    ("readiness", readiness_section),
    ("timeliness", timeliness_section),
    ("contact", contact_section),
    ("relationships", relationships_section),
    ("outcomes", outcomes_section),
    ("mentors", mentors_section),
    ("flags", flags_section),
    ("concerns", concerns_section),
    ("targets", targets_section),
    ("equality", equality_section),
]
