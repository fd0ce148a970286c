"""What every file a spreadsheet may open (CSV, XLSX) does to the text in it, so that no cell
typed by a person can run as a formula in the funder's or manager's Excel or LibreOffice.

OWASP's guidance on CSV injection: a cell whose text begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is read by a spreadsheet as a formula (``=HYPERLINK(...)`` sends the
sheet's contents to another site when clicked; ``=cmd|...`` once ran programs). Such text
gets a leading apostrophe, the convention Excel and LibreOffice show as plain text. Scheme
and funder names, references, reasons and headers are all typed by someone, so every text
cell of every writer goes through ``neutralise``; a test reads the code for writers that do
not (``core/tests/security/test_exports.py``).

In an XLSX the apostrophe is not needed and would show: the cell is stored as text already,
so ``neutralise_cell`` gives it Excel's own "quote prefix" style instead (what Excel itself
does when someone types ``'=1+1``). The name reads as typed, and editing the cell in Excel
keeps it text. A CSV has no styles, so it keeps the apostrophe.

Numbers are never touched: a count, an hour or a negative change in score written as a
number stays a number a funder can sum and chart (a spreadsheet does not run a number). Only
text is neutralised, including text that happens to look like a negative number ("-3").
"""

from typing import Any

from openpyxl.cell.cell import Cell

#: A cell a spreadsheet would read as a formula (or the start of one) begins with one of
#: these. The full-width forms are there because some spreadsheets fold them to the
#: ordinary ones when they read a file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def starts_a_formula(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made inert by a leading apostrophe (for a
    CSV). Anything that is not text (numbers, dates, None) is returned as it is."""
    if starts_a_formula(value):
        return "'" + value
    return value


def neutralise_cell(cell: Cell) -> Cell:
    """An openpyxl cell holding text, made inert for XLSX: stored as text (openpyxl would store
    text starting with "=" as a formula) and, if it starts a formula, given the quote-prefix
    style so Excel shows it as typed and keeps it text when edited. Numbers are left alone."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if starts_a_formula(cell.value):
            cell.quotePrefix = True
    return cell
