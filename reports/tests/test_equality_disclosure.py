"""What a reader could work out of "Who the scheme reaches" beyond one column and its total:
a hidden cell bounded by its row's "Referred", and the "Not asked" rows that are the same
people in the gender, ethnic group and disability tables. Checked with the independent
search of ``reports.tests.disclosure`` over the section's own figures; and the periods the
breakdown is shown for. No database: crafted rows."""

import datetime
from unittest import mock

from django.utils import timezone

from reports.forms import ReportForm
from reports.quarters import quarter_end, quarter_start
from reports.rows import COLUMNS
from reports.sections.equality import EQUALITY_STAGES, TOO_FEW, equality_section
from reports.sections.funnel import funnel_section
from reports.suppression import PRIMARY
from reports.tests.crafted import D, rel, rows
from reports.tests.disclosure import revealed_by_search
from schemes.models import Scheme

GENDERS = ["woman", "man", "another_way", "not_said", "not_asked"]
DISABILITY = ["yes", "no", "not_said", "not_asked"]


def _referral(pk: int, **values) -> tuple:
    values = {
        "referral_id": pk,
        "mentee_id": pk,
        "scheme_id": 1,
        "source": "probation",
        "referred_on": D(2025, 3, 1),
        "status": "referred",
        "status_changed_on": D(2025, 3, 1),
        "age_band": "35_44",
        **values,
    }
    return tuple(values.get(column) for column in COLUMNS["referrals"])


def _cohort(plan: list[tuple[str, str, int, int]]):
    """People by (gender, disability, referred, matched); a blank code is "Not asked"."""
    referrals, relationships, pk = [], [], 0
    for gender, disability, referred, matched in plan:
        for i in range(referred):
            pk += 1
            referrals.append(_referral(pk, gender=gender, disability=disability))
            if i < matched:
                relationships.append(rel(pk, pk, D(2025, 4, 1)))
    return rows(referrals=referrals, relationships=relationships)


def _grid(figures: dict, codes: list[str]) -> list[list[int | str]]:
    return [[figures[code][stage] for stage in EQUALITY_STAGES] for code in codes]


def _counts(plan, key: int, codes: list[str]) -> list[list[int]]:
    """The true counts of each row (referred, matched; every other stage 0 but consented,
    which no crafted person has)."""
    by_code = {code: [0] * len(EQUALITY_STAGES) for code in codes}
    at = EQUALITY_STAGES.index("matched")
    for person in plan:
        code = person[key] or "not_asked"
        by_code[code][0] += person[2]
        by_code[code][at] += person[3]
    return [by_code[code] for code in codes]


def test_no_hidden_cell_is_given_back_by_its_rows_referred_count():
    """Referred and matched by gender: women 10 and 3, men 5 and 5, not asked 20 and 20. A
    "[c]" for the men's matched could only be 0 or 5 (their row's "Referred" is 5), so with
    the matched total of 28 it would give the women's 3 back; the section hides a cell that
    leaves doubt instead, and no small count can be pinned down under the row bounds."""
    plan = [("woman", "", 10, 3), ("man", "", 5, 5), ("", "", 20, 20)]
    crafted = _cohort(plan)
    assert funnel_section(crafted).figures["matched"] == 28
    shown = _grid(equality_section(crafted).figures["by_gender"], GENDERS)
    counts = _counts(plan, 0, GENDERS)
    columns = [[(r, c) for r in range(len(GENDERS))] for c in range(len(EQUALITY_STAGES))]
    assert shown[0][EQUALITY_STAGES.index("matched")] == PRIMARY
    assert revealed_by_search(shown, counts, columns, ordered_rows=True) == {}


