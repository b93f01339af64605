"""Behind the reverse proxy, every limit and the security log see the real client
(SECURITY.md 29), and nobody can choose their own address.

The proxy of docs/deploy.md connects from loopback and names the client in
``X-Forwarded-For``. Only a peer listed in ``MUTUAL_TRUSTED_PROXIES`` is believed, and
the address is read from the right, so an entry the client wrote itself is never used."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from factories import PASSWORD, person
from mutual.accounts.models import SecurityEvent

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
STRANGER_PEER = "203.0.113.9"
BOB, CAROL = "198.51.100.7", "192.0.2.44"


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings: Any) -> None:
    settings.MUTUAL_TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    cache.clear()


def browser(forwarded: str | None = None, *, peer: str = PROXY) -> Client:
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(**extra)


def fail_sign_ins(client: Client, times: int, *, forwarded: list[str] | None = None) -> None:
    """Failed sign-ins to as many different accounts, so only the address limit counts."""
    for n in range(times):
        headers = {"x-forwarded-for": forwarded[n]} if forwarded else {}
        client.post(
            "/accounts/login/",
            {"login": f"nobody{n}@example.org", "password": "guess guess guess"},
            headers=headers,
        )


def signs_in(client: Client, who: Any) -> bool:
    return (
        client.post("/accounts/login/", {"login": who.email, "password": PASSWORD}).status_code
        == 302
    )


def test_f5_behind_the_proxy_one_guesser_does_not_lock_out_everyone() -> None:
    carol = person("Carol")
    bob = browser(BOB)
    fail_sign_ins(bob, 11)
    assert not signs_in(bob, person("Bob")), "Bob's own address is throttled"
    assert signs_in(browser(CAROL), carol), "Carol shares no limit with Bob"


def test_f5_an_untrusted_peer_cannot_choose_its_address_by_header() -> None:
    bob = browser(peer=STRANGER_PEER)
    fail_sign_ins(bob, 11, forwarded=[f"192.0.2.{n}" for n in range(11)])
    assert not signs_in(browser(CAROL, peer=STRANGER_PEER), person("Bob"))


def test_f5_a_spoofed_leftmost_entry_is_ignored_when_the_proxy_appends() -> None:
    bob = browser()
    fail_sign_ins(bob, 11, forwarded=[f"192.0.2.{n}, {BOB}" for n in range(11)])
    assert not signs_in(browser(f"192.0.2.200, {BOB}"), person("Bob"))
    assert signs_in(browser(f"{BOB}, {CAROL}"), person("Carol"))


def test_f5_api_sign_ups_are_limited_per_client_behind_the_proxy(settings: Any) -> None:
    settings.MUTUAL_API_RATE_AUTH = (3, 600)

    def sign_up(client: Client, n: int) -> int:
        return client.post(
            "/api/v1/auth/signup",
            {"email": f"new{n}@example.org", "password": "a long and new passphrase"},
            content_type="application/json",
        ).status_code

    bob = browser(BOB)
    assert [sign_up(bob, n) for n in range(4)] == [201, 201, 201, 429]
    assert sign_up(browser(CAROL), 10) == 201
    spoofing = browser(f"192.0.2.1, {BOB}")
    assert sign_up(spoofing, 11) == 429
    stranger = browser("192.0.2.2", peer=STRANGER_PEER)
    assert [sign_up(stranger, 20 + n) for n in range(4)][-1] == 429
    assert sign_up(browser("192.0.2.3", peer=STRANGER_PEER), 30) == 429


def test_f5_the_security_log_records_the_client_not_the_proxy() -> None:
    alice = person("Alice")
    assert signs_in(browser(f"192.0.2.9, {CAROL}"), alice)
    event = SecurityEvent.objects.filter(person=alice, kind="signed_in").get()
    assert event.ip_address == CAROL


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        # No proxy trusted: the peer, whatever the header says.
        ("198.51.100.7", "192.0.2.1", [], "198.51.100.7"),
        (PROXY, "192.0.2.1", [], PROXY),
        # The proxy replaces the header (docs/deploy.md) or appends to it.
        (PROXY, "192.0.2.1", ["127.0.0.1"], "192.0.2.1"),
        (PROXY, "10.9.9.9, 192.0.2.1", ["127.0.0.1"], "192.0.2.1"),
        # Two proxies of ours: a network and an address.
        ("10.0.0.5", "192.0.2.1, 10.0.0.7", ["10.0.0.0/24"], "192.0.2.1"),
        ("10.0.0.5", "6.6.6.6, 192.0.2.1, 10.0.0.7", ["10.0.0.0/24", "::1"], "192.0.2.1"),
        # A peer we do not trust: its header is ignored.
        ("203.0.113.9", "192.0.2.1", ["127.0.0.1"], "203.0.113.9"),
        # No header, or nothing but our own proxies in it: the leftmost we know.
        (PROXY, None, ["127.0.0.1"], PROXY),
        (PROXY, "127.0.0.1", ["127.0.0.1"], PROXY),
        # Garbage where the proxy should have written an address: the proxy itself.
        (PROXY, "192.0.2.1, not-an-address", ["127.0.0.1"], PROXY),
        # IPv6, with brackets and a port, and IPv4 written as IPv6.
        ("::1", "[2001:db8::5]:4711", ["::1"], "2001:db8::5"),
        ("::ffff:127.0.0.1", "192.0.2.1", ["127.0.0.1"], "192.0.2.1"),
        (PROXY, " 192.0.2.1 , ", ["127.0.0.1"], "192.0.2.1"),
    ],
)
def test_f5_one_function_decides_the_client_address(
    settings: Any, peer: str, forwarded: str | None, trusted: list[str], client: str
) -> None:
    from allauth.account.adapter import get_adapter

    from mutual.accounts import sessions
    from mutual.api import auth as api_auth
    from mutual.web.client import client_address

    settings.MUTUAL_TRUSTED_PROXIES = trusted
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **extra)
    assert client_address(request) == client
    assert get_adapter(request).get_client_ip(request) == client
    assert api_auth._address(request) == client
    assert sessions._address(request) == client


def test_f5_a_proxy_list_that_is_not_addresses_stops_the_start_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mutual.config import settings as mutual_settings

    monkeypatch.setenv("MUTUAL_TRUSTED_PROXIES", "10.0.0.0/8, the proxy")
    with pytest.raises(RuntimeError, match="'the proxy' is not an address or a network"):
        mutual_settings._networks("MUTUAL_TRUSTED_PROXIES", "")
    monkeypatch.setenv("MUTUAL_TRUSTED_PROXIES", "")
    assert mutual_settings._networks("MUTUAL_TRUSTED_PROXIES", "127.0.0.1") == []
