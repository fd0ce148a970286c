"""Who the scheme reaches, on a known dataset: the funnel by gender with a small group whose
count the funnel's total would give back under primary suppression alone. Checked in the
json figures, on screen, in the CSV and in the XLSX, where the naive way would reveal it.
No database: crafted rows."""

import datetime
import io
import json
import zipfile

import openpyxl
import pandas as pd

from reports.exports.csv_zip import to_csv_zip
from reports.exports.xlsx import to_xlsx
from reports.report import Report
from reports.rows import COLUMNS
from reports.sections import SECTIONS
from reports.sections.equality import equality_section
from reports.sections.funnel import funnel_section
from reports.services import summary
from reports.suppression import PRIMARY, SECONDARY
from reports.tests.crafted import FROM, SCHEMES, TO, D, rel, rows
from reports.tests.disclosure import naive, revealed

#: Referred in the period, by gender: 3 women (a small count), 20 men, nobody "in another
#: way", 12 who preferred not to say and 6 never asked. 41 in all, the funnel's total.
GENDERS = {"woman": 3, "man": 20, "another_way": 0, "not_said": 12, "": 6}
ORDER = ["woman", "man", "another_way", "not_said", ""]


def _referral(pk: int, **values) -> tuple:
    values = {
        "referral_id": pk,
        "mentee_id": pk,
        "scheme_id": 1,
        "source": "probation",
        "referred_on": D(2025, 3, 1),
        "status": "referred",
        "status_changed_on": D(2025, 3, 1),
        **values,
    }
    return tuple(values.get(column) for column in COLUMNS["referrals"])


def _known_rows():
    """41 people referred; 10 of the men and 2 of the women matched; everyone under 25 is
    one of the men (an age band of 1, so the age table suppresses too)."""
    referrals, relationships, pk = [], [], 0
    for gender in ORDER:
        for i in range(GENDERS[gender]):
            pk += 1
            band = "18_24" if (gender, i) == ("man", 0) else "35_44"
            referrals.append(_referral(pk, gender=gender, age_band=band))
            if (gender == "man" and i < 10) or (gender == "woman" and i < 2):
                relationships.append(rel(pk, pk, D(2025, 4, 1)))
    return rows(referrals=referrals, relationships=relationships)


def _report():
    crafted = _known_rows()
    return Report(
        date_from=FROM,
        date_to=TO,
        schemes=list(SCHEMES.items()),
        generated_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        sections=[funnel_section(crafted), equality_section(crafted)],
    )


def test_the_section_is_in_the_report_under_its_key():
    """The report builds the section "equality", titled "Who the scheme reaches"."""
    assert ("equality", equality_section) in SECTIONS
    assert equality_section(rows()).title == "Who the scheme reaches"


def test_the_breakdowns_rows_add_up_to_the_funnels_totals():
    """Unsuppressed, each stage's rows would add up to the funnel's stage total: that total
    is published, which is why a single hidden cell is not enough."""
    report = _report()
    assert report.section("funnel").figures["referred"] == 41 == sum(GENDERS.values())
    assert report.section("funnel").figures["matched"] == 12


def test_json_figures_hide_the_small_count_and_the_cell_a_total_would_give_it_back_with():
    """By gender, referred: the 3 women are "<5" and the 6 never asked "[c]"; the total 41
    (the funnel's) leaves the women anywhere from 1 to 4. Primary suppression alone would let
    41 - 20 - 0 - 12 - 6 give 3."""
    report = _report()
    data = json.loads(json.dumps(report.to_json()))
    by_gender = data["equality"]["by_gender"]
    referred = [by_gender[code or "not_asked"]["referred"] for code in ORDER]
    assert referred == [PRIMARY, 20, 0, 12, SECONDARY]
    total = data["funnel"]["referred"]
    assert revealed(naive([GENDERS[c] for c in ORDER]), total) == {0: 3}
    assert revealed(referred, total) == {}
    assert by_gender["woman"]["share_of_referred"]["matched"] == SECONDARY
    # Matched: 2 women and 10 men; the 2 would be 12 - 10 without a second hidden cell.
    matched = [by_gender[code or "not_asked"]["matched"] for code in ORDER]
    assert matched == [PRIMARY, SECONDARY, 0, 0, 0]
    assert revealed(matched, data["funnel"]["matched"]) == {}
    # Nowhere in the figures is a raw count from 1 to 4 of a group of people.
    small = [
        v
        for g in data["equality"].values()
        if isinstance(g, dict)
        for row in g.values()
        for k, v in row.items()
        if k != "share_of_referred" and v in (1, 2, 3, 4)
    ]
    assert small == []


def test_the_page_shows_the_same_hidden_cells_and_the_total_row():
    """On screen (the page's rows): the same markers, the "Everyone referred" row and the
    key to the markers as the table's note."""
    tables = {t["key"]: t for s in summary(_report())["sections"] for t in s["tables"]}
    gender = tables["equality_by_gender"]
    assert [row[1] for row in gender["rows"]] == [PRIMARY, 20, 0, 12, SECONDARY, 41]
    assert gender["rows"][-1][0] == "Everyone referred"
    assert "[c]" in gender["note"] and "<5" in gender["note"]
    age = {row[0]: row[1] for row in tables["equality_by_age_band"]["rows"]}
    assert (age["18 to 24"], age["35 to 44"]) == (PRIMARY, SECONDARY)


def test_the_csv_carries_the_hidden_cells_and_never_the_count():
    """The CSV of the gender table: "<5" and "[c]" where the screen has them, so its own
    total row cannot give the women's count back."""
    archive = zipfile.ZipFile(io.BytesIO(to_csv_zip(_report())))
    csv = pd.read_csv(
        io.BytesIO(archive.read("equality__equality_by_gender.csv")),
        dtype=str,
        keep_default_na=False,
    )
    referred = list(csv["Referred"])
    assert referred == [PRIMARY, "20", "0", "12", SECONDARY, "41"]
    cells = [int(v) if v.isdigit() else v for v in referred[:-1]]
    assert revealed(cells, int(referred[-1])) == {}


def test_the_xlsx_carries_the_hidden_cells_and_never_the_count():
    """The XLSX sheet "Who the scheme reaches", its gender table: the same markers, as text,
    right-aligned like the numbers; its own total row cannot give the women's count back."""
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(_report())))
    sheet = list(book["Who the scheme reaches"].iter_rows())
    header = next(i for i, row in enumerate(sheet) if row[0].value == "Gender")
    table = {row[0].value: row[1] for row in sheet[header + 1 : header + 7]}
    referred = [table[label].value for label in ["Woman", "Man", "In another way"]]
    referred += [table["Prefer not to say"].value, table["Not asked"].value]
    assert referred == [PRIMARY, 20, 0, 12, SECONDARY]
    assert table["Woman"].alignment.horizontal == "right"
    assert revealed(referred, table["Everyone referred"].value) == {}