def test_a_not_asked_cell_hidden_in_one_table_is_hidden_in_the_others():
    """The 7 never asked are the "Not asked" row of both the gender and the disability
    table. Matched by gender: women 3, men 10, not asked 7, so the women's 3 needs a second
    hidden cell, the 7; the disability table (6, 7, 7: nothing small) would show its own
    "Not asked" 7, and the gender total (20) would give the 3 back. The rows are hidden
    alike, and a search over both tables at once, "Not asked" as one row, pins nothing."""
    plan = [
        ("woman", "yes", 10, 3),
        ("man", "yes", 3, 3),
        ("man", "no", 9, 7),
        ("", "", 7, 7),
    ]
    crafted = _cohort(plan)
    figures = equality_section(crafted).figures
    gender, disability = (
        _grid(figures["by_gender"], GENDERS),
        _grid(figures["by_disability"], DISABILITY),
    )
    assert gender[-1] == disability[-1]  # the same people, hidden alike
    g_counts, d_counts = _counts(plan, 0, GENDERS), _counts(plan, 1, DISABILITY)
    assert g_counts[-1] == d_counts[-1]
    # One grid: gender's answered rows, disability's, then the shared "Not asked" row.
    shown = gender[:-1] + disability[:-1] + [gender[-1]]
    counts = g_counts[:-1] + d_counts[:-1] + [g_counts[-1]]
    g_rows, d_rows = [0, 1, 2, 3, 7], [4, 5, 6, 7]
    width = len(EQUALITY_STAGES)
    groups = [[(r, c) for r in g_rows] for c in range(width)]
    groups += [[(r, c) for r in d_rows] for c in range(width)]
    assert revealed_by_search(shown, counts, groups, ordered_rows=True) == {}


def test_the_breakdown_is_shown_only_for_whole_quarters_counted_to_their_end():
    """Two reports a day apart would differ by one day's referrals, answers and all: a period
    that is not whole calendar quarters, or a quarter still being counted, gets no breakdown,
    only a table saying why; a whole quarter or year gets it."""
    crafted = _cohort([("woman", "yes", 10, 3), ("man", "no", 12, 10)])
    assert equality_section(crafted).figures["shown"]  # 2025, the whole year
    crafted.date_from, crafted.date_to = D(2025, 1, 1), D(2025, 3, 30)
    section = equality_section(crafted)
    assert section.figures == {"stages": EQUALITY_STAGES, "shown": False}
    assert [t.key for t in section.tables] == ["equality_not_shown"]
    assert "whole calendar quarters" in section.tables[0].frame.iloc[0, 0]
    crafted.date_to, crafted.period_to = D(2025, 3, 31), None
    assert equality_section(crafted).figures["shown"]
    crafted.date_to, crafted.period_to = D(2025, 2, 14), D(2025, 3, 31)  # counted to today
    assert not equality_section(crafted).figures["shown"]


def test_the_report_form_offers_the_last_four_whole_quarters():
    """The period the form starts with is one the breakdown is shown for: the last four
    calendar quarters that have ended."""
    form = ReportForm(schemes=Scheme.objects.none(), funders=[], managers_only=False)
    date_from, date_to = form["date_from"].initial, form["date_to"].initial
    assert date_from == quarter_start(date_from) and date_to == quarter_end(date_to)
    assert date_to < timezone.localdate() <= quarter_end(date_to + datetime.timedelta(days=1))
    assert (date_to - date_from).days in range(364, 366)


def test_a_breakdown_only_one_row_could_hold_is_withheld_with_a_note():
    """A history import: nobody answered and 3 of the 12 were matched (6 men, none
    matched): the funnel's matched total is the "Not asked" row's, so "[c]" would protect
    nothing. The questions' tables are withheld with a note saying why, and the figures say
    so too (the age band's as well: everyone is 35 to 44)."""
    section = equality_section(_cohort([("", "", 12, 3), ("man", "no", 6, 0)]))
    tables = {t.key: t for t in section.tables}
    for key in ("age_band", "gender", "ethnic_group", "disability"):
        assert section.figures[f"by_{key}"] == {"withheld": TOO_FEW}
        assert tables[f"equality_by_{key}"].frame.iloc[0, 0] == TOO_FEW
    assert "Too few people to break down without identifying someone" in TOO_FEW


def test_a_quarter_ending_today_is_not_a_whole_quarter_yet():
    """Referrals entered later on a quarter's last day would change its figures: the
    breakdown waits for the day after."""
    crafted = _cohort([("woman", "yes", 10, 3), ("man", "no", 12, 10)])
    crafted.date_from, crafted.date_to = D(2025, 1, 1), D(2025, 3, 31)
    with mock.patch("django.utils.timezone.localdate", return_value=D(2025, 3, 31)):
        assert not equality_section(crafted).figures["shown"]
    with mock.patch("django.utils.timezone.localdate", return_value=D(2025, 4, 1)):
        assert equality_section(crafted).figures["shown"]
