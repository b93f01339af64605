"""SECURITY.md 30: sign-up, sign-in and reset answer a known and an unknown address alike,
with the same work.

Bob wants to know whether Alice has a Mutual account. He tries her address and one that
has none, on the web and through the API, and compares everything he can see: the
status, the page or body, the cookies he is given — and how much work the server did,
counted as runs of the password hasher (a proxy for time that needs no clock).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from factories import PASSWORD, person, sign_in_secret, signup_form
from mutual.accounts.hashers import MutualArgon2Hasher
from mutual.accounts.models import Person, PersonKeys

pytestmark = pytest.mark.django_db

KNOWN = "alice@example.org"
UNKNOWN = "dora@example.org"
BOBS_GUESS = "bob's guess at a long password"


class CountingHasher(MutualArgon2Hasher):
    """Mutual's own hasher, counting each time it runs (hash or check)."""

    runs = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.runs += 1
        return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        CountingHasher.runs += 1
        return super().verify(password, encoded)


@pytest.fixture(autouse=True)
def _counting(settings: Any) -> None:
    # The only argon2 hasher in the list, so that checks run through it too.
    settings.PASSWORD_HASHERS = [
        f"{__name__}.CountingHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    cache.clear()


@pytest.fixture
def alice() -> Person:
    return person("Alice")


@dataclass
class Seen:
    """What Bob can observe of one request, and the work it cost."""

    status: int
    location: str
    body: str
    cookies: list[str]
    hashes: int
    mails: int


def _neutral(text: str, email: str) -> str:
    """The page without what differs on every request anyway (tokens, nonces) and
    without the address Bob typed himself."""
    text = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", text)
    text = re.sub(r'nonce="[^"]+"', 'nonce=""', text)
    return text.replace(email, "ADDRESS")


def _observe(email: str, send: Callable[[Client], Any]) -> Seen:
    client = Client()
    mail.outbox.clear()
    CountingHasher.runs = 0
    response = send(client)
    hashes = CountingHasher.runs
    location = response.get("Location", "")
    body = response.content.decode()
    if location.startswith("/"):
        body = client.get(location).content.decode()
    return Seen(
        status=response.status_code,
        location=location,
        body=_neutral(body, email),
        cookies=sorted(response.cookies),
        hashes=hashes,
        mails=len(mail.outbox),
    )


def _web_sign_up(email: str, password: str = BOBS_GUESS) -> Callable[[Client], Any]:
    """Sign-up as a browser with JavaScript sends it: keys and a sign-in secret."""
    return lambda client: client.post("/accounts/signup/", signup_form(email, password))


def _api(path: str, body: dict[str, str]) -> Callable[[Client], Any]:
    return lambda client: client.post(f"/api/v1{path}", body, content_type="application/json")


def _web_sign_in(email: str, password: str = BOBS_GUESS) -> Callable[[Client], Any]:
    """Sign-in as a browser sends it: the sign-in secret for an account with keys, the
    password for one made before keys (moving over is off in tests)."""

    def send(client: Client) -> Any:
        keyed = PersonKeys.objects.filter(person__email=email).exists()
        sent = sign_in_secret(email, password) if keyed else password
        return client.post("/accounts/login/", {"login": email, "password": sent})

    return send


# -- Sign-up ------------------------------------------------------------------------------------


def test_f6_web_sign_up_answers_a_known_and_a_new_address_alike(alice: Person) -> None:
    known = _observe(KNOWN, _web_sign_up(KNOWN))
    new = _observe(UNKNOWN, _web_sign_up(UNKNOWN))
    assert known == new
    assert known.status == 302
    assert "email" in known.body.lower()  # "check your email", in both cases
    assert known.hashes == 1
    assert known.mails == 1
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_f6_api_sign_up_answers_a_known_and_a_new_address_alike(alice: Person) -> None:
    known = _observe(KNOWN, _api("/auth/signup", {"email": KNOWN, "password": BOBS_GUESS}))
    new = _observe(UNKNOWN, _api("/auth/signup", {"email": UNKNOWN, "password": BOBS_GUESS}))
    assert known == new
    assert known.status == 201
    assert "email" in known.body.lower()
    assert known.hashes == 1
    assert known.mails == 1
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_f6_the_owner_of_a_known_address_gets_a_short_note_and_nothing_else(
    alice: Person,
) -> None:
    _observe(KNOWN, _web_sign_up(KNOWN))
    (note,) = mail.outbox
    assert note.to == [KNOWN]
    assert "tried to create" in note.body
    assert BOBS_GUESS not in note.body
    assert len(note.body) < 900
    _observe(KNOWN, _api("/auth/signup", {"email": KNOWN, "password": BOBS_GUESS}))
    (again,) = mail.outbox
    assert again.subject == note.subject


# -- An account Bob made himself answers like a wrong password until it is confirmed ---------


def test_f6_signing_in_to_an_unconfirmed_account_looks_like_a_wrong_password(
    alice: Person,
) -> None:
    """Bob signs Dora's address up with his own password, then signs in with it: the
    answer is the one a wrong password for Alice's address gets."""
    _observe(UNKNOWN, _web_sign_up(UNKNOWN))
    assert Person.objects.filter(email=UNKNOWN).exists()
    unconfirmed = _observe(UNKNOWN, _web_sign_in(UNKNOWN))
    wrong = _observe(KNOWN, _web_sign_in(KNOWN))
    assert unconfirmed == wrong
    assert wrong.status == 200
    tokens = [
        _observe(e, _api("/auth/tokens", {"email": e, "password": BOBS_GUESS}))
        for e in (UNKNOWN, KNOWN)
    ]
    assert tokens[0] == tokens[1]
    assert tokens[0].status == 401


def test_f6_a_newcomer_confirms_her_address_and_then_signs_in() -> None:
    dora = Client()
    _web_sign_up(UNKNOWN, PASSWORD)(dora)
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)
    assert link is not None, message.body
    assert dora.get(link.group(1)).status_code == 200
    confirmed = dora.post(link.group(1))
    assert confirmed.status_code == 302
    assert dora.get("/bonds/").status_code == 200
    token = Client().post(
        "/api/v1/auth/tokens",
        {"email": UNKNOWN, "password": sign_in_secret(UNKNOWN, PASSWORD)},
        content_type="application/json",
    )
    assert token.status_code == 201


