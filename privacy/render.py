"""A subject-access record as files: the JSON as it is, and a PDF from the same HTML the
review page shows, laid out by a print style sheet (``static/css/privacy-print.css``)."""

import json
import logging
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# WeasyPrint and fontTools log each font and page at INFO: noise in the log.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

PRINT_CSS = "css/privacy-print.css"


def record_json(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, indent=2).encode()


def _print_css() -> str:
    found = finders.find(PRINT_CSS)
    if isinstance(found, str):
        return found
    return str(settings.STATIC_ROOT / PRINT_CSS)


def record_pdf(record: dict[str, Any]) -> bytes:
    """The record as an A4 PDF: a title, then each section with its items' fields."""
    from weasyprint import CSS, HTML  # imported here: it loads Pango, which takes a moment

    html = render_to_string("privacy/subject_access_pdf.html", {"record": record})
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=_print_css())])
    if pdf is None:  # only when writing to a target, which this does not
        raise RuntimeError("WeasyPrint made no PDF")
    return bytes(pdf)
