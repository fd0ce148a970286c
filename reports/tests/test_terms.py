"""Definitions read under the words a reader sees: the table's column or stage title, not a
code name such as ``any_contact`` or ``share_of_target``, on the page, in the PDF (the same
summary), the XLSX and the CSV; the json keeps the stable keys. Built from crafted rows: no
database."""

import datetime
import io
import re
import zipfile

import openpyxl
import pandas as pd

from reports.exports.common import SUPPRESSION_NOTE
from reports.exports.csv_zip import to_csv_zip
from reports.exports.xlsx import to_xlsx
from reports.report import Report
from reports.sections import SECTIONS
from reports.summary import summary
from reports.terms import TERMS
from reports.tests.crafted import FROM, SCHEMES, TO, D, referral, rows

CODE_NAME = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def _report() -> Report:
    full = rows(referrals=[referral(1, 1, D(2025, 2, 1))])
    return Report(
        date_from=FROM,
        date_to=TO,
        schemes=list(SCHEMES.items()),
        generated_at=datetime.datetime(2025, 4, 2, 9, 30, tzinfo=datetime.UTC),
        sections=[build(full) for _, build in SECTIONS],
    )


def test_every_defined_figure_has_the_words_a_reader_sees():
    """Each section's every definition has a reader's title in ``TERMS``: a new figure
    without one fails here rather than showing its code name to a trustee."""
    for section in _report().sections:
        missing = set(section.definitions) - set(TERMS.get(section.key, {}))
        assert not missing, (section.key, missing)


def test_the_page_and_pdf_show_definitions_under_titles_not_code_names():
    """The summary the page and the PDF draw from names the funnel's stages as the table
    does, and no term or definition text reads as a code name."""
    sections = {s["key"]: s for s in summary(_report())["sections"]}
    funnel = sections["funnel"]["definitions"]
    assert "Any contact (met at least once)" in funnel and "Met 3 or more times" in funnel
    assert "any_contact" not in funnel and "met_3_plus" not in funnel
    assert "Actual of target" in sections["targets"]["definitions"]
    for section in sections.values():
        for words, text in section["definitions"].items():
            assert not CODE_NAME.search(words), (section["key"], words)
            assert not CODE_NAME.search(text), (section["key"], words, text)
    status = sections["targets"]["definitions"]["Status"]
    assert "'over'" not in status and "not_started" not in status


def test_the_spreadsheets_name_figures_as_the_tables_do_and_the_json_keeps_keys():
    """The XLSX's Definitions sheet and definitions.csv list "Any contact (met at least
    once)", not ``any_contact``; the json, which machines read, keeps ``any_contact``."""
    report = _report()
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    figures = [row[1] for row in book["Definitions"].iter_rows(values_only=True)]
    assert "Any contact (met at least once)" in figures and "any_contact" not in figures
    archive = zipfile.ZipFile(io.BytesIO(to_csv_zip(report)))
    csv = pd.read_csv(archive.open("definitions.csv"), encoding="utf-8-sig")
    assert "Actual of target" in set(csv["Figure"])
    assert not any(CODE_NAME.search(str(words)) for words in csv["Figure"])
    assert "any_contact" in report.to_json()["funnel"]


def test_the_privacy_note_names_no_module():
    """The note on small numbers, in the PDF's privacy box and the About sheet, is written
    for trustees: it names no Python module."""
    assert "reports." not in SUPPRESSION_NOTE and "<5" in SUPPRESSION_NOTE
