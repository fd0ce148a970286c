"""On a phone, a coordinator on the import page reads what each kind needs and downloads an
example file with a tap. Screenshot at 390 px in var/screenshots/issue16/ to look at."""

import pytest
from django.urls import reverse

from core.tests.running import PHONE, log_in
from home.import_examples import EXAMPLES_DIR
from reports.tests.pdf_sample import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_a_coordinator_downloads_an_example_from_the_import_page_on_a_phone(
    browser, browser_server, world
):
    """The links are tap-sized and the download is the example file itself."""
    context = browser.new_context(viewport=PHONE, locale="en-GB", accept_downloads=True)
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("home:import"))
    link = page.get_by_role("link", name="Download the relationships example")
    box = link.bounding_box()
    assert box and box["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "import-help-phone.png", full_page=True)
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    assert path.read_bytes() == (EXAMPLES_DIR / "relationships.csv").read_bytes()
    context.close()
