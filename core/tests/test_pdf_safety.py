"""``core.pdf.html_to_pdf``, which draws every PDF Tandem makes: whatever URL the HTML or CSS
holds (an image, a style sheet, a background, an import, a file on disk), nothing is
fetched, and the PDF is still made."""

import http.server
import threading

from core.pdf import html_to_pdf


def test_a_pdf_fetches_nothing_from_the_network_or_the_disk():
    """A server on this machine sees no request while a PDF whose HTML points at it in every
    way WeasyPrint would follow is drawn; a file:// image is refused too."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        pdf = html_to_pdf(
            f'<html lang="en"><head><title>T</title><link rel="stylesheet" href="{url}/a.css">'
            f"<style>@import url({url}/b.css); body {{ background: url({url}/c.png) }}</style>"
            f'</head><body><img src="{url}/d.png" alt="d"><img src="file:///etc/hostname" '
            f'alt="e"><svg><image href="{url}/f.png"/></svg></body></html>'
        )
    finally:
        server.shutdown()
    assert hits == []
    assert pdf.startswith(b"%PDF-")  # made all the same, without what it could not fetch
