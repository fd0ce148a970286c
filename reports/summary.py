"""What the report page shows, and the PDF prints from the same template: each section's
tables as rows of readable cells (rates as percentages, whole numbers without ".0"), and the
definitions. Stored on the export (``ReportExport.summary``) when it is built, so the page
never rebuilds the report.

Its own module, not in ``services``: the PDF writer (``reports.exports.pdf``) uses it, and
``services`` imports the writers.
"""

import json
import math
from typing import Any

from reports.report import Report, Table, measure_text
from reports.terms import readable_definitions


def summary(report: Report) -> dict[str, Any]:
    """What the page (and the PDF) shows: each section's tables as rows, and the definitions;
    the schemes' names for the title, and the last day counted when the period ends later."""
    return {
        "schemes": [name for _, name in report.schemes],
        "counted_to": report.counted_to.isoformat() if report.counted_to else None,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "definitions": readable_definitions(section),
                "tables": [
                    {
                        "key": table.key,
                        "title": table.title,
                        "note": table.note,
                        "columns": [str(c) for c in table.frame.columns],
                        "rate_columns": [str(c) for c in table.rate_columns],
                        "rows": _readable_rows(table),
                    }
                    for table in section.tables
                ],
            }
            for section in report.sections
        ],
    }


def _cell(value: object, is_rate: bool) -> str | int | None:
    """A cell as the page shows it: rates as percentages, whole numbers without ".0", other
    measures to one decimal place (two below one). ``None`` shows "n/a"; ``NO_BASE`` blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if is_rate and isinstance(value, (int, float)):
        return f"{value:.1%}"
    if isinstance(value, float):
        return int(value) if value.is_integer() else measure_text(value)
    if isinstance(value, int):
        return value
    return str(value)


def _readable_rows(table: Table) -> list[list[str | int | None]]:
    rates = [column in table.rate_columns for column in table.frame.columns]
    records = json.loads(table.frame.to_json(orient="values", date_format="iso"))
    return [[_cell(v, r) for v, r in zip(row, rates, strict=True)] for row in records]
