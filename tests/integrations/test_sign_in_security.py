"""Local accounts: failed sign-ins are throttled, and two-factor sign-in asks for an authenticator code."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from credence.integrations import services, totp
from credence.integrations.models import TotpDevice

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, password: str, username: str = "home_proposer"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def signed_in_user(client: Client):
    return client.get("/").context["user"]


def test_five_wrong_passwords_lock_the_account_for_this_address(world):
    client = Client()
    for _ in range(4):
        assert "Too many failed attempts" not in sign_in(client, "wrong").content.decode()

    fifth = sign_in(client, "wrong")
    assert "Too many failed attempts" in fifth.content.decode()

    # Even the right password is refused while locked, with the same clear message.
    locked = sign_in(client, PASSWORD)
    assert locked.status_code == 200
    assert "Wait 15 minutes" in locked.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_the_lock_is_per_account_and_address(world):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        sign_in(attacker, "wrong")

    assert sign_in(Client(REMOTE_ADDR="198.51.100.7"), PASSWORD).status_code == 302
    assert sign_in(attacker, PASSWORD, username="home_qa_officer").status_code == 302


def test_a_successful_sign_in_forgets_earlier_failures(world):
    client = Client()
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302


def wrong_code(secret: str) -> str:
    """A six-digit code that matches none of the steps accepted now."""
    valid = {totp.code_at(secret, totp.current_step() + d) for d in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in valid)


def _enable(client: Client, user) -> str:
    page = client.get("/accounts/two-factor/setup/").content.decode()
    secret = re.search(r"secret=([A-Z2-7]+)", page).group(1)
    assert "<svg" in page
    response = client.post("/accounts/two-factor/setup/", {"code": totp.code_at(secret, totp.current_step())})
    assert response.status_code == 302
    return secret


def test_with_two_factor_on_the_password_alone_does_not_sign_in(world):
    user = world.user("proposer")
    owner = Client()
    owner.force_login(user)
    secret = _enable(owner, user)
    assert TotpDevice.objects.filter(user=user).exists()

    client = Client()
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/"
    assert not signed_in_user(client).is_authenticated

    wrong = client.post("/accounts/two-factor/", {"code": wrong_code(secret)})
    assert wrong.status_code == 400
    assert "does not match" in wrong.content.decode()

    # Step back one: the current step's code was used up when turning it on.
    code = totp.code_at(secret, totp.current_step() + 1)
    right = client.post("/accounts/two-factor/", {"code": code})
    assert right.status_code == 302 and right["Location"] == "/"
    assert signed_in_user(client) == user


def test_a_code_is_good_only_once(world):
    user = world.user("proposer")
    device = TotpDevice.objects.create(user=user, secret=totp.new_secret())
    code = totp.code_at(device.secret, totp.current_step())

    assert services.check_totp(user=user, code=code)
    assert not services.check_totp(user=user, code=code)


def test_wrong_codes_are_throttled_too(world):
    user = world.user("proposer")
    TotpDevice.objects.create(user=user, secret=totp.new_secret())
    client = Client()
    sign_in(client, PASSWORD)
    for _ in range(5):
        client.post("/accounts/two-factor/", {"code": "12345x"})  # never a valid code
        client.post("/accounts/two-factor/", {"code": "999999"})

    response = client.post("/accounts/two-factor/", {"code": "999999"}, follow=True)

    assert "Too many failed attempts" in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_the_totp_codes_match_the_rfc_6238_test_vector():
    # RFC 6238 appendix B, SHA-1, secret "12345678901234567890", T = 59 s -> 94287082 (8 digits; we use 6).
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_at(secret, 59 // 30) == "287082"


def test_turning_it_off_needs_a_current_code(world):
    user = world.user("proposer")
    client = Client()
    client.force_login(user)
    secret = _enable(client, user)

    refused = client.post("/accounts/two-factor/setup/", {"code": wrong_code(secret)})
    assert refused.status_code == 400
    assert TotpDevice.objects.filter(user=user).exists()

    client.post("/accounts/two-factor/setup/", {"code": totp.code_at(secret, totp.current_step() + 1)})
    assert not TotpDevice.objects.filter(user=user).exists()


def test_the_code_must_follow_the_password_soon(world):
    from credence.integrations import signin

    user = world.user("proposer")
    device = TotpDevice.objects.create(user=user, secret=totp.new_secret())
    client = Client()
    sign_in(client, PASSWORD)
    session = client.session
    session[signin.PENDING_AT] -= signin.PENDING_SECONDS + 1
    session.save()

    response = client.post(
        "/accounts/two-factor/", {"code": totp.code_at(device.secret, totp.current_step())}
    )

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert not signed_in_user(client).is_authenticated
