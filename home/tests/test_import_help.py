"""The import page helps a coordinator in the app: it says in words what each kind of file
needs and offers the worked examples (docs/examples/) as downloads, rather than pointing at
a file in the repository they cannot open."""

import csv
import io

import pytest
from django.urls import reverse

from conftest import client_for
from home.import_examples import EXAMPLES, EXAMPLES_DIR

pytestmark = pytest.mark.django_db


def test_the_import_page_offers_each_example_and_names_no_repository_file(world):
    """Each kind has a download link; the page no longer sends people to docs/."""
    page = client_for(world.coordinator_a).get(reverse("home:import")).content.decode()
    assert "docs/import-format.md" not in page
    for kind in EXAMPLES:
        assert reverse("home:import_example", args=[kind]) in page
        assert f"Download the {kind} example" in page
    assert "Names are optional" in page and "never blank" in page
    assert "import guide" not in page


def test_an_example_downloads_as_the_documented_file(world):
    """The download is docs/examples/<kind>.csv itself, as an attachment, with its columns."""
    for kind in EXAMPLES:
        response = client_for(world.manager).get(reverse("home:import_example", args=[kind]))
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="tandem-example-{kind}.csv"'
        )
        assert response.content == (EXAMPLES_DIR / f"{kind}.csv").read_bytes()
        header = next(csv.reader(io.StringIO(response.content.decode())))
        assert header[0] in ("reference", "mentee_reference")


def test_no_other_file_is_served(world):
    """Only the four examples: any other name is not found, never a path to read."""
    client = client_for(world.coordinator_a)
    for name in ("workbook", "..%2F..%2Fmentoring%2Fsettings", "../settings"):
        url = reverse("home:import_example", args=["mentees"]).replace("mentees", name)
        assert client.get(url).status_code == 404, name
