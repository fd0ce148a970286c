"""A problem message repeats a cell's text only as far as needed to find the cell: about 40
characters, then an ellipsis. Problems are kept with the job for the page, and a cell (a code
column filled with a note, a formula) may hold a long text about a person."""

import io

import openpyxl

from core.forms import Form
from core.imports import ECHO_CHARS, check_rows, code_field
from core.workbooks import UploadedWorkbook

LONG = "Lives with his mother at 12 Example Road; convicted in 2019 of burglary"


class CodeRow(Form):
    mode = code_field([("phone", "Phone"), ("video", "Video")], required=True)


def test_an_unknown_code_is_repeated_cut_short():
    """A note typed into a code column is named by its first 40 characters, not in full."""
    report, _ = check_rows(
        f"mode\n{LONG}\n".encode(), required=["mode"], optional=[], row_form=CodeRow
    )
    [problem] = report.problems
    assert f"“{LONG[:ECHO_CHARS]}…” is not a known code" in problem.message
    assert LONG not in problem.message


def test_an_unknown_column_name_is_repeated_cut_short():
    """A header cell holding a sentence is named cut short among the unknown columns."""
    report, _ = check_rows(
        f"mode,{LONG}\nphone,x\n".encode(), required=["mode"], optional=[], row_form=CodeRow
    )
    [problem] = report.problems
    assert f"Unknown columns: {LONG[:ECHO_CHARS].lower()}…" in problem.message


def test_a_long_formula_is_repeated_cut_short():
    """A formula's text is shown up to 40 characters, enough to recognise it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["mode"])
    formula = '=IF(A1="x","' + LONG + '","")'
    sheet.append([formula])
    buffer = io.BytesIO()
    book.save(buffer)
    workbook = UploadedWorkbook(buffer.getvalue())
    table = workbook.sheet(workbook.sheet_names[0])
    assert table.as_text is not None
    _, [problem] = table.as_text(CodeRow)
    assert f"holds a formula ({formula[:ECHO_CHARS]}…)" in problem.message
    assert LONG not in problem.message
