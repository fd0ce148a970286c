"""What every file a spreadsheet may open (CSV, XLSX) does to the text in it, so that no cell
typed by a person can run as a formula in the funder's or manager's Excel or LibreOffice.

OWASP's guidance on CSV injection: a cell whose text begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is read by a spreadsheet as a formula (``=HYPERLINK(...)`` sends the
sheet's contents to another site when clicked; ``=cmd|...`` once ran programs). Such text
gets a leading apostrophe, the convention Excel and LibreOffice show as plain text. Scheme
and funder names, references, reasons and headers are all typed by someone, so every text
cell of every writer goes through ``neutralise``; a test reads the code for writers that do
not (``core/tests/security/test_exports.py``).

Numbers are never touched: a count, an hour or a negative change in score written as a
number stays a number a funder can sum and chart (a spreadsheet does not run a number). Only
text is neutralised, including text that happens to look like a negative number ("-3").
"""

from typing import Any

#: A cell a spreadsheet would read as a formula (or the start of one) begins with one of
#: these. The full-width forms are there because some spreadsheets fold them to the
#: ordinary ones when they read a file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made inert by a leading apostrophe.
    Anything that is not text (numbers, dates, None) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
