"""PDFs from HTML and CSS (WeasyPrint), the one safe way: the subject-access record and the
funder report both go through ``html_to_pdf``.

- Nothing is fetched: every URL in the HTML or CSS (an image, a font, a stylesheet, a link a
  scheme's name might smuggle in) is refused by ``refusing_fetcher`` before any network or
  file is touched. The style sheets are static files read from disk here and passed as text.
- The PDF is tagged for screen readers: WeasyPrint's PDF/UA-1 variant (``pdf_variant``),
  which writes the structure tree (headings, tables, lists) and marks the document as tagged.
- The document's ``<title>`` is the PDF's title, and its ``lang`` the PDF's language.

WeasyPrint is imported inside the function: it loads Pango, which takes a moment, and only the
worker that builds a PDF needs it. Pango is installed by scripts/with-services and scripts/run.
"""

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders

# WeasyPrint and fontTools log each font and page at INFO: noise in the worker's log.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

#: The variant WeasyPrint writes: PDF/UA-1, the accessible PDF standard ("Tagged: yes").
PDF_VARIANT = "pdf/ua-1"


class FetchRefused(ValueError):
    """A PDF asked for a URL; Tandem's PDFs never fetch anything."""


def refusing_fetcher() -> Any:
    """WeasyPrint's ``url_fetcher``: every fetch is refused before any network or file is
    touched (WeasyPrint leaves the resource out, logs a warning and carries on)."""
    from weasyprint.urls import URLFetcher

    class RefuseFetching(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise FetchRefused(f"Tandem's PDFs fetch nothing: {url[:80]}")

    return RefuseFetching(allowed_protocols=())


def static_text(path: str) -> str:
    """A static file's text, from the app's static folders or, in production, STATIC_ROOT."""
    found = finders.find(path)
    location = Path(found) if isinstance(found, str) else Path(settings.STATIC_ROOT) / path
    return location.read_text(encoding="utf-8")


def html_to_pdf(
    html: str, stylesheets: Iterable[str] = (), laid_out: Callable[[], None] | None = None
) -> bytes:
    """The HTML as a tagged A4 PDF, laid out by these static style sheets (paths under
    ``static/``). ``laid_out`` is called between the layout and the writing, the two long
    steps, so a progress bar can move between them."""
    from weasyprint import CSS, HTML  # imported here: it loads Pango, which takes a moment

    fetcher = refusing_fetcher()
    sheets = [CSS(string=static_text(p), url_fetcher=fetcher) for p in stylesheets]
    document = HTML(string=html, url_fetcher=fetcher, base_url=None).render(
        stylesheets=sheets, pdf_variant=PDF_VARIANT
    )
    if laid_out is not None:
        laid_out()
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    if pdf is None:  # only when writing to a target, which this does not
        raise RuntimeError("WeasyPrint made no PDF")
    return bytes(pdf)
