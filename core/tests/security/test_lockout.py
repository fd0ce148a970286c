"""Replays of the password-guessing attacks from issue 15, each now stopped.

Behind one proxy (``TRUSTED_PROXY_COUNT=1``) every request reaches Tandem from the proxy's
address, with the client's address appended to ``X-Forwarded-For`` by the proxy; anything to
its left was sent by the client and may be forged."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.lockout import client_address
from accounts.tests.factories import TEST_PASSWORD
from audit.models import AuditEvent
from mentoring.client_address import client_address_settings

PROXY = "10.0.0.2"
VICTIM_ADDRESS = "81.2.69.142"
ATTACKER_ADDRESS = "81.2.69.160"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for name, value in client_address_settings(1).items():
        setattr(settings, name, value)


def _through_proxy(client, email: str, password: str, *, forwarded: str):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def _from(client, address: str, email: str, password: str):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_a_forged_forwarded_address_leaves_the_victim_able_to_log_in(
    behind_one_proxy, world, client
):
    """Five wrong passwords sent with a forged X-Forwarded-For naming the victim's own address
    count against the attacker's real address: the victim, coming from theirs, logs in."""
    victim = world.coordinator_a
    for _ in range(5):
        _through_proxy(
            client, victim.email, "guess", forwarded=f"{VICTIM_ADDRESS}, {ATTACKER_ADDRESS}"
        )

    response = _through_proxy(client, victim.email, TEST_PASSWORD, forwarded=VICTIM_ADDRESS)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) <= {ATTACKER_ADDRESS}


def test_changing_the_forged_address_does_not_escape_the_lockout(behind_one_proxy, world, client):
    """A different forged address on every guess still counts against the real one, so the
    attacker is locked out after five, even with the right password."""
    victim = world.coordinator_a
    for n in range(5):
        _through_proxy(client, victim.email, "guess", forwarded=f"192.0.2.{n}, {ATTACKER_ADDRESS}")

    response = _through_proxy(
        client, victim.email, TEST_PASSWORD, forwarded=f"192.0.2.99, {ATTACKER_ADDRESS}"
    )

    assert response.status_code == 429


def test_a_lockout_is_audited_with_the_real_address(behind_one_proxy, world, client):
    """The audit names the account and the attacker's real address for every failure and
    for the lockout, never the forged one, and never the password tried."""
    victim = world.coordinator_a
    for _ in range(5):
        _through_proxy(
            client, victim.email, "guess-Zq8!", forwarded=f"{VICTIM_ADDRESS}, {ATTACKER_ADDRESS}"
        )

    events = AuditEvent.objects.filter(target_type="accounts.user", target_id=str(victim.pk))
    failed = events.filter(action="user.login_failed")
    assert failed.count() == 5
    assert {e.detail["address"] for e in failed} == {ATTACKER_ADDRESS}
    locked = events.get(action="user.locked_out")
    assert locked.detail["address"] == ATTACKER_ADDRESS
    assert "guess-Zq8!" not in str(list(events.values_list("detail", flat=True)))


def test_spraying_three_accounts_from_one_address_is_stopped(world, client):
    """Four wrong guesses at each of three accounts from one address, then the right
    password for each: none of the three logs in from there (the address is locked)."""
    accounts = [world.coordinator_a, world.coordinator_b, world.manager]
    for user in accounts:
        for _ in range(4):
            _from(client, ATTACKER_ADDRESS, user.email, "guess")

    for user in accounts:
        response = _from(client, ATTACKER_ADDRESS, user.email, TEST_PASSWORD)
        assert response.status_code == 429, user

    # The owners, elsewhere, are not locked out by someone else's spraying.
    response = _from(client, VICTIM_ADDRESS, world.manager.email, TEST_PASSWORD)
    assert response["Location"] == reverse("home")


def test_logging_in_to_ones_own_account_does_not_clear_the_addresss_guesses(world, client):
    """A sprayer with an account of their own cannot log in to it to reset the count of
    their guesses at everyone else's."""
    own = world.mentor_a
    for user in (world.coordinator_a, world.coordinator_b):
        for _ in range(4):
            _from(client, ATTACKER_ADDRESS, user.email, "guess")
    assert _from(client, ATTACKER_ADDRESS, own.email, TEST_PASSWORD).status_code == 302
    client.post(reverse("logout"))

    _from(client, ATTACKER_ADDRESS, world.manager.email, "guess")
    _from(client, ATTACKER_ADDRESS, world.manager.email, "guess")

    response = _from(client, ATTACKER_ADDRESS, world.manager.email, TEST_PASSWORD)
    assert response.status_code == 429


