"""SECURITY.md 26 and 29: every way out closes every way in, and no way out locks the owner
out of her own trusted browser.

Bob once knew Alice's password and made himself an API token with it; he also kept a
browser signed in as her. Whatever Alice does to get him out — change her password,
reset it, sign out everywhere, turn two-step sign-in on or off — ends his token and his
browser at once. And when he then guesses passwords to keep her out, the browser she
signed in with before still gets in: a sign-out keeps its trusted-device mark.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from test_security_accounts import _code, _reset, _reset_link

from factories import (
    PASSWORD,
    T0,
    person,
    reauthenticated,
    signed_in,
    surface_prompt,
    world,
)
from mutual.accounts.models import ApiToken, DeviceSession, Person, SecurityEvent
from mutual.api.tokens import token_issue
from mutual.bonds import services
from mutual.bonds.models import Exchange

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new and long passphrase"
SEALED = "What Alice wrote, still sealed from Bob"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _is_signed_in(client: Client) -> bool:
    return client.get("/accounts/security/").status_code == 200


def _api(client: Client, path: str, token: str) -> Any:
    return client.get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {token}")


def _sealed_exchange() -> tuple[Person, Exchange]:
    """Alice and Bob's bond, with an exchange Alice answered and Bob has not: her answer
    is sealed."""
    w = world()
    prompt = surface_prompt()
    exchange = services.exchange_open(bond=w.bond, by=w.alice, prompt=prompt, at=T0)
    services.revelation_write(
        exchange=exchange, author=w.alice, body=SEALED, emotional=False, at=T0
    )
    return w.alice, exchange


def as_a_browser_does(client: Client, response: HttpResponse) -> HttpResponse:
    """Apply ``Clear-Site-Data`` as a browser would: ``"cookies"`` drops every cookie."""
    if '"cookies"' in response.get("Clear-Site-Data", ""):
        client.cookies.clear()
    return response


def _sign_out(client: Client) -> None:
    as_a_browser_does(client, client.post("/accounts/logout/"))


def _with_totp(who: Person) -> str:
    secret = generate_totp_secret()
    TOTP.activate(who, secret)
    RecoveryCodes.activate(who)
    return secret


# -- Each way out, through the web -----------------------------------------------------------


def _change_password(alice: Person, here: Client, **_: Any) -> None:
    response = here.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content[:300]


def _reset_password(alice: Person, here: Client, **_: Any) -> None:
    assert _reset(_reset_link(alice), NEW_PASSWORD) == 302


def _sign_out_everywhere(alice: Person, here: Client, **_: Any) -> None:
    reauthenticated(here)
    response = as_a_browser_does(here, here.post("/accounts/sessions/revoke-all/"))
    assert response["Location"] == settings.LOGIN_URL


def _turn_totp_on(alice: Person, here: Client, *, capture: Any, **_: Any) -> None:
    reauthenticated(here)
    assert here.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = here.session["mfa.totp.secret"]
    with capture(execute=True):
        response = here.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=alice, type="totp").exists()


def _turn_totp_off(alice: Person, here: Client, **_: Any) -> None:
    reauthenticated(here)
    response = here.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=alice, type="totp").exists()


WAYS_OUT: dict[str, tuple[Callable[..., None], bool]] = {
    # name: (how Alice takes it, whether the browser she takes it in stays signed in)
    "password-change": (_change_password, True),
    "password-reset": (_reset_password, False),
    "sign-out-everywhere": (_sign_out_everywhere, False),
    "totp-on": (_turn_totp_on, True),
    "totp-off": (_turn_totp_off, True),
}


@pytest.mark.parametrize("way_out", list(WAYS_OUT))
def test_f1_every_way_out_ends_every_token_and_every_other_browser(
    way_out: str, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    alice, exchange = _sealed_exchange()
    # Bob made himself a token and kept a browser signed in as Alice.
    _row, bobs_token = token_issue(person=alice, label="bob's script", at=timezone.now())
    bobs_browser = Client(HTTP_USER_AGENT="Bob-Laptop")
    bobs_browser.force_login(alice)
    api = Client()
    here = Client(HTTP_USER_AGENT="Alice-Phone")
    if way_out == "totp-off":
        _with_totp(alice)
        here.force_login(alice)  # she signed in with her code earlier
    else:
        signed_in(alice, here)
    assert _api(api, "/me", bobs_token).status_code == 200
    read = _api(api, f"/exchanges/{exchange.pk}", bobs_token)
    assert read.status_code == 200
    assert SEALED in read.content.decode()

    take, stays = WAYS_OUT[way_out]
    take(alice, here, capture=django_capture_on_commit_callbacks)

    assert _api(api, "/me", bobs_token).status_code == 401
    refused = _api(api, f"/exchanges/{exchange.pk}", bobs_token)
    assert refused.status_code == 401
    assert SEALED not in refused.content.decode()
    assert not ApiToken.objects.filter(person=alice, revoked_at__isnull=True).exists()
    assert not _is_signed_in(bobs_browser)
    assert _is_signed_in(here) is stays
    assert SecurityEvent.objects.filter(person=alice, kind="api_tokens_revoked").exists()


def test_f1_a_password_changed_from_the_command_line_ends_every_token_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``mutual manage changepassword`` is a way out as well."""
    from django.core.management import call_command

    alice = person("Alice")
    _row, bobs_token = token_issue(person=alice, label="bob's script", at=timezone.now())
    bobs_browser = signed_in(alice, Client(HTTP_USER_AGENT="Bob-Laptop"))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", alice.email, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _api(Client(), "/me", bobs_token).status_code == 401
    assert not _is_signed_in(bobs_browser)
    assert not DeviceSession.objects.filter(person=alice, revoked_at__isnull=True).exists()


