"""Who the scheme reaches: the funnel by age band, gender, ethnic group and disability.

The people are the funnel's cohort (``reports.cohort``), each described by their first
referral in the period: the age band on its date and the answers they chose to give
(``mentees.models.equality``). Their funnel is ``funnel_counts``, the same function as the
funnel section's, so a breakdown's rows always add up to the funnel's stage totals. Because
those totals are published, every table here goes through ``reports.suppression``: counts
from 1 to 4 are "<5", and further cells are hidden ("[c]") so that no total gives one back.
The json figures hold the same suppressed cells, never a raw small count.

Suppression protects one report, not the difference between two: reports a day apart would
differ by the people referred that day. So the breakdown is shown only for a period of whole
calendar quarters counted to its end (``whole_quarters``); otherwise the section says why.
"""

from typing import Any

import pandas as pd
from django.utils import timezone

from mentees.models.equality import ETHNIC_GROUPS, Disability, Ethnicity, Gender
from reports.cohort import cohort
from reports.quarters import quarter_end, quarter_start
from reports.report import Section, Table
from reports.row_queries import AGE_BANDS
from reports.rows import Rows
from reports.sections.common import make_table
from reports.sections.funnel import STAGES, funnel_counts
from reports.suppression import SUPPRESSION_KEY, WITHHELD, hidden_rate, suppress_breakdowns

#: The funnel stages each breakdown shows, in the funnel's order.
EQUALITY_STAGES = [
    "referred",
    "consented",
    "matched",
    "any_contact",
    "met_3_plus",
    "ended_as_planned",
]
STAGE_TITLES = dict(STAGES)
NOT_ASKED = "not_asked"
NOT_SAID = str(Ethnicity.NOT_SAID)  # the same code in every question
#: The two rates a breakdown shows beside its counts: (stage, column title).
RATES = [
    ("any_contact", "Share of referred with any contact"),
    ("met_3_plus", "Share of referred who met 3+ times"),
]

#: Each characteristic: (figures key, rows' column, column title, [(code, label)]). A blank
#: code is the last row: "Not asked" (for the age band: no date of birth recorded).
CHARACTERISTICS: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (
        "age_band",
        "age_band",
        "Age band at referral",
        [(code, label) for code, label, _ in AGE_BANDS] + [("", "Date of birth not recorded")],
    ),
    (
        "gender",
        "gender",
        "Gender",
        [(str(c), str(label)) for c, label in Gender.choices] + [("", "Not asked")],
    ),
    (
        "ethnic_group",
        "ethnic_group",
        "Ethnic group",
        [*ETHNIC_GROUPS.items(), (NOT_SAID, "Prefer not to say"), ("", "Not asked")],
    ),
    (
        "disability",
        "disability",
        "Disability",
        [(str(c), str(label)) for c, label in Disability.choices] + [("", "Not asked")],
    ),
]

#: What suppression cannot do, on the tables' note and in the definitions.
LIMITS = (
    "Suppression protects each report on its own: comparing two reports (overlapping "
    "quarters, or one set of schemes with and without a scheme) can still give a small "
    "count as a difference, and so can the same whole quarter built again after later "
    "entries, a history import or an erasure; so share the breakdown only with people "
    "entitled to it."
)

#: Why a breakdown is withheld: a stage's people are all in one row (everyone else's
#: "Referred" is 0), so the published total is that row's count and hiding it protects nothing.
TOO_FEW = (
    "Too few people to break down without identifying someone: at some stage everyone "
    "counted is in one row, so the funnel's total for that stage would give their number."
)

#: The questions one form asks together: their "Not asked" rows are suppressed as one.
ANSWERED_TOGETHER = {"gender", "ethnic_group", "disability"}

WHOLE_QUARTERS = (
    "Shown only for a period of whole calendar quarters (1 January, 1 April, 1 July or "
    "1 October to the last day of a quarter), counted to its end: two reports whose periods "
    "differ by a day would otherwise differ by the people referred that day, and their "
    "answers with them."
)

EQUALITY_DEFINITIONS = {
    "who": "The funnel's cohort (everyone referred in the period, once each), counted by how "
    "they describe themselves. The questions are optional and asked only if the person "
    "chooses to answer; the answers are never used for matching.",
    "by_age_band": "Age on the date of the person's first referral in the period, from their "
    "date of birth; 'Date of birth not recorded' when there is none.",
    "by_gender": "The person's own answer: woman, man, in another way, or prefer not to say.",
    "by_ethnic_group": "The 2021 census's five high-level ethnic groups for England and Wales, "
    "from the person's own answer, or prefer not to say.",
    "by_disability": "The Equality Act question: a physical or mental health condition or "
    "illness lasting or expected to last 12 months or more that reduces their ability to "
    "carry out day-to-day activities.",
    "not_asked": "Not asked: the person was not asked, chose not to answer that question, or "
    "their answers were removed at their request.",
    "stages": "The funnel stages each breakdown counts, as in the funnel section; a "
    "breakdown's rows add up to the funnel's stage totals (the 'Everyone referred' row).",
    "suppressed": f"{SUPPRESSION_KEY} A breakdown is withheld, with a note saying why, "
    "when hiding cannot protect it: " + TOO_FEW,
    "shown": "Whether the breakdown is shown: " + WHOLE_QUARTERS,
    "limits": LIMITS,
    "not_asked_linked": "The gender, ethnic group and disability questions are answered on "
    "one form, so their 'Not asked' rows are the same people: a cell hidden in one of those "
    "rows is hidden in the others too.",
    "share_of_referred": "A stage's people divided by the people referred in the same row; "
    "hidden ([c]) when either count is hidden.",
}