def test_guessing_one_account_from_many_addresses_is_stopped(world, client, settings):
    """Guesses spread over many addresses (four each, under the per-address limit) stop
    at the per-account limit, which is higher than the per-address one."""
    victim = world.coordinator_a
    assert settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT > settings.AXES_FAILURE_LIMIT
    for n in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT // 4):
        for _ in range(4):
            _from(client, f"81.2.70.{n}", victim.email, "guess")

    response = _from(client, "81.2.71.1", victim.email, TEST_PASSWORD)

    assert response.status_code == 429


def test_a_reset_password_lifts_a_lockout_of_the_account(world, client, settings):
    """Someone locked out of their account by another's guesses gets back in by setting a
    new password from the emailed link."""
    victim = world.coordinator_a
    for n in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT // 4):
        for _ in range(4):
            _from(client, f"81.2.70.{n}", victim.email, "guess")
    uid = urlsafe_base64_encode(force_bytes(victim.pk))
    token = default_token_generator.make_token(victim)
    link = client.get(reverse("password_reset_confirm", args=[uid, token]))
    new = "a much longer passphrase for 2027"
    client.post(link["Location"], {"new_password1": new, "new_password2": new})

    response = _from(client, VICTIM_ADDRESS, victim.email, new)

    assert response["Location"] == reverse("home")


def test_the_locked_out_page_says_what_happened_in_plain_words(world, client):
    """The lockout page says why, for how long, and what to do, with no jargon, and links
    back to the login page."""
    for _ in range(5):
        _from(client, ATTACKER_ADDRESS, world.manager.email, "guess")

    body = _from(client, ATTACKER_ADDRESS, world.manager.email, TEST_PASSWORD).content.decode()

    assert "logging in is paused for 15 minutes" in body
    assert "set a new password" in body
    assert f'href="{reverse("login")}"' in body


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "client"),
    [
        (0, "203.0.113.9", "81.2.69.160", "81.2.69.160"),  # no proxy: the header is ignored
        (1, "81.2.69.160", PROXY, "81.2.69.160"),
        (1, "203.0.113.9, 81.2.69.160", PROXY, "81.2.69.160"),
        (2, "81.2.69.160, 10.0.0.7", PROXY, "81.2.69.160"),
        (2, "203.0.113.9, 81.2.69.160, 10.0.0.7", PROXY, "81.2.69.160"),
        # Shorter than two proxies write: the nearest proxy's entry, a real address.
        (2, "81.2.69.161", PROXY, "81.2.69.161"),
        (2, "", PROXY, PROXY),
        (2, "not-an-address", PROXY, PROXY),
    ],
)
def test_the_client_address_is_counted_from_the_right(
    settings, rf, proxies, forwarded, remote, client
):
    """Behind N proxies the client is the Nth address from the right of X-Forwarded-For
    (each proxy appends the address it was reached from); what the client wrote on the left
    is never taken, and with no proxy the header is not read at all."""
    for name, value in client_address_settings(proxies).items():
        setattr(settings, name, value)
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == client


LOOK_ALIKES = [
    pytest.param("\uff53", id="fullwidth-s"),
    pytest.param("\u017f", id="long-s"),
]


def _look_alike(email: str, letter: str) -> str:
    """The address with its first 's' spelt as a character Django folds to 's'."""
    assert "s" in email
    return email.replace("s", letter, 1)