def test_f1_signing_out_everywhere_asks_for_the_password_then_does_it() -> None:
    """The browser that signs out everywhere keeps its trusted mark, so it proves the
    password first; the button press is carried out right after."""
    alice = person("Alice")
    _row, bobs_token = token_issue(person=alice, label="bob's script", at=timezone.now())
    here = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Phone"))
    asked = here.post("/accounts/sessions/revoke-all/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert _api(Client(), "/me", bobs_token).status_code == 200
    done = here.post(asked["Location"], {"password": PASSWORD})
    assert done.status_code == 302
    assert _api(Client(), "/me", bobs_token).status_code == 401
    assert not _is_signed_in(here)


# -- Tokens on the privacy page ----------------------------------------------------------------


def test_f1_the_privacy_page_lists_tokens_without_their_secret() -> None:
    alice = person("Alice")
    row, secret = token_issue(person=alice, label="Bob's script", at=timezone.now())
    _api(Client(), "/me", secret)
    page = signed_in(alice).get("/accounts/security/").content.decode()
    assert "Bob&#x27;s script" in page
    assert secret not in page
    assert secret[:12] not in page
    assert row.token_hash not in page
    assert f"/accounts/tokens/{row.pk}/revoke/" in page


def test_f1_a_token_is_revoked_from_the_privacy_page() -> None:
    alice = person("Alice")
    row, secret = token_issue(person=alice, label="Bob's script", at=timezone.now())
    client = signed_in(alice)
    response = client.post(f"/accounts/tokens/{row.pk}/revoke/")
    assert response.status_code == 302
    assert _api(Client(), "/me", secret).status_code == 401
    page = client.get("/accounts/security/").content.decode()
    assert f"/accounts/tokens/{row.pk}/revoke/" not in page
    assert "No program holds a token for your account." in page
    event = SecurityEvent.objects.get(person=alice, kind="api_token_revoked")
    assert event.detail == {"label": "Bob's script", "prefix": row.prefix}


def test_f1_another_persons_token_answers_404_and_stays() -> None:
    alice, charlie = person("Alice"), person("Charlie")
    row, secret = token_issue(person=alice, label="laptop", at=timezone.now())
    response = signed_in(charlie).post(f"/accounts/tokens/{row.pk}/revoke/")
    assert response.status_code == 404
    assert _api(Client(), "/me", secret).status_code == 200
    assert not SecurityEvent.objects.filter(kind="api_token_revoked").exists()


def test_f1_revoking_a_token_needs_a_post_with_the_csrf_token() -> None:
    alice = person("Alice")
    row, secret = token_issue(person=alice, label="laptop", at=timezone.now())
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get(f"/accounts/tokens/{row.pk}/revoke/").status_code == 405
    assert client.post(f"/accounts/tokens/{row.pk}/revoke/").status_code == 403
    assert _api(Client(), "/me", secret).status_code == 200


# -- 4. The owner's trusted browser is never locked out ----------------------------------------


def _partner_guesses(alice: Person, times: int = 100) -> None:
    """Bob, on the same home network, guesses Alice's password."""
    partner = Client(HTTP_USER_AGENT="Bob-Laptop")
    for _ in range(times):
        partner.post("/accounts/login/", {"login": alice.email, "password": "guess guess guess"})
    blocked = partner.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert blocked.status_code != 302, "the partner is throttled, even with the right password"


def _gets_in(client: Client, alice: Person, password: str = PASSWORD) -> bool:
    response = client.post("/accounts/login/", {"login": alice.email, "password": password})
    return response.status_code == 302 and _is_signed_in(client)


def test_f4_signing_out_keeps_the_trusted_mark_and_clears_the_rest() -> None:
    alice = person("Alice")
    phone = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Phone"))
    response = phone.post("/accounts/logout/")
    cleared = response["Clear-Site-Data"]
    assert '"cache"' in cleared
    assert '"storage"' in cleared
    assert '"cookies"' not in cleared
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        assert response.cookies[name]["max-age"] == 0, name
    assert "mutual_device" not in response.cookies


def test_f4_after_signing_out_the_trusted_browser_signs_in_during_an_attack() -> None:
    alice = person("Alice")
    phone = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Phone"))
    _sign_out(phone)
    _partner_guesses(alice)
    assert _gets_in(phone, alice)


def test_f4_after_signing_out_everywhere_the_browser_that_did_it_signs_in_during_an_attack() -> (
    None
):
    alice = person("Alice")
    phone = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Phone"))
    _sign_out_everywhere(alice, phone)
    assert not _is_signed_in(phone)
    _partner_guesses(alice)
    assert _gets_in(phone, alice)


def test_f4_signing_out_everywhere_ends_the_marks_of_the_other_browsers() -> None:
    """The phone Bob took keeps its cookie, but once Alice signs out everywhere from her
    laptop it has no sign-in limit of its own any more."""
    alice = person("Alice")
    taken = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Old-Phone"))
    laptop = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Laptop"))
    _sign_out_everywhere(alice, laptop)
    _partner_guesses(alice)
    assert not _gets_in(taken, alice)
    assert _gets_in(laptop, alice)


def test_f4_after_a_reset_the_trusted_browser_signs_in_during_an_attack() -> None:
    """Alice resets her password from the link in her mail (on any browser); her phone,
    where she signed in before, still gets in while Bob guesses."""
    alice = person("Alice")
    phone = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Phone"))
    _sign_out(phone)
    _reset_password(alice, Client())
    _partner_guesses(alice)
    assert _gets_in(phone, alice, NEW_PASSWORD)


def test_f4_after_a_reset_in_the_trusted_browser_it_signs_in_during_an_attack() -> None:
    alice = person("Alice")
    phone = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Phone"))
    _sign_out(phone)
    assert _reset(_reset_link(alice), NEW_PASSWORD) == 302
    _partner_guesses(alice)
    assert _gets_in(phone, alice, NEW_PASSWORD)


def test_f4_a_mark_buys_a_throttle_of_its_own_never_access() -> None:
    alice = person("Alice")
    phone = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Phone"))
    _sign_out(phone)
    assert not _gets_in(phone, alice, "not the password at all")
    for _ in range(20):
        phone.post("/accounts/login/", {"login": alice.email, "password": "wrong again, sorry"})
    assert not _gets_in(phone, alice), "the mark's own limit holds too"


def test_f4_the_security_log_says_when_other_browsers_stopped_being_trusted() -> None:
    alice = person("Alice")
    laptop = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Laptop"))
    _sign_out_everywhere(alice, laptop)
    event = SecurityEvent.objects.get(person=alice, kind="trust_ended")
    kept = DeviceSession.objects.get(person=alice, user_agent="Alice-Laptop")
    assert event.detail == {"kept": str(kept.pk)}


def test_f4_marks_ended_before_the_new_rule_stay_ended() -> None:
    """Before, any "signed out everywhere" ended every mark; the migration keeps it so."""
    import importlib

    from django.apps import apps
    from django.test import RequestFactory

    from mutual.accounts import sessions

    alice = person("Alice")
    phone = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Phone"))
    request = RequestFactory().get(
        "/", HTTP_COOKIE=f"mutual_device={phone.cookies['mutual_device'].value}"
    )
    sessions.sessions_revoke_all(person=alice, at=timezone.now())  # as the old code did
    assert sessions.trusted_device_of(request, alice) is not None
    importlib.import_module(
        "mutual.accounts.migrations.0003_confirmed_addresses_and_trust"
    ).forwards(apps, None)
    assert sessions.trusted_device_of(request, alice) is None


def test_f4_the_trusted_browser_gets_an_api_token_while_bob_fails_with_her_address(
    settings: Any,
) -> None:
    settings.MUTUAL_API_RATE_AUTH = (3, 600)
    alice = person("Alice")
    phone = signed_in(alice, Client(HTTP_USER_AGENT="Alice-Phone"))
    _sign_out(phone)
    wrong = {"email": alice.email, "password": "guess guess guess"}
    right = {"email": alice.email, "password": PASSWORD}
    partner = Client()  # the same home network: the same address
    for _ in range(30):
        partner.post("/api/v1/auth/tokens", wrong, content_type="application/json")
    refused = partner.post("/api/v1/auth/tokens", right, content_type="application/json")
    assert refused.status_code == 429
    mine = phone.post("/api/v1/auth/tokens", right, content_type="application/json")
    assert mine.status_code == 201
