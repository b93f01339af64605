"""SECURITY.md 9–16: passwords, hashing, two-step sign-in, sessions, the security log,
throttling, password reset and fresh re-authentication."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from allauth.core.internal.ratelimit import parse_rates
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from factories import PASSWORD, person, reauthenticated, signed_in
from mutual.accounts.models import DeviceSession, Person, SecurityEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _code(secret: str) -> str:
    """The code of the current 30-second window, taken early enough in it that the
    window cannot turn between computing the code and the server checking it."""
    while time.time() % 30 > 25:
        time.sleep(0.2)
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def _with_totp(who: Person) -> str:
    secret = generate_totp_secret()
    TOTP.activate(who, secret)
    RecoveryCodes.activate(who)
    return secret


def _start_sign_in(who: Person, client: Client, password: str = PASSWORD) -> str:
    response = client.post("/accounts/login/", {"login": who.email, "password": password})
    assert response.status_code == 302
    return response["Location"]


def _is_signed_in(client: Client) -> bool:
    response = client.get("/accounts/security/")
    return response.status_code == 200


# -- 11. Passwords -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("elevenchars", False),
        ("q1w2e3r4t5y6", False),  # on the common-password list
        ("qwerty123456", False),
        ("twelve chars", True),
        ("all lowercase words are fine here", True),
        ("x" * 20 + "a quiet room by the water at dusk" + "y" * 20, True),  # > 64
    ],
)
def test_req11_password_length_and_common_check(password: str, accepted: bool) -> None:
    try:
        validate_password(password)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


def test_req11_signup_refuses_a_short_password_and_creates_nothing() -> None:
    response = Client().post(
        "/accounts/signup/",
        {"email": "dora@example.org", "password1": "short pass", "password2": "short pass"},
    )
    assert response.status_code == 200
    assert b"at least 12 characters" in response.content
    assert not Person.objects.filter(email="dora@example.org").exists()


# -- 12. Argon2id --------------------------------------------------------------------------


@pytest.mark.usefixtures("production_hashers")
def test_req12_argon2id_first_and_never_below_the_floor() -> None:
    assert settings.PASSWORD_HASHERS[0] == "mutual.accounts.hashers.MutualArgon2Hasher"
    alice = person("Alice")
    assert identify_hasher(alice.password).algorithm == "argon2"
    match = re.match(r"argon2\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", alice.password)
    assert match is not None, alice.password
    memory, passes, lanes = (int(g) for g in match.groups())
    assert memory >= 19 * 1024
    assert passes >= 2
    assert lanes >= 1


@pytest.mark.usefixtures("production_hashers")
def test_req12_a_weaker_hash_is_upgraded_at_sign_in() -> None:
    alice = person("Alice")
    alice.password = get_hasher("pbkdf2_sha256").encode(PASSWORD, "saltsaltsalt")
    alice.save(update_fields=["password"])
    signed_in(alice)
    alice.refresh_from_db()
    assert alice.password.startswith("argon2$argon2id$")


# -- 13. TOTP and recovery codes ------------------------------------------------------------


def test_req13_totp_is_asked_after_the_password() -> None:
    alice = person("Alice")
    secret = _with_totp(alice)
    client = Client()
    assert _start_sign_in(alice, client) == "/accounts/2fa/authenticate/"
    assert not _is_signed_in(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": _code(secret)})
    assert response.status_code == 302
    assert _is_signed_in(client)


def test_req13_totp_replay_rejected() -> None:
    alice = person("Alice")
    secret = _with_totp(alice)
    code = _code(secret)
    first = Client()
    _start_sign_in(alice, first)
    assert first.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    second = Client()  # Bob watched the code over Alice's shoulder
    _start_sign_in(alice, second)
    response = second.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert not _is_signed_in(second)


def test_req13_recovery_codes_are_single_use() -> None:
    alice = person("Alice")
    _with_totp(alice)
    codes = RecoveryCodes(Authenticator.objects.get(user=alice, type="recovery_codes"))
    code = codes.get_unused_codes()[0]
    first = Client()
    _start_sign_in(alice, first)
    assert first.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    second = Client()
    _start_sign_in(alice, second)
    assert second.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert not _is_signed_in(second)


def test_req13_second_factor_secrets_are_not_stored_in_the_clear() -> None:
    alice = person("Alice")
    secret = _with_totp(alice)
    codes = RecoveryCodes(Authenticator.objects.get(user=alice, type="recovery_codes"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator")
        stored = " ".join(str(row[0]) for row in cursor.fetchall())
    assert secret not in stored
    for code in codes.get_unused_codes():
        assert code not in stored


# -- 9. Sessions ------------------------------------------------------------------------------


IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
LINUX_FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"


def test_req9_session_list_shows_each_browser() -> None:
    alice = person("Alice")
    phone, laptop = (
        signed_in(alice, Client(HTTP_USER_AGENT=IPHONE_SAFARI)),
        signed_in(alice, Client(HTTP_USER_AGENT=LINUX_FIREFOX)),
    )
    page = laptop.get("/accounts/security/").content.decode()
    # Each browser by its name in words; never the raw string, which scrolls sideways.
    assert "Safari on iPhone" in page
    assert "Firefox on Linux" in page
    assert LINUX_FIREFOX not in page
    assert _is_signed_in(phone)


def test_req9_revoked_cookie_refused_on_next_request() -> None:
    alice = person("Alice")
    phone = signed_in(alice, Client(HTTP_USER_AGENT="Phone"))
    laptop = signed_in(alice, Client(HTTP_USER_AGENT="Laptop"))
    device = DeviceSession.objects.get(person=alice, user_agent="Phone")
    laptop.post(f"/accounts/sessions/{device.pk}/revoke/")
    response = phone.get("/accounts/security/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert _is_signed_in(laptop)


def test_req9_revoke_all_signs_out_everywhere() -> None:
    alice = person("Alice")
    phone = signed_in(alice, Client(HTTP_USER_AGENT="Phone"))
    laptop = signed_in(alice, Client(HTTP_USER_AGENT="Laptop"))
    reauthenticated(laptop).post("/accounts/sessions/revoke-all/")
    assert not _is_signed_in(phone)
    assert not _is_signed_in(laptop)


def test_req9_a_stranger_cannot_revoke_someone_elses_session() -> None:
    alice, charlie = person("Alice"), person("Charlie")
    phone = signed_in(alice, Client(HTTP_USER_AGENT="Phone"))
    device = DeviceSession.objects.get(person=alice)
    signed_in(charlie).post(f"/accounts/sessions/{device.pk}/revoke/")
    assert _is_signed_in(phone)


# -- 10. Security log ---------------------------------------------------------------------------


def test_req10_security_log_is_visible_to_its_owner_alone() -> None:
    alice, bob = person("Alice"), person("Bob")
    Client().post("/accounts/login/", {"login": alice.email, "password": "wrong password!!"})
    alice_client = signed_in(alice, Client(HTTP_USER_AGENT=IPHONE_SAFARI))
    bob_client = signed_in(bob, Client(HTTP_USER_AGENT=LINUX_FIREFOX))
    kinds = set(SecurityEvent.objects.filter(person=alice).values_list("kind", flat=True))
    assert {"signed_in", "sign_in_failed"} <= kinds
    alice_page = alice_client.get("/accounts/security/log/").content.decode()
    bob_page = bob_client.get("/accounts/security/log/").content.decode()
    assert "Safari on iPhone" in alice_page
    assert "Safari on iPhone" not in bob_page
    assert "Firefox on Linux" in bob_page
    assert "Firefox on Linux" not in alice_page
    assert Client().get("/accounts/security/log/").status_code == 302


def test_req10_factor_changes_and_exports_are_logged(
    django_capture_on_commit_callbacks: Any,
) -> None:
    alice = person("Alice")
    client = reauthenticated(signed_in(alice))
    assert client.post("/accounts/export.json").status_code == 200
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=alice, type="totp").exists()
    kinds = set(SecurityEvent.objects.filter(person=alice).values_list("kind", flat=True))
    assert {"export", "factor_added", "signed_in"} <= kinds


# -- 14. Throttling -----------------------------------------------------------------------------


def test_req14_hundred_failed_sign_ins_then_the_trusted_device_still_signs_in() -> None:
    alice = person("Alice")
    trusted = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Phone"))
    assert trusted.cookies.get("mutual_device")
    trusted.post("/accounts/logout/")
    partner = Client(HTTP_USER_AGENT="Bob-Laptop")  # same home network: same address
    for _ in range(100):
        partner.post("/accounts/login/", {"login": alice.email, "password": "guess guess guess"})
    # The partner is throttled, even with the right password now…
    response = partner.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert response.status_code != 302
    # …but Alice's own phone signs in.
    response = trusted.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert response.status_code == 302
    assert _is_signed_in(trusted)


def test_req14_signing_out_everywhere_ends_the_trusted_device_mark() -> None:
    """A phone that was taken keeps its cookie; once Alice signs out everywhere, that
    mark no longer gives it a sign-in limit of its own."""
    from django.test import RequestFactory
    from django.utils import timezone

    from mutual.accounts import sessions, ways_out

    alice = person("Alice")
    phone = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Phone"))
    mark = phone.cookies["mutual_device"].value
    request = RequestFactory().get("/", HTTP_COOKIE=f"mutual_device={mark}")
    assert sessions.trusted_device_of(request, alice) is not None
    ways_out.close_every_way_in(person=alice, why="signed_out_everywhere", at=timezone.now())
    assert sessions.trusted_device_of(request, alice) is None
    partner = Client(HTTP_USER_AGENT="Bob-Laptop")
    for _ in range(100):
        partner.post("/accounts/login/", {"login": alice.email, "password": "guess guess guess"})
    refused = phone.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert refused.status_code != 302


def test_req14_a_mark_from_before_this_rule_trusts_nothing() -> None:
    """A mark without the time it was given (or forged without the key) is ignored."""
    from django.core import signing
    from django.test import RequestFactory

    from mutual.accounts import sessions

    alice = person("Alice")
    old = signing.dumps({"p": str(alice.pk), "d": "1"}, salt=sessions.TRUSTED_SALT)
    request = RequestFactory().get("/", HTTP_COOKIE=f"mutual_device={old}")
    assert sessions.trusted_device_of(request, alice) is None


def test_req14_throttling_is_per_account_and_address_and_never_longer_than_15_minutes() -> None:
    limits = settings.ACCOUNT_RATE_LIMITS
    failed = parse_rates(limits["login_failed"])
    assert {rate.per for rate in failed} == {"ip", "key"}
    for name in ("login_failed", "login_failed_trusted"):
        for rate in parse_rates(limits[name]):
            assert 0 < rate.duration <= 15 * 60


# -- 15. Password reset -------------------------------------------------------------------------


def _reset_link(who: Person) -> str:
    mail.outbox.clear()
    Client().post("/accounts/password/reset/", {"email": who.email})
    assert len(mail.outbox) == 1
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert match is not None
    return match.group(1)


def _reset(link: str, new_password: str) -> int:
    client = Client()
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    return response.status_code


def test_req15_reset_token_lives_at_most_30_minutes() -> None:
    assert settings.PASSWORD_RESET_TIMEOUT <= 30 * 60
    alice = person("Alice")
    issued = PasswordResetTokenGenerator()
    token = issued.make_token(alice)

    class Later(PasswordResetTokenGenerator):
        def __init__(self, minutes: int) -> None:
            super().__init__()
            self.minutes = minutes

        def _now(self) -> datetime:
            return super()._now() + timedelta(minutes=self.minutes)

    assert Later(29).check_token(alice, token)
    assert not Later(31).check_token(alice, token)


def test_req15_reset_link_is_single_use() -> None:
    alice = person("Alice")
    link = _reset_link(alice)
    assert _reset(link, "a brand new and long passphrase") == 302
    assert _reset(link, "another brand new passphrase!") != 302
    alice.refresh_from_db()
    assert alice.check_password("a brand new and long passphrase")


def test_req15_reset_ends_all_sessions() -> None:
    alice = person("Alice")
    phone = signed_in(alice, Client(HTTP_USER_AGENT="Phone"))
    assert _reset(_reset_link(alice), "a brand new and long passphrase") == 302
    assert not _is_signed_in(phone)
    assert not DeviceSession.objects.filter(person=alice, revoked_at__isnull=True).exists()


def test_req15_reset_never_skips_the_second_factor() -> None:
    alice = person("Alice")
    _with_totp(alice)
    client = Client()
    assert _reset(_reset_link(alice), "a brand new and long passphrase") == 302
    assert not _is_signed_in(client)
    location = _start_sign_in(alice, client, "a brand new and long passphrase")
    assert location == "/accounts/2fa/authenticate/"
    assert not _is_signed_in(client)


# -- 16. Fresh re-authentication --------------------------------------------------------------


def _age_sign_in(client: Client, seconds: int) -> None:
    session = client.session
    for record in session.get("account_authentication_methods", []):
        record["at"] = time.time() - seconds
    session.save()


SENSITIVE = [
    ("get", "/accounts/export/"),
    ("post", "/accounts/export/"),
    ("post", "/accounts/export.json"),
    ("post", "/accounts/delete/"),
    ("post", "/accounts/email/"),
    ("get", "/accounts/2fa/totp/activate/"),
]


@pytest.mark.parametrize(("method", "url"), SENSITIVE)
def test_req16_sensitive_actions_need_a_sign_in_younger_than_five_minutes(
    method: str, url: str
) -> None:
    alice = person("Alice")
    client = reauthenticated(signed_in(alice))
    _age_sign_in(client, 6 * 60)
    response = getattr(client, method)(url, {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    alice.refresh_from_db()
    assert alice.is_active
    assert Person.objects.filter(pk=alice.pk).exists()


def test_req16_sign_in_alone_is_not_enough_for_export() -> None:
    alice = person("Alice")
    response = signed_in(alice).post("/accounts/export.json")
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]


def test_req16_fresh_reauthentication_may_export() -> None:
    alice = person("Alice")
    client = reauthenticated(signed_in(alice))
    _age_sign_in(client, 4 * 60)
    assert client.post("/accounts/export.json").status_code == 200


def test_req16_password_change_asks_for_the_current_password() -> None:
    alice = person("Alice")
    client = signed_in(alice)  # Bob at Alice's unlocked laptop
    new = "bob chose this password now"
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not alices password", "password1": new, "password2": new},
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


# -- F7. A one-time code is used once, everywhere ---------------------------------------------


def _activated_with(client: Client, capture: Any) -> tuple[str, str]:
    """Alice turns TOTP on in her browser: the secret and the code she typed."""
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session["mfa.totp.secret"]
    code = _code(secret)
    with capture(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    return secret, code


def test_f7_the_code_that_turned_totp_on_gets_no_api_token(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1  # the code stays valid across a 30-second boundary
    alice = person("Alice")
    _secret, code = _activated_with(
        reauthenticated(signed_in(alice)), django_capture_on_commit_callbacks
    )
    # Bob watched her type it, and asks for a token with it in the same half-minute.
    response = Client().post(
        "/api/v1/auth/tokens",
        {"email": alice.email, "password": PASSWORD, "totp": code},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert "already used" in response.json()["detail"]


def test_f7_the_code_that_turned_totp_on_signs_no_one_in(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    alice = person("Alice")
    _secret, code = _activated_with(
        reauthenticated(signed_in(alice)), django_capture_on_commit_callbacks
    )
    bobs = Client()
    _start_sign_in(alice, bobs)
    assert bobs.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert not _is_signed_in(bobs)


def test_f7_a_code_used_for_an_api_token_does_not_reauthenticate_on_the_web(
    settings: Any,
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    alice = person("Alice")
    secret = _with_totp(alice)
    code = _code(secret)
    token = Client().post(
        "/api/v1/auth/tokens",
        {"email": alice.email, "password": PASSWORD, "totp": code},
        content_type="application/json",
    )
    assert token.status_code == 201
    bobs = Client()
    bobs.force_login(alice)  # Alice's unlocked laptop
    response = bobs.post("/accounts/2fa/reauthenticate/", {"code": code})
    assert response.status_code == 200
    assert bobs.get("/accounts/export/").status_code == 302
