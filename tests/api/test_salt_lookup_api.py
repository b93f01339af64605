"""``POST /api/v1/auth/salt`` asked as someone would who wants to learn who has an
account: an address with keys and an unknown one answer alike — status, members in order,
shapes, headers, limits — asking too often is refused calmly for both alike, and a client
the account trusts is not kept out by someone asking about its address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from factories import device_keys, sign_in_secret
from mutual.accounts.models import Person
from mutual.e2e import scheme as s

pytestmark = pytest.mark.django_db

KNOWN = "dora@example.org"
UNKNOWN = "nobody@example.org"


@pytest.fixture
def dora() -> Person:
    device = device_keys()
    f = device.fields
    body = {
        "email": KNOWN,
        "password": device.secret,
        "keys": {
            "salt": f["e2e_salt"],
            "opslimit": 1,
            "memlimit": 8192,
            "public": f["e2e_public"],
            "wrapped_by_password": f["e2e_wrapped_password"],
            "wrapped_by_recovery": f["e2e_wrapped_recovery"],
        },
    }
    answer = Client().post(
        "/api/v1/auth/signup", body, content_type="application/json", REMOTE_ADDR="10.9.9.9"
    )
    assert answer.status_code == 201, answer.content
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(email=KNOWN).update(verified=True)
    return Person.objects.get(email=KNOWN)


def _ask(email: str, *, client: Client | None = None, address: str = "10.0.0.1") -> Any:
    return (client or Client()).post(
        "/api/v1/auth/salt", {"email": email}, content_type="application/json", REMOTE_ADDR=address
    )


def _headers(response: Any) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower() != "date"}


def _shape(answer: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(k, type(v).__name__, len(str(v))) for k, v in answer.items()]


def test_an_address_with_keys_and_an_unknown_one_answer_alike(dora: Person) -> None:
    known, unknown = _ask(KNOWN, address="10.0.0.1"), _ask(UNKNOWN, address="10.0.0.2")
    assert known.status_code == unknown.status_code == 200
    assert _headers(known) == _headers(unknown)
    assert known.cookies.keys() == unknown.cookies.keys() == set()
    a, b = known.json(), unknown.json()
    assert list(a) == list(b) == ["version", "salt", "opslimit", "memlimit", "legacy"]
    assert _shape(a) == _shape(b)
    assert a["legacy"] is b["legacy"] is None
    assert len(s.unb64(a["salt"])) == len(s.unb64(b["salt"])) == s.SALT_BYTES
    assert (a["opslimit"], a["memlimit"]) == (b["opslimit"], b["memlimit"])
    assert a["salt"] == s.b64(bytes(dora.keys.salt))
    again = _ask(" Nobody@Example.ORG ", address="10.0.0.3")
    assert again.content == unknown.content
    assert _headers(again) == _headers(unknown)


def _until_refused(email: str, *, address: str, client: Client | None = None) -> tuple[int, Any]:
    for answered in range(50):
        response = _ask(email, address=address, client=client)
        if response.status_code != 200:
            return answered, response
    raise AssertionError("never refused")


@pytest.mark.usefixtures("steady_clock")  # both refusals name the same seconds to wait
def test_asking_about_one_address_too_often_is_refused_alike_for_both(
    dora: Person, settings: Any
) -> None:
    settings.MUTUAL_API_RATE_AUTH = (4, 600)
    # From many places, so that only the count per email address is reached.
    counted_known, refused_known = 0, None
    for n in range(10):
        response = _ask(KNOWN, address=f"10.1.0.{n}")
        if response.status_code != 200:
            refused_known = response
            break
        counted_known += 1
    counted_unknown, refused_unknown = 0, None
    for n in range(10):
        response = _ask(UNKNOWN, address=f"10.2.0.{n}")
        if response.status_code != 200:
            refused_unknown = response
            break
        counted_unknown += 1
    assert counted_known == counted_unknown == 4
    assert refused_known is not None
    assert refused_unknown is not None
    assert refused_known.status_code == refused_unknown.status_code == 429
    assert refused_known.json() == refused_unknown.json()
    assert refused_known.json()["detail"].startswith("Too many requests. Try again in")
    assert _headers(refused_known).keys() == _headers(refused_unknown).keys()
    assert "Retry-After" in refused_known.headers
    # And from one place, whatever the address asked about.
    assert _until_refused("a@example.org", address="10.3.0.1")[0] == 4
    assert _ask("b@example.org", address="10.3.0.1").status_code == 429


def test_someone_asking_about_an_address_cannot_keep_its_trusted_client_out(
    dora: Person, settings: Any
) -> None:
    own = Client()
    created = own.post(
        "/api/v1/auth/tokens",
        {"email": KNOWN, "password": sign_in_secret(KNOWN)},
        content_type="application/json",
        REMOTE_ADDR="10.4.0.1",
    )
    assert created.status_code == 201  # the client is trusted from now on
    settings.MUTUAL_API_RATE_AUTH = (4, 600)
    for n in range(6):
        _ask(KNOWN, address=f"10.5.0.{n}")
    assert _ask(KNOWN, address="10.5.1.1").status_code == 429
    mine = _ask(KNOWN, client=own, address="10.4.0.1")
    assert mine.status_code == 200
    assert mine.json()["salt"] == s.b64(bytes(dora.keys.salt))