def _people(rows: Rows) -> pd.DataFrame:
    """The cohort with each person's characteristics from their first referral in the period
    (the one the cohort counts them by)."""
    columns = [column for _, column, _, _ in CHARACTERISTICS]
    first = (
        rows.referrals.sort_values(["referred_on", "referral_id"])
        .drop_duplicates("mentee_id", keep="first")
        .set_index("mentee_id")[columns]
        .astype(str)
    )
    return cohort(rows).join(first)


def _counts(
    people: pd.DataFrame, column: str, categories: list[tuple[str, str]]
) -> list[list[int]]:
    """The stage counts of each category, in order."""
    counts = []
    for code, _ in categories:
        group = funnel_counts(people[people[column] == code])
        counts.append([group[stage] for stage in EQUALITY_STAGES])
    return counts


def _figures(cells: list[list[int | str]], categories: list[tuple[str, str]]) -> dict[str, Any]:
    figures = {}
    for (code, _), row in zip(categories, cells, strict=True):
        stages = dict(zip(EQUALITY_STAGES, row, strict=True))
        figures[code or NOT_ASKED] = {
            **stages,
            "share_of_referred": {
                stage: hidden_rate(stages[stage], stages["referred"])
                for stage in EQUALITY_STAGES[1:]
            },
        }
    return figures


def _table(
    key: str,
    title: str,
    categories: list[tuple[str, str]],
    cells: list[list[int | str]],
    total: dict[str, Any],
) -> Table:
    records = [
        _record(title, label, dict(zip(EQUALITY_STAGES, row, strict=True)))
        for (_, label), row in zip(categories, cells, strict=True)
    ]
    records.append(_record(title, "Everyone referred", {s: total[s] for s in EQUALITY_STAGES}))
    return make_table(
        f"equality_by_{key}",
        f"The funnel by {title[:1].lower()}{title[1:]}",
        records,
        [column for _, column in RATES],
        note=f"{SUPPRESSION_KEY} {LIMITS}",
    )


def _record(title: str, label: str, stages: dict[str, int | str]) -> dict[str, Any]:
    return {
        title: label,
        **{STAGE_TITLES[stage]: stages[stage] for stage in EQUALITY_STAGES},
        **{column: hidden_rate(stages[stage], stages["referred"]) for stage, column in RATES},
    }


def _withheld(key: str, title: str) -> Table:
    """The table in place of a breakdown no suppression can protect."""
    return make_table(
        f"equality_by_{key}",
        f"The funnel by {title[:1].lower()}{title[1:]}: withheld",
        [{"Why": TOO_FEW}],
        [],
    )


def whole_quarters(rows: Rows) -> bool:
    """Whether the period runs from a quarter's first day to a quarter's last, and that
    quarter has ended: counted to its end, before today (referrals entered later on the
    quarter's last day would change the figures)."""
    return (
        rows.period_to is None
        and rows.date_from == quarter_start(rows.date_from)
        and rows.date_to == quarter_end(rows.date_to)
        and rows.date_to < timezone.localdate()
    )


def equality_section(rows: Rows) -> Section:
    if not whole_quarters(rows):
        return Section(
            key="equality",
            title="Who the scheme reaches",
            figures={"stages": EQUALITY_STAGES, "shown": False},
            tables=[
                make_table(
                    "equality_not_shown",
                    "The breakdown is not shown for this period",
                    [{"Why": WHOLE_QUARTERS}],
                    [],
                )
            ],
            definitions=EQUALITY_DEFINITIONS,
        )
    people = _people(rows)
    total = funnel_counts(people)
    figures: dict[str, Any] = {"stages": EQUALITY_STAGES, "shown": True}
    tables = []
    counts = [_counts(people, column, categories) for _, column, _, categories in CHARACTERISTICS]
    # The questions' "Not asked" rows are the same people (one form saves every answer).
    linked = [i for i, (key, *_) in enumerate(CHARACTERISTICS) if key in ANSWERED_TOGETHER]
    suppressed = suppress_breakdowns(counts, linked)
    for (key, _, title, categories), cells in zip(CHARACTERISTICS, suppressed, strict=True):
        if any(cell == WITHHELD for row in cells for cell in row):
            figures[f"by_{key}"] = {"withheld": TOO_FEW}
            tables.append(_withheld(key, title))
            continue
        figures[f"by_{key}"] = _figures(cells, categories)
        tables.append(_table(key, title, categories, cells, total))
    return Section(
        key="equality",
        title="Who the scheme reaches",
        figures=figures,
        tables=tables,
        definitions=EQUALITY_DEFINITIONS,
    )
