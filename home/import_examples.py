"""The worked examples of docs/examples/ as downloads from the import page: one small CSV
file per kind, made-up people, so a coordinator sees the columns and codes a file needs
without opening the repository. Only the four named files are served: the kind picks one
from ``EXAMPLES``, never a path from the request."""

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from accounts.http import AuthedRequest
from accounts.permissions import role_required

EXAMPLES_DIR = Path(settings.BASE_DIR) / "docs" / "examples"
#: The kinds with an example, in the order they are imported.
EXAMPLES = ("mentees", "mentors", "relationships", "meetings")

importer_required = role_required(lambda r: r.is_coordinator or r.is_manager)


@importer_required
@require_GET
def import_example(request: AuthedRequest, kind: str) -> HttpResponse:
    """The example file for ``kind``, as a download (404 for any other name)."""
    if kind not in EXAMPLES:
        raise Http404("No example of that kind")
    content = (EXAMPLES_DIR / f"{kind}.csv").read_bytes()
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tandem-example-{kind}.csv"'
    return response