# -- Sign-in and reset ------------------------------------------------------------------------


def test_f6_web_sign_in_answers_a_known_and_an_unknown_address_alike(alice: Person) -> None:
    known = _observe(KNOWN, _web_sign_in(KNOWN))
    unknown = _observe(UNKNOWN, _web_sign_in(UNKNOWN))
    assert known == unknown
    assert known.hashes == 1


def test_f6_api_tokens_answer_a_known_and_an_unknown_address_alike(alice: Person) -> None:
    known = _observe(KNOWN, _api("/auth/tokens", {"email": KNOWN, "password": BOBS_GUESS}))
    unknown = _observe(UNKNOWN, _api("/auth/tokens", {"email": UNKNOWN, "password": BOBS_GUESS}))
    assert known == unknown
    assert known.status == 401
    assert known.hashes == 1


def test_f6_reset_answers_a_known_and_an_unknown_address_alike(alice: Person) -> None:
    def reset(email: str) -> Callable[[Client], Any]:
        return lambda client: client.post("/accounts/password/reset/", {"email": email})

    known = _observe(KNOWN, reset(KNOWN))
    unknown = _observe(UNKNOWN, reset(UNKNOWN))
    assert known == unknown
    assert known.status == 302
    assert known.mails == 1


def test_f6_accounts_made_before_confirmation_was_required_still_sign_in() -> None:
    """The migration that brought the rule counts the address each account signed in
    with as confirmed, so nobody is locked out by it."""
    import importlib

    from allauth.account.models import EmailAddress
    from django.apps import apps

    old = person("Alice")
    EmailAddress.objects.filter(user=old).update(verified=False)  # signed up before
    assert _observe(KNOWN, _web_sign_in(KNOWN, PASSWORD)).status == 200
    migration = importlib.import_module(
        "mutual.accounts.migrations.0003_confirmed_addresses_and_trust"
    )
    migration.forwards(apps, None)
    assert _observe(KNOWN, _web_sign_in(KNOWN, PASSWORD)).status == 302
