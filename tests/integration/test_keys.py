"""A person's end-to-end keys on the server (docs/e2e.md, "Keys follow the person"): the
salt lookup, sign-up with keys, sign-in with the secret, an account made before keys
moving over, password change and reset re-wrapping, and what is refused. The device's part
is done in Python, with the scheme the browser uses (``tests/factories.py``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client

from factories import (
    PASSWORD,
    device_keys,
    person,
    reauthenticated,
    sign_in_secret,
    signed_in,
    signup_form,
)
from mutual.accounts import keys
from mutual.accounts.models import Person, PersonKeys
from mutual.e2e import scheme as s

pytestmark = pytest.mark.django_db


def _confirmed(email: str) -> Person:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(email=email).update(verified=True)
    return Person.objects.get(email=email)


def _signed_up(client: Client, email: str, password: str = PASSWORD) -> Person:
    response = client.post("/accounts/signup/", signup_form(email, password))
    assert response.status_code == 302, response.content.decode()[:2000]
    return _confirmed(email)


def _post_login(client: Client, email: str, password: str, **extra: str) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password, **extra})


# ---------------------------------------------------------------------------------------
# The salt lookup


def test_the_salt_lookup_answers_alike_for_an_address_with_keys_and_none(client: Client) -> None:
    _signed_up(client, "dora@example.org")
    known = client.post("/accounts/keys/salt/", {"email": "Dora@example.org"}).json()
    unknown = client.post("/accounts/keys/salt/", {"email": "nobody@example.org"}).json()
    assert set(known) == set(unknown) == {"version", "salt", "opslimit", "memlimit"}
    assert len(s.unb64(unknown["salt"])) == len(s.unb64(known["salt"])) == 16
    assert (unknown["opslimit"], unknown["memlimit"]) == (known["opslimit"], known["memlimit"])
    # Stable per address, different between addresses, and only by POST.
    again = client.post("/accounts/keys/salt/", {"email": "nobody@example.org"}).json()
    other = client.post("/accounts/keys/salt/", {"email": "somebody@example.org"}).json()
    assert again["salt"] == unknown["salt"] != other["salt"]
    assert client.get("/accounts/keys/salt/?email=nobody@example.org").status_code == 405
    kept = PersonKeys.objects.get(person__email="dora@example.org")
    assert known["salt"] == s.b64(bytes(kept.salt))


def test_an_account_made_before_keys_is_told_to_move_over(settings: Any) -> None:
    alice = person("alice")
    settings.MUTUAL_E2E_MOVE_OVER = True
    answer = keys.salt_for(alice.email)
    assert answer["legacy"] == keys.MOVE
    assert answer["salt"] == s.b64(keys.derived_salt(alice.email))
    settings.MUTUAL_E2E_MOVE_OVER = False
    assert keys.salt_for(alice.email)["legacy"] == keys.AS_IS


# ---------------------------------------------------------------------------------------
# Sign-up and sign-in


def test_sign_up_keeps_the_keys_and_only_a_hash_of_the_secret(client: Client) -> None:
    form = signup_form("dora@example.org")
    assert client.post("/accounts/signup/", form).status_code == 302
    dora = _confirmed("dora@example.org")
    kept = dora.keys
    assert s.b64(bytes(kept.public_key)) == form["e2e_public"]
    assert (kept.opslimit, kept.memlimit) == (1, 8192)
    assert check_password(form["password1"], dora.password)
    assert not check_password(PASSWORD, dora.password)
    # The password's key unwraps the private key the device made; the server cannot.
    assert len(bytes(kept.wrapped_by_password)) == s.WRAPPED_BYTES


def test_sign_up_without_keys_is_refused_and_makes_nothing(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": "dora@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "needs JavaScript" in response.content.decode()
    assert not Person.objects.filter(email="dora@example.org").exists()


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("e2e_salt", s.b64(b"short"), "not in the form"),
        ("e2e_public", "!!!", "not in the form"),
        ("e2e_opslimit", "0", "too little work"),
        ("e2e_memlimit", str(2**40), "more work than"),
        ("password1", PASSWORD, "not in the form"),
    ],
)
def test_malformed_keys_are_refused_and_make_nothing(
    client: Client, field: str, value: str, words: str
) -> None:
    form = signup_form("dora@example.org")
    form[field] = value
    if field == "password1":
        form["password2"] = value
    response = client.post("/accounts/signup/", form)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Person.objects.filter(email="dora@example.org").exists()


def test_keys_weaker_than_interactive_are_refused_outside_tests(
    client: Client, settings: Any
) -> None:
    settings.MUTUAL_E2E_LIMITS = keys.INTERACTIVE
    response = client.post("/accounts/signup/", signup_form("dora@example.org"))
    assert "too little work" in response.content.decode()
    assert not Person.objects.filter(email="dora@example.org").exists()


def test_sign_in_takes_the_secret_and_no_longer_the_password(client: Client) -> None:
    _signed_up(client, "dora@example.org")
    assert _post_login(client, "dora@example.org", PASSWORD).status_code == 200
    response = _post_login(client, "dora@example.org", sign_in_secret("dora@example.org"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/keys/open/?next=")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "'wasm-unsafe-eval'" in page["Content-Security-Policy"]
    data = page.context["keys"]
    assert data["public"] == s.b64(bytes(PersonKeys.objects.get().public_key))


def test_only_the_pages_that_run_the_scheme_may_compile_webassembly(client: Client) -> None:
    for url in ("/accounts/login/", "/accounts/signup/"):
        assert "'wasm-unsafe-eval'" in client.get(url)["Content-Security-Policy"]
    assert "wasm" not in client.get("/accounts/password/reset/")["Content-Security-Policy"]
    assert "wasm" not in client.get("/learn/")["Content-Security-Policy"]


def test_the_common_passwords_are_there_for_the_device(client: Client) -> None:
    listed = client.get("/accounts/keys/common-passwords.txt").content.decode().split("\n")
    assert "password" in listed
    assert len(listed) > 10_000


# ---------------------------------------------------------------------------------------
# Moving over


def test_an_account_made_before_keys_moves_over_at_its_next_sign_in(
    client: Client, settings: Any
) -> None:
    settings.MUTUAL_E2E_MOVE_OVER = True
    alice = person("alice")
    answer = client.post("/accounts/keys/salt/", {"email": alice.email}).json()
    salt = s.unb64(answer["salt"])
    device = device_keys(salt=salt)
    response = _post_login(client, alice.email, PASSWORD, **device.fields, e2e_secret=device.secret)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert s.b64(bytes(alice.keys.public_key)) == device.fields["e2e_public"]
    assert check_password(device.secret, alice.password)
    assert not check_password(PASSWORD, alice.password)
    # Still signed in with the same session, and the next sign-in takes the secret only.
    assert client.get("/accounts/keys/open/").status_code == 200
    assert "keys_made" in set(alice.security_events.values_list("kind", flat=True))
    other = Client()
    assert _post_login(other, alice.email, PASSWORD).status_code == 200
    assert _post_login(other, alice.email, sign_in_secret(alice.email)).status_code == 302


def test_a_wrong_password_moves_nothing_over(client: Client, settings: Any) -> None:
    settings.MUTUAL_E2E_MOVE_OVER = True
    alice = person("alice")
    device = device_keys()
    response = _post_login(
        client, alice.email, "not alices password", **device.fields, e2e_secret=device.secret
    )
    assert response.status_code == 200
    assert not PersonKeys.objects.exists()
    alice.refresh_from_db()
    assert check_password(PASSWORD, alice.password)


def test_an_account_made_before_keys_still_signs_in_with_its_password(client: Client) -> None:
    alice = person("alice")
    assert _post_login(client, alice.email, PASSWORD)["Location"] == "/bonds/"
    assert not PersonKeys.objects.exists()


# ---------------------------------------------------------------------------------------
# Password change and reset


def _with_keys(client: Client, email: str = "dora@example.org") -> tuple[Person, Any]:
    device = device_keys()
    client.post(
        "/accounts/signup/",
        {"email": email, "password1": device.secret, "password2": device.secret, **device.fields},
    )
    return _confirmed(email), device


def test_a_password_change_rewraps_the_same_key_in_one_step(client: Client) -> None:
    dora, device = _with_keys(client)
    client.force_login(dora)
    new = device_keys("another long and quiet evening")
    rewrapped = s.wrap_private(device.identity.private, new.unwrap)
    fields = {**new.fields, "e2e_wrapped_password": s.b64(rewrapped)}
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": device.secret, "password1": new.secret, "password2": new.secret, **fields},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    dora.refresh_from_db()
    kept = PersonKeys.objects.get(person=dora)
    assert bytes(kept.public_key) == device.identity.public
    assert s.unwrap_private(bytes(kept.wrapped_by_password), new.unwrap) == device.identity.private
    assert check_password(new.secret, dora.password)


def test_a_password_change_without_the_rewrapped_key_changes_nothing(client: Client) -> None:
    dora, device = _with_keys(client)
    client.force_login(dora)
    new = device_keys("another long and quiet evening")
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": device.secret, "password1": new.secret, "password2": new.secret},
    )
    assert response.status_code == 200
    dora.refresh_from_db()
    assert check_password(device.secret, dora.password)


def _reset_link(client: Client, email: str, mailoutbox: list[Any]) -> str:
    import re

    client.post("/accounts/password/reset/", {"email": email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mailoutbox[-1].body)
    assert link is not None
    return client.get(link.group(1), follow=True).redirect_chain[-1][0]


def test_a_reset_with_the_recovery_key_keeps_the_same_key(
    client: Client, mailoutbox: list[Any]
) -> None:
    dora, device = _with_keys(client)
    form_url = _reset_link(client, dora.email, mailoutbox)
    page = client.get(form_url)
    shown = page.context["form"].user.keys
    private = s.unwrap_private(bytes(shown.wrapped_by_recovery), device.recovery)
    new = device_keys("another long and quiet evening")
    fields = {
        **new.fields,
        "e2e_public": s.b64(device.identity.public),
        "e2e_wrapped_password": s.b64(s.wrap_private(private, new.unwrap)),
        "e2e_wrapped_recovery": s.b64(bytes(shown.wrapped_by_recovery)),
    }
    response = client.post(form_url, {"password1": new.secret, "password2": new.secret, **fields})
    assert response.status_code == 302
    kept = PersonKeys.objects.get(person=dora)
    assert bytes(kept.public_key) == device.identity.public
    assert kept.replaced_at is None
    assert s.unwrap_private(bytes(kept.wrapped_by_recovery), device.recovery) == private


def test_a_reset_without_the_recovery_key_starts_fresh_keys(
    client: Client, mailoutbox: list[Any]
) -> None:
    dora, device = _with_keys(client)
    form_url = _reset_link(client, dora.email, mailoutbox)
    page = client.get(form_url).content.decode()
    assert "cannot be restored" in page
    fresh = device_keys("another long and quiet evening")
    response = client.post(
        form_url, {"password1": fresh.secret, "password2": fresh.secret, **fresh.fields}
    )
    assert response.status_code == 302
    kept = PersonKeys.objects.get(person=dora)
    assert bytes(kept.public_key) == fresh.identity.public != device.identity.public
    assert kept.replaced_at is not None
    dora.refresh_from_db()
    assert check_password(fresh.secret, dora.password)


def test_reauthentication_takes_the_secret(client: Client) -> None:
    dora, device = _with_keys(client)
    client.force_login(dora)
    page = client.get("/accounts/reauthenticate/")
    assert "'wasm-unsafe-eval'" in page["Content-Security-Policy"]
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 200
    assert client.post("/accounts/reauthenticate/", {"password": device.secret}).status_code == 302


def test_deleting_a_person_deletes_their_keys(client: Client) -> None:
    dora, _device = _with_keys(client)
    dora.delete()
    assert not PersonKeys.objects.exists()


def test_factory_helpers_sign_in_as_before() -> None:
    alice = person("alice")
    client = signed_in(alice)
    assert reauthenticated(client) is client


# ---------------------------------------------------------------------------------------
# Two-step sign-in after the secret


def _totp_for(who: Person) -> Any:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(who, secret)
    return secret


def _code(secret: str) -> str:
    import time

    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    # Taken early in its window, so the window cannot turn before the check.
    while time.time() % 30 > 25:
        time.sleep(0.2)
    counter = next(iter(yield_hotp_counters_from_time()))
    return str(format_hotp_value(hotp_value(secret, counter)))


def test_two_step_sign_in_follows_the_secret_and_then_opens_the_keys(client: Client) -> None:
    dora, device = _with_keys(client)
    totp = _totp_for(dora)
    client.logout()
    step = _post_login(client, dora.email, device.secret)
    assert step["Location"] == "/accounts/2fa/authenticate/"
    done = client.post("/accounts/2fa/authenticate/", {"code": _code(totp)})
    assert done.status_code == 302
    assert done["Location"].startswith("/accounts/keys/open/?next=")


def test_moving_over_waits_for_the_second_step(client: Client, settings: Any) -> None:
    settings.MUTUAL_E2E_MOVE_OVER = True
    alice = person("alice")
    totp = _totp_for(alice)
    device = device_keys(salt=keys.derived_salt(alice.email))
    step = _post_login(client, alice.email, PASSWORD, **device.fields, e2e_secret=device.secret)
    assert step["Location"] == "/accounts/2fa/authenticate/"
    assert not PersonKeys.objects.exists()  # the password alone moves nothing over
    done = client.post("/accounts/2fa/authenticate/", {"code": _code(totp)})
    assert done["Location"].startswith("/accounts/keys/open/")
    alice.refresh_from_db()
    assert check_password(device.secret, alice.password)
    assert bytes(alice.keys.public_key) == device.identity.public
