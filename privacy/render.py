"""A subject-access record as files: the JSON as it is, and a PDF from the same HTML the
review page shows, laid out by a print style sheet (``static/css/privacy-print.css``)."""

import json
from typing import Any

from django.template.loader import render_to_string

from core.pdf import html_to_pdf

PRINT_CSS = "css/privacy-print.css"


def record_json(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, indent=2).encode()


def record_pdf(record: dict[str, Any]) -> bytes:
    """The record as a tagged A4 PDF (``core.pdf``): a title, then each section with its
    items' fields."""
    html = render_to_string("privacy/subject_access_pdf.html", {"record": record})
    return html_to_pdf(html, [PRINT_CSS])
