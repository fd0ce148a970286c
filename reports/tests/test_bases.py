"""Every figure says what it is a share of: the funnel names each stage's base, a cell with no
base by definition is blank (never "n/a") on screen, in the CSV and in the XLSX, "n/a" stays
only where a base exists but is zero, and hours below one show two decimal places."""

import datetime
import io
import itertools
import zipfile

import openpyxl
import pandas as pd

from reports.exports.common import NUMBER, cell_text
from reports.exports.csv_zip import to_csv_zip
from reports.exports.xlsx import to_xlsx
from reports.report import NO_BASE, NOT_APPLICABLE, Report
from reports.sections import SECTIONS
from reports.services import summary
from reports.tests.crafted import FROM, SCHEMES, TO, D, meeting, referral, rel, rows

FIVE_MINUTES = 5  # 0.0833 hours: 0.08, not 0.1


def _crafted_report() -> Report:
    """Nine people referred, consented and matched. People 1 and 2 met three times face to
    face, person 3 three times by phone, people 4 to 9 once face to face: 8 with face-to-face
    contact, 3 who met three or more times, 2 of them face to face. Every meeting lasted
    five minutes."""
    people = range(1, 10)
    meetings = []
    for person in people:
        times, mode = (3, "phone") if person == 3 else (3 if person < 3 else 1, "face_to_face")
        meetings += [
            meeting(person, D(2025, 4, 1 + i), minutes=FIVE_MINUTES, mode=mode)
            for i in range(times)
        ]
    r = rows(
        referrals=[referral(p, p, D(2025, 3, 1)) for p in people],
        consents=[(p, D(2025, 3, 2), None) for p in people],
        relationships=[rel(p, p, D(2025, 3, 10)) for p in people],
        meetings=meetings,
    )
    report = Report(
        date_from=FROM,
        date_to=TO,
        schemes=list(SCHEMES.items()),
        generated_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
    )
    report.sections = [build(r) for _, build in SECTIONS]
    return report


def _funnel(report: Report) -> pd.DataFrame:
    return report.section("funnel").tables[0].frame.set_index("Stage")


def test_each_funnel_stage_names_the_stage_its_conversion_is_a_share_of():
    """Met 3 or more times: 2 of the 8 with face-to-face contact, so 25.0% of them, and the
    row says so in words; every stage after the first names its stage before and its count."""
    report = _crafted_report()
    funnel = _funnel(report)
    met_3 = funnel.loc["Met 3 or more times"]
    assert met_3["People"] == 3
    assert met_3["Stage before"] == "Face-to-face contact"
    assert (met_3["People at the stage before"], met_3["Of them, also at this stage"]) == (8, 2)
    assert met_3["Conversion from the stage before"] == 0.25
    assert met_3["Conversion, in words"] == "25.0% of the 8 with face-to-face contact"
    assert funnel.loc["Met exactly once", "Conversion, in words"] == (
        "66.7% of the 9 with any contact"
    )
    assert funnel.loc["Consented", "Conversion, in words"] == "100.0% of the 9 referred"
    stages = list(funnel.index)
    for before, stage in itertools.pairwise(stages[:-1]):  # met exactly once: off the line
        assert funnel.loc[stage, "Stage before"] == before
    note = report.section("funnel").tables[0].note
    assert "share of the stage before" in note and "blank" in note


def test_a_stage_after_nobody_says_n_a_and_why():
    """Nobody consented: the matched stage's base exists but is zero, so its conversion is
    None (n/a) and the words say nobody consented."""
    report = Report(
        date_from=FROM,
        date_to=TO,
        schemes=list(SCHEMES.items()),
        generated_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
    )
    r = rows(referrals=[referral(1, 1, D(2025, 3, 1))])
    report.sections = [build(r) for _, build in SECTIONS]
    matched = _funnel(report).loc["Matched with a mentor"]
    assert matched["Conversion from the stage before"] is None
    assert matched["Conversion, in words"] == "n/a: nobody who consented"


def _no_base_cells(report: Report) -> dict[str, list[str]]:
    """The cells with no base by definition, by table: the first stage's conversion columns,
    the contact-time share of rows that are not shares, the released row's share."""
    return {
        "funnel": [
            "Stage before",
            "People at the stage before",
            "Of them, also at this stage",
            "Conversion from the stage before",
            "Conversion, in words",
        ],
        "contact_time": ["Share of people with any contact"],
        "timeliness_release": ["Out of", "Share"],
    }


