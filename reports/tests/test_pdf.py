"""The funder report's PDF as a trustee (and a screen reader) opens it: tagged, "Page N of M",
the headline and the funnel on the first page, the title naming whose report it is, tables
that fit the page, and every section's charts and tables. No database: a hand-built Report."""

import datetime
import io
import re
import shutil
import zipfile

import openpyxl
import pytest

from reports.exports.csv_zip import to_csv_zip
from reports.exports.pdf import to_pdf
from reports.exports.xlsx import to_xlsx
from reports.tests.pdf_sample import SCREENSHOTS, chart_report, pdf_info, pdf_text, poppler

A4_WIDTH = 595.3  # points


@pytest.fixture(scope="module")
def built():
    """The sample report's PDF, built once for the tests that only read it."""
    return to_pdf(chart_report())


def page_texts(pdf, tmp_path) -> list[str]:
    return pdf_text(pdf, tmp_path, "-layout").split("\f")


def test_the_pdf_is_tagged_for_screen_readers(built, tmp_path):
    """pdfinfo says "Tagged: yes" (WeasyPrint's PDF/UA-1 variant), with the title set."""
    info = pdf_info(built, tmp_path)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(
        r"^Title:\s+Funder report for Lottery Community Fund, 1 April 2025", info, re.M
    )


def test_every_page_says_page_n_of_m(built, tmp_path):
    """The footer of every page counts it against the whole: "Page 2 of 6"."""
    pages = [p for p in page_texts(built, tmp_path) if p.strip()]
    total = len(pages)
    assert total >= 4
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {total}" in text


def test_the_first_page_says_the_headline_in_words_beside_the_funnel_chart(built, tmp_path):
    """The funnel's headline in a sentence, then the funnel chart's stages and figures."""
    first = page_texts(built, tmp_path)[0]
    assert "Of 200 people referred, 6 met a mentor: 3.0%." in first
    assert "Face-to-face contact" in first and "4 (2.0%)" in first
    assert "Funder report for Lottery Community Fund" in first
    assert "1 April 2025 to 31 March 2026" in first
    assert "Northgate Resettlement" in first and "Riverside Bail Support" in first


def test_the_title_names_the_schemes_when_no_funder_was_chosen(tmp_path):
    """Schemes chosen, no funder: the title names the schemes, never "All funders"."""
    report = chart_report()
    report.funder = ""
    text = " ".join(pdf_text(to_pdf(report), tmp_path).split())
    assert "Funder report for Northgate Resettlement and Riverside Bail Support" in text
    assert "All funders" not in text


def test_figures_that_stop_before_the_period_ends_are_said_on_the_first_page(tmp_path):
    """A quarter's report built before the quarter ends says how far its figures go."""
    report = chart_report()
    report.counted_to = datetime.date(2026, 2, 14)
    first = pdf_text(to_pdf(report), tmp_path, "-f", 1, "-l", 1)
    assert "Figures to 14 February 2026: the period ends later" in " ".join(first.split())


def test_every_section_table_and_chart_is_in_the_pdf(built, tmp_path):
    """Each section's title and each of its tables, the trend by quarter, meetings per month
    and distance travelled (the charts' bar values), and how the figures are counted."""
    report = chart_report()
    text = " ".join(pdf_text(built, tmp_path).split())
    for section in report.sections:
        assert section.title in text
        for table in section.tables:
            assert table.title in text
    assert "Apr to Jun 2025" in text  # the trend's quarters
    assert "Sep 2025" in text and "+2.6" in text and "-0.5" in text
    assert "How these are counted" in text
    assert "(continued)" not in text


def test_the_widest_table_fits_the_page_width(built, tmp_path):
    """No word of any page runs past the right margin: wide tables wrap their headers and use
    smaller type rather than breaking into blocks of columns."""
    path = tmp_path / "wide.pdf"
    path.write_bytes(built)
    boxes = poppler("pdftotext", "-bbox", path, "-")
    rights = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert rights and max(rights) <= A4_WIDTH - 14 / 25.4 * 72 + 1  # the 14 mm margin


def test_a_report_with_no_sections_is_a_first_page(tmp_path):
    """Nothing to show but whose report it is: one page, no crash."""
    report = chart_report()
    report.sections = []
    pdf = to_pdf(report)
    assert re.search(r"^Pages:\s+1$", pdf_info(pdf, tmp_path), re.MULTILINE)


def test_the_progress_bar_moves_between_the_layout_and_the_writing():
    """The layout and the writing are the PDF's long steps: the job's progress says when
    the pages are laid out, rather than sitting at 30% until the file is done."""
    steps: list[tuple[int, str]] = []
    report = chart_report()
    report.sections = report.sections[:1]
    to_pdf(report, progress=lambda percent, message: steps.append((percent, message)))
    percents = [percent for percent, _ in steps]
    assert percents == sorted(percents) and percents[-1] == 100
    assert (80, "Writing the PDF") in steps


@pytest.mark.slow
def test_the_pages_are_saved_to_look_at(built, tmp_path):
    """Each page as a PNG at 60 dpi in var/screenshots/issue16/ (pdf-1.png, ...), to open and
    check nothing is cut off."""
    path = tmp_path / "report.pdf"
    path.write_bytes(built)
    poppler("pdftoppm", "-png", "-r", "60", path, tmp_path / "pdf")
    pages = sorted(tmp_path.glob("pdf-*.png"))
    assert len(pages) >= 4
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("pdf-[0-9]*.png"):
        old.unlink()
    for n, page in enumerate(pages, start=1):
        shutil.copy(page, SCREENSHOTS / f"pdf-{n}.png")


def test_no_export_says_all_funders_when_schemes_were_chosen():
    """The CSV's about file and the XLSX's section sheets name the schemes chosen, or say no
    funder was chosen; "All funders" was wrong when a coordinator picked two schemes."""
    report = chart_report()
    report.funder = ""
    about = zipfile.ZipFile(io.BytesIO(to_csv_zip(report))).read("about.csv").decode("utf-8-sig")
    assert "All funders" not in about
    assert "Funder,None chosen (the report covers the schemes listed)" in about
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    subtitle = book["The funnel"]["A2"].value
    assert subtitle.endswith("Northgate Resettlement and Riverside Bail Support")
