"""Issue 15: ``/healthz`` told anyone the database vendor, the broker's transport and the
worker's heartbeat times. Now the public sees only whether Tandem is up; the details are for
staff who are logged in and for a probe on the machine itself (by the connection's own
address: a forwarded-for header never counts)."""

import pytest
from django.urls import reverse

from conftest import Client, World, client_for
from core.models import Heartbeat
from core.services import heartbeat_record

OUTSIDE = "203.0.113.9"  # an address from the documentation range: someone on the internet
DETAIL_WORDS = ("database", "broker", "worker", "heartbeat", "sqlite", "postgresql", "redis")


def health(client, **headers):
    response = client.get(reverse("healthz"), **headers)
    return response.status_code, response.json()


@pytest.mark.django_db
def test_the_public_sees_only_that_tandem_is_up(client):
    """Someone on the internet gets ``{"status": "ok"}`` and nothing else: no vendor, no
    transport, no times."""
    heartbeat_record()
    status, body = health(client, REMOTE_ADDR=OUTSIDE)
    assert (status, body) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_the_public_sees_only_that_tandem_is_unavailable(client):
    """With the worker silent, the public gets 503 ``{"status": "unavailable"}``, not which
    part failed."""
    Heartbeat.objects.all().delete()
    response = client.get(reverse("healthz"), REMOTE_ADDR=OUTSIDE)
    assert (response.status_code, response.json()) == (503, {"status": "unavailable"})
    assert not any(word in response.content.decode().lower() for word in DETAIL_WORDS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("remote", "forwarded"),
    [
        (OUTSIDE, {"HTTP_X_FORWARDED_FOR": "127.0.0.1"}),  # claims to be local
        (OUTSIDE, {"HTTP_FORWARDED": "for=127.0.0.1"}),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": OUTSIDE}),  # through a proxy on the same host
    ],
)
def test_a_forwarded_address_never_makes_a_request_local(client, remote, forwarded):
    """A forwarded-for header saying 127.0.0.1 shows no details; nor does a request a reverse
    proxy on the same machine passed on from outside (it connects from loopback)."""
    heartbeat_record()
    assert health(client, REMOTE_ADDR=remote, **forwarded) == (200, {"status": "ok"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "HTTP_X_REAL_IP",
        "HTTP_X_FORWARDED_HOST",
        "HTTP_X_FORWARDED_PROTO",
        "HTTP_X_CLIENT_IP",
        "HTTP_CF_CONNECTING_IP",
        "HTTP_TRUE_CLIENT_IP",
    ],
)
def test_any_proxy_header_on_a_loopback_request_hides_the_details(client, header):
    """A proxy on the same machine that sets only ``X-Real-IP`` (or another of the headers
    proxies add) connects from loopback: its request came from outside, so the details stay
    hidden."""
    heartbeat_record()
    value = "https" if header == "HTTP_X_FORWARDED_PROTO" else OUTSIDE
    assert health(client, REMOTE_ADDR="127.0.0.1", **{header: value}) == (200, {"status": "ok"})


@pytest.mark.django_db
@pytest.mark.parametrize("remote", ["127.0.0.1", "::1"])
def test_a_probe_on_the_machine_sees_every_part(client, remote):
    """A monitor on the server itself (a loopback connection, nothing forwarded) sees the
    database, broker and worker, and when the heartbeat was."""
    heartbeat_record()
    status, body = health(client, REMOTE_ADDR=remote)
    assert status == 200 and body["status"] == "ok"
    assert body["database"]["ok"] and body["broker"]["ok"] and body["worker"]["ok"]
    assert body["worker"]["last_heartbeat"]


def test_staff_see_every_part_and_a_mentor_does_not(world: World):
    """Coordinators and managers, logged in, see the details from anywhere; a mentor sees
    only the status."""
    heartbeat_record()
    for user in (world.coordinator_a, world.manager):
        status, body = health(client_for(user), REMOTE_ADDR=OUTSIDE)
        assert status == 200 and set(body) == {"status", "database", "broker", "worker"}
    assert health(client_for(world.mentor_a), REMOTE_ADDR=OUTSIDE) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_a_probe_over_plain_http_is_answered_not_redirected(settings):
    """With the HTTPS redirect on (production), a monitor probing /healthz over plain HTTP
    gets its answer; every other page is still redirected to HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    client = Client()  # after the change: the middleware reads the setting when it starts
    heartbeat_record()
    assert health(client, REMOTE_ADDR=OUTSIDE) == (200, {"status": "ok"})
    assert client.get(reverse("login")).status_code == 301
