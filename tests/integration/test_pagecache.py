"""Bond pages kept in memory: never stale after a write, never another person's, and
never carrying a CSRF token that is not this response's own."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from test_safety_world import person

from mutual.accounts.models import Person
from mutual.bonds import pagecache, services
from mutual.bonds.models import Bond, Prompt

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 9, 1, 9, tzinfo=UTC)


@pytest.fixture
def pair() -> tuple[Person, Person, Bond]:
    alice, bob = person("Alice"), person("Bob")
    bond = services.bond_create(creator=alice, kind="friends", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    bond = services.invite_accept(code=code, person=bob, at=T0)
    return alice, bob, Bond.objects.get(pk=bond.pk)


def client_for(who: Person, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(who)
    return client


def tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_a_kept_page_carries_each_response_its_own_working_token(
    pair: tuple[Person, Person, Bond],
) -> None:
    alice, _bob, bond = pair
    client = client_for(alice, csrf=True)
    url = reverse("bonds:bond", args=[bond.pk])
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()  # from memory
    assert pagecache.CSRF_PLACEHOLDER not in first
    assert pagecache.CSRF_PLACEHOLDER not in second
    assert tokens(second)
    assert tokens(first) != tokens(second)  # masked afresh for every response
    ready = client.post(
        reverse("bonds:ready", args=[bond.pk]),
        {"ready": "1", "csrfmiddlewaretoken": tokens(second)[0]},
    )
    assert ready.status_code == 302
    assert "I would rather wait" in client.get(url).content.decode()


def test_each_person_gets_their_own_page_of_the_same_bond(
    pair: tuple[Person, Person, Bond],
) -> None:
    alice, bob, bond = pair
    url = reverse("bonds:bond", args=[bond.pk])
    for _ in range(2):
        assert "You and Bob" in client_for(alice).get(url).content.decode()
        assert "You and Alice" in client_for(bob).get(url).content.decode()


def test_a_write_by_the_partner_shows_on_the_next_page(pair: tuple[Person, Person, Bond]) -> None:
    alice, bob, bond = pair
    client = client_for(alice)
    url = reverse("bonds:bond", args=[bond.pk])
    assert "Nothing waits for you right now." in client.get(url).content.decode()
    prompt = Prompt.objects.create(text="A question kept fresh", depth=0, theme="joys", bond=bond)
    services.exchange_open(bond=bond, by=bob, prompt=prompt, at=T0)
    page = client.get(url).content.decode()
    assert "A question kept fresh" in page
    assert "Nothing waits for you right now." not in page


def test_a_new_name_shows_at_once(pair: tuple[Person, Person, Bond]) -> None:
    alice, bob, bond = pair
    client = client_for(alice)
    url = reverse("bonds:bond", args=[bond.pk])
    assert "You and Bob" in client.get(url).content.decode()
    Person.objects.filter(pk=bob.pk).update(display_name="Robin")
    assert "You and Robin" in client.get(url).content.decode()


def test_the_store_is_bounded_and_can_be_turned_off() -> None:
    store = pagecache.PageCache(2)
    for n in range(3):
        store.put(n, f"page {n}")
    assert len(store) == 2
    assert store.get(0) is None
    assert store.get(2) == "page 2"
    off = pagecache.PageCache(0)
    off.put("key", "page")
    assert off.get("key") is None


def _revealed(alice: Person, bob: Person, bond: Bond) -> tuple[object, object]:
    prompt = Prompt.objects.create(text="What steadies you?", depth=0, theme="joys", bond=bond)
    ex = services.exchange_open(bond=bond, by=alice, prompt=prompt, at=T0)
    mine = services.revelation_write(
        exchange=ex, author=alice, body="alice-kept-canary", emotional=False, at=T0
    )
    services.revelation_write(
        exchange=ex, author=bob, body="bob-kept-canary", emotional=False, at=T0
    )
    return ex, mine


def test_a_withdrawn_answer_is_gone_from_the_partners_next_page(
    pair: tuple[Person, Person, Bond],
) -> None:
    from mutual.bonds import safety

    alice, bob, bond = pair
    ex, mine = _revealed(alice, bob, bond)
    url = reverse("bonds:exchange", args=[ex.pk])  # type: ignore[attr-defined]
    api_url = f"/api/v1/exchanges/{ex.pk}"  # type: ignore[attr-defined]
    from mutual.api.tokens import token_issue

    _token, raw = token_issue(person=bob, label="kept", at=T0)
    as_bob, api = client_for(bob), Client()
    for _ in range(2):  # the second read comes from memory
        assert "alice-kept-canary" in as_bob.get(url).content.decode()
        assert (
            "alice-kept-canary"
            in api.get(api_url, headers={"Authorization": f"Bearer {raw}"}).content.decode()
        )
    safety.revelation_withdraw(revelation=mine, person=alice, at=T0)  # type: ignore[arg-type]
    assert "alice-kept-canary" not in as_bob.get(url).content.decode()
    assert (
        "alice-kept-canary"
        not in api.get(api_url, headers={"Authorization": f"Bearer {raw}"}).content.decode()
    )


def test_an_edit_shows_on_the_partners_next_page(pair: tuple[Person, Person, Bond]) -> None:
    alice, bob, bond = pair
    ex, _mine = _revealed(alice, bob, bond)
    url = reverse("bonds:exchange", args=[ex.pk])  # type: ignore[attr-defined]
    as_bob = client_for(bob)
    as_bob.get(url)
    assert "alice-kept-canary" in as_bob.get(url).content.decode()
    services.revelation_write(
        exchange=ex,  # type: ignore[arg-type]
        author=alice,
        body="alice-edited-canary",
        emotional=False,
        at=T0,
    )
    page = as_bob.get(url).content.decode()
    assert "alice-edited-canary" in page
    assert "alice-kept-canary" not in page


def test_a_kept_exchange_page_is_each_persons_own_and_no_strangers(
    pair: tuple[Person, Person, Bond],
) -> None:
    alice, bob, bond = pair
    ex, _mine = _revealed(alice, bob, bond)
    url = reverse("bonds:exchange", args=[ex.pk])  # type: ignore[attr-defined]
    as_alice, as_bob = client_for(alice), client_for(bob)
    for _ in range(2):
        alice_page = as_alice.get(url).content.decode()
        bob_page = as_bob.get(url).content.decode()
        assert "Bob" in alice_page
        assert "Alice" in bob_page
        assert alice_page.count("Edit my answer") == bob_page.count("Edit my answer") == 1
    assert client_for(person("Charlie")).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_editing_and_sending_a_form_are_never_served_from_memory(
    pair: tuple[Person, Person, Bond],
) -> None:
    alice, bob, bond = pair
    ex, _mine = _revealed(alice, bob, bond)
    url = reverse("bonds:exchange", args=[ex.pk])  # type: ignore[attr-defined]
    client = client_for(alice)
    client.get(url)
    assert "Change your answer" not in client.get(url).content.decode()
    assert "Change your answer" in client.get(url, {"edit": "1"}).content.decode()
    refused = client.post(url, {"body": "", "emotional": ""})
    assert refused.status_code == 422
    assert "Write a few words first." in refused.content.decode()


def test_a_kept_page_expires() -> None:
    store = pagecache.PageCache(4, max_age=-1.0)
    store.put("key", "page")
    assert store.get("key") is None
    assert len(store) == 0


def test_a_report_leaves_the_partners_kept_pages_exactly_as_they_were(
    pair: tuple[Person, Person, Bond],
) -> None:
    """A report raises the reporter's version alone: the partner's next pages come from
    memory as before (the same three queries), so not even their cost changes; the
    reporter's own page is rendered afresh."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mutual.bonds import safety

    alice, bob, bond = pair
    ex, _mine = _revealed(alice, bob, bond)
    urls = [reverse("bonds:bond", args=[bond.pk]), reverse("bonds:exchange", args=[ex.pk])]  # type: ignore[attr-defined]
    as_alice, as_bob = client_for(alice), client_for(bob)
    for url in urls:
        for client in (as_alice, as_bob):
            client.get(url)
            client.get(url)
    before = {url: as_bob.get(url).content for url in urls}
    safety.breach_report(
        person=alice, bond=Bond.objects.get(pk=bond.pk), kind="weaponization", at=T0
    )
    for url in urls:
        with CaptureQueriesContext(connection) as bobs:
            page = as_bob.get(url)
        assert len(bobs.captured_queries) == 3
        assert page.content.count(b"csrfmiddlewaretoken") == before[url].count(
            b"csrfmiddlewaretoken"
        )
    with CaptureQueriesContext(connection) as alices:
        as_alice.get(urls[0])
    assert len(alices.captured_queries) > 3