def test_cells_with_no_base_are_blank_on_screen_never_n_a():
    """The page's rows (what the template shows, "n/a" for None): the first stage's
    conversion, the contact-time totals' share cells and the released row's share are blank."""
    page = summary(_crafted_report())
    tables = {t["key"]: t for s in page["sections"] for t in s["tables"]}
    first_row = dict(zip(tables["funnel"]["columns"], tables["funnel"]["rows"][0], strict=True))
    for column in _no_base_cells(_crafted_report())["funnel"]:
        assert first_row[column] == NO_BASE, column
    contact = tables["contact_time"]
    share = contact["columns"].index("Share of people with any contact")
    assert [row[share] for row in contact["rows"][:-1]] == [NO_BASE] * 6
    assert contact["rows"][-1][share] not in (None, NO_BASE)
    release = tables["timeliness_release"]
    released = dict(zip(release["columns"], release["rows"][0], strict=True))
    assert (released["Out of"], released["Share"]) == (NO_BASE, NO_BASE)


def test_cells_with_no_base_are_empty_in_the_csv_and_n_a_only_where_the_base_is_zero():
    """In the CSV files the no-base cells are empty fields; "n/a" appears only for a rate
    whose base is zero (the stage after one nobody reached, a readiness row nobody is in)."""
    archive = zipfile.ZipFile(io.BytesIO(to_csv_zip(_crafted_report())))

    def read(name: str) -> pd.DataFrame:
        with archive.open(name) as f:
            return pd.read_csv(f, encoding="utf-8-sig", dtype=str, keep_default_na=False)

    funnel = read("funnel__funnel.csv")
    for column in _no_base_cells(_crafted_report())["funnel"]:
        assert funnel.loc[0, column] == "", column
    assert NOT_APPLICABLE not in list(funnel.loc[0])
    # Nobody met five times: ending as planned has a base, of zero people, so n/a.
    ended = funnel.set_index("Stage").loc["Relationship ended as planned"]
    assert ended["Conversion from the stage before"] == NOT_APPLICABLE
    contact = read("contact__contact_time.csv")
    assert list(contact["Share of people with any contact"][:-1]) == [""] * 6
    release = read("timeliness__timeliness_release.csv")
    assert (release.loc[0, "Out of"], release.loc[0, "Share"]) == ("", "")
    readiness = read("readiness__funnel_by_readiness.csv").set_index("Readiness")
    assert readiness.loc["None of the 4 held", "Share of referred matched"] == "n/a"


def test_cells_with_no_base_are_empty_in_the_xlsx():
    """In the workbook the no-base cells are empty (not the text "n/a"); a zero base still
    reads "n/a"."""
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(_crafted_report())))
    funnel = book["The funnel"]
    rows_ = list(funnel.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows_) if row[0] == "Stage")
    columns = rows_[header]
    referred = dict(zip(columns, rows_[header + 1], strict=False))
    assert referred["Stage"] == "Referred"
    for column in _no_base_cells(_crafted_report())["funnel"]:
        assert referred[column] is None, column
    contact = list(book["Contact time"].iter_rows(values_only=True))
    top = next(i for i, row in enumerate(contact) if row[0] == "Measure")
    share = contact[top].index("Share of people with any contact")
    assert [row[share] for row in contact[top + 1 : top + 7]] == [None] * 6
    readiness = list(book["Readiness and time to release"].iter_rows(values_only=True))
    assert any(NOT_APPLICABLE in row for row in readiness)  # a row with nobody in it


def test_hours_below_one_show_two_decimals_on_screen_and_in_every_export():
    """Fewest hours per person is 5 minutes, 0.0833 hours: 0.08 on screen, in the PDF's cell
    text, in the CSV and as a 0.00-formatted number in the XLSX; more than an hour keeps one
    decimal place."""
    report = _crafted_report()
    page = summary(report)
    contact = next(t for s in page["sections"] for t in s["tables"] if t["key"] == "contact_time")
    values = {row[0]: row[1] for row in contact["rows"]}
    assert values["Fewest hours"] == "0.08"
    assert values["Total hours"] == "1.2"  # 75 minutes: one decimal place above one
    assert cell_text(0.0833, NUMBER) == "0.08" and cell_text(1.25, NUMBER) == "1.2"

    archive = zipfile.ZipFile(io.BytesIO(to_csv_zip(report)))
    with archive.open("contact__contact_time.csv") as f:
        csv = pd.read_csv(f, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert csv.set_index("Measure").loc["Fewest hours", "Value"] == "0.08"
    with archive.open("contact__monthly.csv") as f:
        monthly = pd.read_csv(f, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert monthly.set_index("Month").loc["2025-04", "Hours held"] == "1.25"

    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    cells = {row[0].value: row[1] for row in book["Contact time"].iter_rows() if row[0].value}
    assert cells["Fewest hours"].value == 0.08
    assert cells["Fewest hours"].number_format == "0.00"
    assert cells["Total hours"].number_format == "0.0"
