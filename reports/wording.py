"""What a report says in words at its top, the same on screen and on the PDF's first page:
whose report it is, the headline of the funnel, and how far the figures go."""

import datetime
from typing import Any

from reports.charts import count_text, find_table, number, people_column
from reports.sections.funnel import STAGES

#: A title names at most this many schemes; more are counted ("and 9 more schemes").
TITLE_SCHEMES = 3
MET_A_MENTOR = dict(STAGES)["any_contact"]


def report_subject(funder: str, schemes: list[str]) -> str:
    """Whose report it is: the funder's name when a funder was chosen, else the schemes
    chosen ("A, B and C", or "A, B, C and 9 more schemes")."""
    if funder:
        return funder
    if len(schemes) <= 1:
        return "".join(schemes)
    if len(schemes) <= TITLE_SCHEMES:
        return ", ".join(schemes[:-1]) + " and " + schemes[-1]
    more = len(schemes) - TITLE_SCHEMES
    return f"{', '.join(schemes[:TITLE_SCHEMES])} and {more} more scheme{'s' if more > 1 else ''}"


def report_title(funder: str, schemes: list[str]) -> str:
    """The PDF's title: "Funder report for <the funder, or the schemes chosen>"."""
    subject = report_subject(funder, schemes)
    return f"Funder report for {subject}" if subject else "Funder report"


def _percent(part: float, whole: float) -> str:
    share = part / whole
    return f"{share:.0%}" if share in (0, 1) else f"{share:.1%}"


def headline(sections: list[dict[str, Any]]) -> str:
    """The funnel in one sentence: "Of 4,000 people referred, 90 met a mentor: 2.2%."."""
    table = find_table(sections, "funnel", "funnel")
    if table is None or not table["rows"]:
        return ""
    people = people_column(table)
    if people is None:
        return ""
    rows = {str(row[0]): row for row in table["rows"]}
    referred = number(table["rows"][0][people])
    # By its title; else by its place in the funnel, which keeps the order of STAGES.
    met_row = rows.get(MET_A_MENTOR) or _nth(
        table["rows"], [k for k, _ in STAGES].index("any_contact")
    )
    met = number(met_row[people]) if met_row else None
    if not referred:
        return "Nobody was referred in this period, so there is no funnel to show."
    noun = "person" if referred == 1 else "people"
    if met is None:
        return f"Of {count_text(referred)} {noun} referred, how many met a mentor is not shown."
    return (
        f"Of {count_text(referred)} {noun} referred, {count_text(met)} met a mentor: "
        f"{_percent(met, referred)}."
    )


def _nth(rows: list[list[Any]], n: int) -> list[Any] | None:
    return rows[n] if len(rows) > n else None


def counted_to_note(counted_to: datetime.date | None, date_to: datetime.date) -> str:
    """Said when the figures stop before the period ends (a quarter set up before its end)."""
    if counted_to is None or counted_to >= date_to:
        return ""
    return (
        f"Figures to {counted_to:%-d %B %Y}: the period ends later, on {date_to:%-d %B %Y}, "
        "so what happens after that day is not counted yet."
    )