@pytest.mark.parametrize("letter", LOOK_ALIKES)
def test_a_look_alike_spelling_does_not_escape_a_lock_from_one_address(world, client, letter):
    """Five wrong passwords lock the account at this address; the right password sent with
    the address spelt with a look-alike 's' (which Django folds to the real account) is
    refused too, and nobody is logged in."""
    victim = world.coordinator_a
    for _ in range(5):
        _from(client, ATTACKER_ADDRESS, victim.email, "guess")

    response = _from(client, ATTACKER_ADDRESS, _look_alike(victim.email, letter), TEST_PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("letter", LOOK_ALIKES)
def test_a_look_alike_spelling_does_not_escape_a_lock_of_the_account(
    world, client, settings, letter
):
    """Guesses from many addresses lock the account everywhere; a new address sending the
    right password under a look-alike spelling is refused, as the plain spelling is."""
    victim = world.coordinator_a
    for n in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT // 4):
        for _ in range(4):
            _from(client, f"81.2.70.{n}", victim.email, "guess")

    response = _from(client, "81.2.71.1", _look_alike(victim.email, letter), TEST_PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("letter", LOOK_ALIKES)
def test_look_alike_guesses_count_against_the_real_account(world, client, letter):
    """Wrong guesses under a look-alike spelling are counted against the account itself:
    after five, the plain spelling with the right password is refused at that address."""
    victim = world.coordinator_a
    for _ in range(5):
        _from(client, ATTACKER_ADDRESS, _look_alike(victim.email, letter), "guess")

    response = _from(client, ATTACKER_ADDRESS, victim.email, TEST_PASSWORD)

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {victim.email}


def test_a_look_alike_spelling_cannot_open_a_second_account(world):
    """Inviting an address spelt with a look-alike 's' is refused when the plain address
    already has an account, and a new account stores the folded spelling."""
    from django.core.exceptions import ValidationError

    from accounts.models import User
    from accounts.services import user_invite

    existing = world.coordinator_a
    with pytest.raises(ValidationError):
        user_invite(
            by=world.manager,
            email=_look_alike(existing.email, "\u017f").upper(),
            full_name="Someone Else",
            role="manager",
            scheme=None,
        )

    created = User.objects.create_user("\uff2e\uff45w.Person@Example.org")
    assert created.email == "new.person@example.org"


def test_short_forwarded_headers_behind_two_proxies_are_counted_apart(settings, world, client):
    """Behind two proxies, requests whose X-Forwarded-For has one entry (they reached the
    nearest proxy directly) are each counted by that entry: one such client's guesses lock
    out only that client, not every other request of that shape."""
    for name, value in client_address_settings(2).items():
        setattr(settings, name, value)

    def login(address: str, password: str):
        return client.post(
            reverse("login"),
            {"username": world.coordinator_a.email, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=address,
        )

    for _ in range(5):
        login(ATTACKER_ADDRESS, "guess")

    assert login(ATTACKER_ADDRESS, TEST_PASSWORD).status_code == 429
    assert login(VICTIM_ADDRESS, TEST_PASSWORD)["Location"] == reverse("home")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER_ADDRESS}


def test_a_colleague_on_the_sprayers_address_whose_account_was_not_guessed_at_logs_in(
    world, client
):
    """An office NAT: someone sprays three accounts from the shared address until it is
    locked for them; a colleague behind the same address, whose account nobody guessed at,
    logs in with the right password."""
    for user in (world.coordinator_a, world.coordinator_b, world.manager):
        for _ in range(4):
            _from(client, ATTACKER_ADDRESS, user.email, "guess")
    assert _from(client, ATTACKER_ADDRESS, world.manager.email, TEST_PASSWORD).status_code == 429

    response = _from(client, ATTACKER_ADDRESS, world.mentor_a.email, TEST_PASSWORD)

    assert response["Location"] == reverse("home")


def test_a_reset_password_lets_a_guessed_at_owner_in_from_the_sprayers_address(world, client):
    """An account guessed at from a shared, over-limit address is locked there; once its owner
    sets a new password from the emailed link they log in from that same address."""
    victim = world.coordinator_a
    for user in (victim, world.coordinator_b, world.manager):
        for _ in range(4):
            _from(client, ATTACKER_ADDRESS, user.email, "guess")
    assert _from(client, ATTACKER_ADDRESS, victim.email, TEST_PASSWORD).status_code == 429
    uid = urlsafe_base64_encode(force_bytes(victim.pk))
    token = default_token_generator.make_token(victim)
    link = client.get(reverse("password_reset_confirm", args=[uid, token]))
    new = "a much longer passphrase for 2027"
    client.post(link["Location"], {"new_password1": new, "new_password2": new})

    response = _from(client, ATTACKER_ADDRESS, victim.email, new)

    assert response["Location"] == reverse("home")
