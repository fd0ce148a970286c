"""Email leaves Tandem through the worker: queued once the transaction commits, with only
the addresses, subject and body; sent by the worker with ``EMAIL_TIMEOUT`` on the mail
server's connection, and tried again later when the server cannot be reached. No web request
waits on a mail server."""

import logging
import smtplib
import socket
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction
from django.urls import reverse

from core.mail import SEND_EMAIL_TASK, email_later
from core.tasks import send_email
from mentoring.celery import app

# A hang guard, not a speed target: ten times what a slow, busy machine needs.
DELIVERY_GUARD_SECONDS = 60


def test_an_email_is_queued_for_the_worker_once_the_transaction_commits(
    db, django_capture_on_commit_callbacks, email_queue
):
    """Nothing is queued while the transaction is open; then one task with the addresses,
    subject and body alone (no model instance: it passed through JSON). Nothing is sent."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email_later(to=["a@example.org", "", "b@example.org"], subject="Hello", body="Words")
        assert email_queue.queued == []
    assert len(callbacks) == 1
    assert email_queue.queued == [
        {"to": ["a@example.org", "b@example.org"], "subject": "Hello", "body": "Words"}
    ]
    assert mail.outbox == []


def test_an_email_about_something_rolled_back_is_never_queued(
    db, django_capture_on_commit_callbacks, email_queue
):
    """A write that fails takes its email with it."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email_later(to=["a@example.org"], subject="Hello", body="Words")
        transaction.set_rollback(True)
    assert email_queue.queued == []


def test_an_email_to_nobody_is_not_queued(db, django_capture_on_commit_callbacks, email_queue):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email_later(to=["", ""], subject="Hello", body="Words")
    assert callbacks == [] and email_queue.queued == []


def test_the_password_reset_link_is_queued_not_sent_by_the_request(
    world, client, django_capture_on_commit_callbacks, email_queue
):
    """ "Forgotten your password?" answers without talking to a mail server: the link is
    queued for the worker."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": world.mentor_a.email})
    assert response.status_code == 302
    assert mail.outbox == []
    [queued] = email_queue.queued
    assert queued["to"] == [world.mentor_a.email]
    assert queued["subject"] == "Set a new Tandem password"
    assert "/accounts/password/reset/" in queued["body"]


def test_mail_servers_get_ten_seconds_by_default(settings):
    """EMAIL_TIMEOUT is set (Django's default is to wait for ever)."""
    assert settings.EMAIL_TIMEOUT == 10


@pytest.fixture
def silent_mail_server():
    """A mail server that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_mail_server_that_does_not_answer_is_given_up_on(settings, silent_mail_server):
    """With EMAIL_TIMEOUT the worker's send gives up on a silent server (a timeout, which
    the task retries) instead of waiting for ever."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent_mail_server
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    # smtplib reports the timeout as the server having hung up, which the task retries.
    with pytest.raises((TimeoutError, smtplib.SMTPServerDisconnected)) as failure:
        send_email.run(to=["a@example.org"], subject="Hello", body="Words")
    assert "timed out" in str(failure.value)
    assert isinstance(failure.value, send_email.autoretry_for)


def test_a_mail_server_that_fails_is_tried_again(monkeypatch):
    """A refused connection or an SMTP error is tried again (with growing waits between
    tries), and the email goes once the server is back."""
    tries: list[str] = []

    def flaky_send_mail(subject, body, from_email, to):
        tries.append(subject)
        if len(tries) == 1:
            raise ConnectionRefusedError("mail server down")
        if len(tries) == 2:
            raise smtplib.SMTPServerDisconnected("went away")
        return 1

    monkeypatch.setattr("core.tasks.send_mail", flaky_send_mail)
    send_email.apply(kwargs={"to": ["a@example.org"], "subject": "Hello", "body": "Words"})
    assert tries == ["Hello"] * 3
    assert send_email.max_retries >= 3 and send_email.retry_backoff


@pytest.mark.slow
@pytest.mark.real_queue
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_password_reset_email(client):
    """Through the real broker (Redis in the suite), a real worker sends the reset link a
    person asked for."""
    from accounts.tests.factories import UserFactory

    user = UserFactory(email="reset.me@example.org")
    root_level = logging.root.level  # the worker's logging set-up raises it to ERROR
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            response = client.post(reverse("password_reset"), {"email": user.email})
            assert response.status_code == 302
            deadline = time.monotonic() + DELIVERY_GUARD_SECONDS
            while not mail.outbox and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        logging.root.setLevel(root_level)  # later tests read warnings from the log
    [email] = mail.outbox
    assert email.to == [user.email]
    assert email.subject == "Set a new Tandem password"
    assert send_email.name == SEND_EMAIL_TASK


def test_a_process_that_sends_no_email_queues_none(
    db, settings, django_capture_on_commit_callbacks, email_queue
):
    """With the dummy backend (seeding the demo data) nothing is queued for the worker,
    whose own backend would send it."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        email_later(to=["a@example.org"], subject="Hello", body="Words")
    assert email_queue.queued == []
