"""The salt lookup that starts a sign-in with keys (``POST /accounts/keys/salt/``), asked
as someone would who wants to learn who has an account: an address with keys and an
unknown address answer alike — status, members in order, shapes, headers, limits — and
asking too often is refused calmly, for both alike, without keeping the owner's own
browser out (docs/e2e.md, "Salt lookup")."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from factories import PASSWORD, device_keys, sign_in_secret, signup_form
from mutual.accounts import keys
from mutual.accounts.keys_views import SALT_LIMITED
from mutual.accounts.models import Person, PersonKeys
from mutual.e2e import scheme as s

pytestmark = pytest.mark.django_db

KNOWN = "dora@example.org"
UNKNOWN = "nobody@example.org"
URL = "/accounts/keys/salt/"


@pytest.fixture
def dora() -> Person:
    response = Client().post("/accounts/signup/", signup_form(KNOWN))
    assert response.status_code == 302
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(email=KNOWN).update(verified=True)
    return Person.objects.get(email=KNOWN)


def _ask(email: str, *, client: Client | None = None, address: str = "10.0.0.1") -> Any:
    client = client or Client()
    return client.post(URL, {"email": email}, REMOTE_ADDR=address)


def _headers(response: Any) -> dict[str, str]:
    """Every header but the date, with the length of the body."""
    return {k: v for k, v in response.headers.items() if k.lower() != "date"}


def _shape(answer: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(k, type(v).__name__, len(str(v))) for k, v in answer.items()]


def test_an_address_with_keys_and_an_unknown_one_answer_alike(dora: Person) -> None:
    known, unknown = _ask(KNOWN, address="10.0.0.1"), _ask(UNKNOWN, address="10.0.0.2")
    assert known.status_code == unknown.status_code == 200
    assert _headers(known) == _headers(unknown)
    assert known.cookies.keys() == unknown.cookies.keys() == set()
    a, b = known.json(), unknown.json()
    assert list(a) == list(b) == ["version", "salt", "opslimit", "memlimit"]
    assert _shape(a) == _shape(b)
    assert len(s.unb64(a["salt"])) == len(s.unb64(b["salt"])) == s.SALT_BYTES
    assert (a["version"], a["opslimit"], a["memlimit"]) == (
        b["version"],
        b["opslimit"],
        b["memlimit"],
    )
    assert a["salt"] == s.b64(bytes(dora.keys.salt))
    # The unknown address: the same answer every time, however it is written.
    again = _ask(" Nobody@Example.ORG ", address="10.0.0.3")
    assert again.content == unknown.content
    assert _headers(again) == _headers(unknown)
    assert _ask(UNKNOWN, address="10.0.0.4").content == unknown.content


def test_at_the_interactive_limits_both_answer_them(settings: Any) -> None:
    """Outside the tests, keys are made at the interactive limits, and an unknown address
    is answered with those same limits."""
    settings.MUTUAL_E2E_LIMITS = keys.INTERACTIVE
    device = device_keys()
    PersonKeys.objects.create(
        person=Person.objects.create_user(KNOWN, device.secret),
        version=s.VERSION,
        salt=s.unb64(device.fields["e2e_salt"]),
        opslimit=s.OPSLIMIT,
        memlimit=s.MEMLIMIT,
        public_key=s.unb64(device.fields["e2e_public"]),
        wrapped_by_password=s.unb64(device.fields["e2e_wrapped_password"]),
        wrapped_by_recovery=s.unb64(device.fields["e2e_wrapped_recovery"]),
        made_at="2026-12-01T10:00:00Z",
    )
    known, unknown = _ask(KNOWN, address="10.0.0.1"), _ask(UNKNOWN, address="10.0.0.2")
    assert _headers(known) == _headers(unknown)
    assert _shape(known.json()) == _shape(unknown.json())
    assert unknown.json()["opslimit"] == known.json()["opslimit"] == 2
    assert unknown.json()["memlimit"] == known.json()["memlimit"] == 64 * 1024 * 1024


def _until_refused(email: str, *, address: str) -> tuple[int, Any]:
    """Ask about ``email`` from ``address`` until refused: how many were answered, and
    the refusal."""
    for answered in range(50):
        response = _ask(email, address=address)
        if response.status_code != 200:
            return answered, response
    raise AssertionError("never refused")


def test_asking_about_one_address_too_often_is_refused_alike_for_both(dora: Person) -> None:
    counted_known, refused_known = _until_refused(KNOWN, address="10.0.1.1")
    counted_unknown, refused_unknown = _until_refused(UNKNOWN, address="10.0.2.1")
    assert counted_known == counted_unknown == 10
    for refused in (refused_known, refused_unknown):
        assert refused.status_code == 429
        assert refused.json() == {"detail": str(SALT_LIMITED)}
    assert _headers(refused_known) == _headers(refused_unknown)
    assert refused_known.content == refused_unknown.content
    # Per address asked about: another address is still answered from the same place.
    assert _ask("someone@example.org", address="10.0.1.1").status_code == 200


def test_asking_too_often_from_one_place_is_refused_whatever_the_address(dora: Person) -> None:
    for n in range(20):
        assert _ask(f"person{n}@example.org", address="10.0.3.1").status_code == 200
    known, unknown = _ask(KNOWN, address="10.0.3.1"), _ask(UNKNOWN, address="10.0.3.1")
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content
    assert _headers(known) == _headers(unknown)
    # Elsewhere, both are answered.
    assert _ask(KNOWN, address="10.0.3.2").status_code == 200


def test_someone_asking_about_a_persons_address_cannot_keep_their_own_browser_out(
    dora: Person,
) -> None:
    own = Client()
    signed = own.post(
        "/accounts/login/",
        {"login": KNOWN, "password": sign_in_secret(KNOWN)},
        REMOTE_ADDR="10.0.4.1",
    )
    assert signed.status_code == 302
    own.post("/accounts/logout/", REMOTE_ADDR="10.0.4.1")
    _until_refused(KNOWN, address="10.0.5.1")
    assert _ask(KNOWN, address="10.0.5.2").status_code == 429
    mine = _ask(KNOWN, client=own, address="10.0.4.1")
    assert mine.status_code == 200
    assert mine.json()["salt"] == s.b64(bytes(dora.keys.salt))
    # And the device signs in with it.
    again = own.post(
        "/accounts/login/",
        {"login": KNOWN, "password": sign_in_secret(KNOWN, PASSWORD)},
        REMOTE_ADDR="10.0.4.1",
    )
    assert again.status_code == 302
