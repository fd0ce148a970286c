"""The installable app's shell: the favicon, the manifest, the service worker and the page
shown with no signal. What the service worker may keep is only the app's own files and a
page with no case data; the browser tests (test_browser_offline*.py) check the phone."""

import json
import re

import pytest
from django.templatetags.static import static
from django.urls import reverse

from core import views

pytestmark = pytest.mark.django_db


def _shell(client) -> tuple[list[str], str]:
    body = client.get(reverse("core:service_worker")).content.decode()
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", body).group(1))
    version = re.search(r'const CACHE = "tandem-shell-(\w+)";', body).group(1)
    return shell, version


def test_favicon_is_an_icon_at_the_root(client):
    """/favicon.ico, where browsers ask for it, is an icon and no longer a 404."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the header of an ICO file


def test_manifest_makes_tandem_installable(client):
    """The manifest names Tandem, opens the home page standalone, and offers icons at 192 and
    512 px and a maskable one."""
    response = client.get(reverse("core:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Tandem"
    assert manifest["start_url"] == reverse("home")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    icons = {(icon["sizes"], icon["purpose"]): icon["src"] for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    assert icons[("512x512", "maskable")] == static("icons/icon-maskable-512.png")


def test_every_page_links_the_manifest_and_icons(client, world):
    """The pages link the manifest, the icons and the outbox script (which registers the
    service worker); nothing is inline, so a strict Content-Security-Policy can hold."""
    client.force_login(world.mentor_a)
    page = client.get(reverse("relationships:my_mentees")).content.decode()
    assert f'<link rel="manifest" href="{reverse("core:manifest")}">' in page
    assert f'href="{static("icons/favicon.svg")}" type="image/svg+xml"' in page
    assert f'src="{static("js/outbox.js")}"' in page
    assert f'data-user="{world.mentor_a.pk}"' in page
    assert "<script>" not in page


def test_service_worker_is_served_from_the_root_and_always_checked(client):
    """/sw.js is JavaScript at the root (so its scope is the whole app) that the browser
    checks for a new version on every visit."""
    response = client.get(reverse("core:service_worker"))
    assert reverse("core:service_worker") == "/sw.js"
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]


def test_service_worker_keeps_only_static_files_and_the_offline_page(client):
    """Its list is the files every page loads, the icons and the manifest: no page but the
    offline one, which it fetches without the mentor's cookies."""
    shell, _ = _shell(client)
    assert static("css/tandem.css") in shell
    assert static("js/outbox.js") in shell
    assert static("vendor/bootstrap/bootstrap.min.css") in shell
    assert static("icons/icon-192.png") in shell
    assert reverse("core:manifest") in shell
    assert all(url.startswith("/static/") or url == reverse("core:manifest") for url in shell)
    body = client.get(reverse("core:service_worker")).content.decode()
    assert 'credentials: "omit"' in body
    assert "cache.put" not in body  # nothing is kept at run time, only the list at install


def test_service_worker_version_follows_what_it_keeps(client, monkeypatch):
    """A change to what the shell holds gives the cache a new name, so a deploy replaces the
    phone's copy; the same shell keeps the same name."""
    _, before = _shell(client)
    assert _shell(client)[1] == before
    monkeypatch.setattr(views, "SHELL_ICONS", [*views.SHELL_ICONS, "icons/icon-maskable-512.png"])
    shell, after = _shell(client)
    assert static("icons/icon-maskable-512.png") in shell
    assert after != before


def test_offline_page_carries_no_case_data(client, world):
    """The page kept on the phone, as fetched without cookies, names no mentee and no user."""
    response = client.get(reverse("core:offline"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saved on this phone" in page
    for person in (world.mentee_a, world.mentee_b):
        assert person.family_name not in page
    assert world.mentor_a.get_short_name() not in page
    assert "data-user" not in page


def test_no_page_shown_to_someone_logged_in_is_kept_by_the_browser(client, world):
    """A case page, the meeting form among them, tells the browser to keep no copy; the
    app's own static files (served before anyone's login is read) keep their long cache.
    (Every other answer to someone logged in is no-store too: core/tests/security/.)"""
    client.force_login(world.mentor_a)
    for name in ("relationships:detail", "relationships:meeting_new"):
        response = client.get(reverse(name, args=[world.relationship_a.pk]))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
    stylesheet = client.get(static("css/tandem.css"))
    assert stylesheet.status_code == 200
    assert "no-store" not in stylesheet["Cache-Control"]
    assert "max-age" in stylesheet["Cache-Control"]


def test_service_worker_version_follows_file_contents_where_addresses_do_not(
    client, settings, monkeypatch, tmp_path
):
    """With plain static storage (a DEBUG run: addresses carry no hash of the file), editing
    a script the shell keeps still gives the cache a new name."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    script = tmp_path / "outbox.js"
    script.write_text("// one version")
    real_find = views.finders.find

    def find(path, *args, **kwargs):
        return str(script) if path == "js/outbox.js" else real_find(path, *args, **kwargs)

    monkeypatch.setattr(views.finders, "find", find)
    shell, before = _shell(client)
    assert static("js/outbox.js") in shell
    assert _shell(client)[1] == before
    script.write_text("// another version")
    assert _shell(client)[1] != before
