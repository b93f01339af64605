"""Bond pages are rendered afresh for every request: never stale after a write, never
another person's, each with its own CSRF token — and no cache holds what people wrote."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from factories import person
from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Bond
from mutual.differences import services as difference_services
from mutual.differences.models import Difference
from mutual.safety import services as safety_services

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


def test_each_response_carries_its_own_working_token(
    pair: tuple[Person, Person, Bond],
) -> None:
    alice, _bob, bond = pair
    client = client_for(alice, csrf=True)
    url = reverse("bonds:bond", args=[bond.pk])
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    assert tokens(second)
    assert tokens(first) != tokens(second)  # masked afresh for every response
    ready = client.post(
        reverse("bonds:ready", args=[bond.pk]),
        {"ready": "0", "csrfmiddlewaretoken": tokens(second)[0]},
    )
    assert ready.status_code == 302
    assert "you would rather stay at this depth" in client.get(url).content.decode()


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
    assert "Welcome, you and Bob" in client.get(url).content.decode()
    prompt = services.prompt_write(
        bond=bond, by=bob, text="A question kept fresh", depth=0, theme="joys",
        emotional=False, at=T0,
    )  # fmt: skip
    services.exchange_open(bond=bond, by=bob, prompt=prompt, at=T0)
    page = client.get(url).content.decode()
    assert "A question kept fresh" in page
    assert "Welcome, you and Bob" not in page


def test_a_new_name_shows_at_once(pair: tuple[Person, Person, Bond]) -> None:
    alice, bob, bond = pair
    client = client_for(alice)
    url = reverse("bonds:bond", args=[bond.pk])
    assert "You and Bob" in client.get(url).content.decode()
    Person.objects.filter(pk=bob.pk).update(display_name="Robin")
    assert "You and Robin" in client.get(url).content.decode()


def _revealed(alice: Person, bob: Person, bond: Bond) -> tuple[object, object]:
    prompt = services.prompt_write(
        bond=bond, by=alice, text="What steadies you?", depth=0, theme="joys",
        emotional=False, at=T0,
    )  # fmt: skip
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

    alice, bob, bond = pair
    ex, mine = _revealed(alice, bob, bond)
    url = reverse("bonds:exchange", args=[ex.pk])  # type: ignore[attr-defined]
    api_url = f"/api/v1/exchanges/{ex.pk}"  # type: ignore[attr-defined]
    from mutual.api.tokens import token_issue

    _token, raw = token_issue(person=bob, label="kept", at=T0)
    as_bob, api = client_for(bob), Client()
    for _ in range(2):
        assert "alice-kept-canary" in as_bob.get(url).content.decode()
        assert (
            "alice-kept-canary"
            in api.get(api_url, headers={"Authorization": f"Bearer {raw}"}).content.decode()
        )
    safety_services.revelation_withdraw(revelation=mine, person=alice, at=T0)  # type: ignore[arg-type]
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


def test_an_exchange_page_is_each_persons_own_and_no_strangers(
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


def test_editing_and_sending_a_form_show_the_form(
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


def test_a_report_changes_nothing_the_partner_can_observe(
    pair: tuple[Person, Person, Bond],
) -> None:
    """A report stays private to the reporter: the partner's next pages are the same
    bytes (but for the per-response token and nonce), read with the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def seen(client: Client, url: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        body = re.sub(
            r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', "", page.content.decode()
        )
        return len(queries.captured_queries), body

    alice, bob, bond = pair
    ex, _mine = _revealed(alice, bob, bond)
    urls = [reverse("bonds:bond", args=[bond.pk]), reverse("bonds:exchange", args=[ex.pk])]  # type: ignore[attr-defined]
    as_alice, as_bob = client_for(alice), client_for(bob)
    for url in urls:
        for client in (as_alice, as_bob):
            client.get(url)
    before = {url: seen(as_bob, url) for url in urls}
    safety_services.breach_report(
        person=alice, bond=Bond.objects.get(pk=bond.pk), kind="weaponization", at=T0
    )
    for url in urls:
        assert seen(as_bob, url) == before[url]


# ---------------------------------------------------------------------------------------
# No cache holds what people wrote (SECURITY.md 31)

#: Every kind of text people write that a page or API read shows, each a canary.
WORDS = {
    "question": "question-canary-41d2 what do you keep <to> yourself?",
    "alice": "alice-answer-canary-9e1f\n\nA second paragraph & <b>more</b>\nand a line",
    "bob": "bob-answer-canary-77c0",
    "heard": "heard-canary-1a0b\nover two lines",
    "sense": "sense-canary-2b3c",
    "care": "care-canary-3c4d",
    "topic": "topic-canary-5d6e money",
    "sealed question": "question-canary-8f90 still sealed",
    "sealed": "sealed-canary-6a7b\nonly Alice may read it",
}


def _everything_kept() -> str:
    """The contents of every Django cache of the process."""
    import pickle

    from django.core.cache import caches

    parts: list[str] = []
    for cache in caches.all():
        store = getattr(cache, "_cache", None)
        if store is not None:  # process memory: pickled values
            parts += [repr(pickle.loads(value)) for value in store.values()]  # noqa: S301
            parts += [repr(key) for key in store]
    return "\n".join(parts)


@pytest.fixture
def written(pair: tuple[Person, Person, Bond]) -> dict[str, object]:
    """A bond holding every kind of text: a question of its own with both answers and a
    reply, a topic due to be talked through again, and a second question with Alice's
    answer still sealed."""
    from datetime import timedelta

    from django.utils import timezone

    alice, bob, bond = pair
    question = services.prompt_write(
        bond=bond, by=alice, text=WORDS["question"], depth=0, theme="joys", emotional=False, at=T0
    )
    ex = services.exchange_open(bond=bond, by=alice, prompt=question, at=T0)
    hers = services.revelation_write(
        exchange=ex, author=alice, body=WORDS["alice"], emotional=False, at=T0
    )
    services.revelation_write(exchange=ex, author=bob, body=WORDS["bob"], emotional=False, at=T0)
    services.reply_write(
        revelation=hers,
        author=bob,
        heard=WORDS["heard"],
        makes_sense=WORDS["sense"],
        care=WORDS["care"],
        costly=False,
        at=T0,
    )
    topic = difference_services.difference_raise(bond=bond, person=bob, topic=WORDS["topic"], at=T0)
    Difference.objects.filter(pk=topic.pk).update(
        outcome=Difference.Outcome.REVISIT, revisit_on=timezone.now().date() - timedelta(days=1)
    )
    second = services.prompt_write(
        bond=bond,
        by=bob,
        text=WORDS["sealed question"],
        depth=0,
        theme="values",
        emotional=False,
        at=T0,
    )
    sealed = services.exchange_open(bond=bond, by=bob, prompt=second, at=T0)
    services.revelation_write(
        exchange=sealed, author=alice, body=WORDS["sealed"], emotional=False, at=T0
    )
    return {"alice": alice, "bob": bob, "bond": bond, "exchange": ex, "sealed": sealed}


def _reads(written: dict[str, object]) -> dict[str, str]:
    bond, ex, sealed = written["bond"], written["exchange"], written["sealed"]
    return {
        "home": reverse("bonds:bond", args=[bond.pk]),  # type: ignore[attr-defined]
        "exchange": reverse("bonds:exchange", args=[ex.pk]),  # type: ignore[attr-defined]
        "sealed exchange": reverse("bonds:exchange", args=[sealed.pk]),  # type: ignore[attr-defined]
        "history": reverse("bonds:history", args=[bond.pk]),  # type: ignore[attr-defined]
        "API bond": f"/api/v1/bonds/{bond.pk}",  # type: ignore[attr-defined]
        "API exchange": f"/api/v1/exchanges/{ex.pk}",  # type: ignore[attr-defined]
        "API sealed exchange": f"/api/v1/exchanges/{sealed.pk}",  # type: ignore[attr-defined]
        "API exchanges": f"/api/v1/bonds/{bond.pk}/exchanges",  # type: ignore[attr-defined]
    }


def _read_all(written: dict[str, object]) -> dict[tuple[str, str], list[str]]:
    """Every page and API read, by each person, three times: what each answered, without
    the CSRF tokens that differ per response."""
    from mutual.api.tokens import token_issue

    seen: dict[tuple[str, str], list[str]] = {}
    for who in ("alice", "bob"):
        person_ = written[who]
        _token, raw = token_issue(person=person_, label="kept", at=T0)  # type: ignore[arg-type]
        web, api = client_for(person_), Client()  # type: ignore[arg-type]
        for read, url in _reads(written).items():
            for _ in range(3):
                if read.startswith("API"):
                    answer = api.get(url, headers={"Authorization": f"Bearer {raw}"})
                else:
                    answer = web.get(url)
                assert answer.status_code == 200, (who, read)
                # What differs per response by design: the CSRF token and the CSP nonce.
                page = re.sub(
                    r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"',
                    "",
                    answer.content.decode(),
                )
                # And one's own trust, which fades with the clock between two reads.
                page = re.sub(r"(\d+\.\d{4})\d+", r"\1", page)
                seen.setdefault((who, read), []).append(page)
    return seen


def test_f14_no_cache_holds_what_people_wrote_after_every_read(
    written: dict[str, object],
) -> None:
    seen = _read_all(written)
    kept = _everything_kept()
    for name, text in WORDS.items():
        token = text.split()[0]
        assert token not in kept, f"the {name} is held in a cache"
    # The pages still show every text to whom may read it, read after read.
    for (who, read), pages in seen.items():
        assert pages[0] == pages[1] == pages[2], (who, read)
    alice_sees = seen[("alice", "exchange")][1]
    bob_sees = seen[("bob", "exchange")][1]
    for page in (alice_sees, bob_sees):
        assert "question-canary-41d2 what do you keep &lt;to&gt; yourself?" in page
        assert "<p>alice-answer-canary-9e1f</p>" in page
        assert "A second paragraph &amp; &lt;b&gt;more&lt;/b&gt;<br>and a line" in page
        assert "bob-answer-canary-77c0" in page
        assert "heard-canary-1a0b<br>over two lines" in page
    assert "sealed-canary-6a7b\nonly Alice may read it" in seen[("alice", "sealed exchange")][2]
    assert "sealed-canary" not in "".join(seen[("bob", "sealed exchange")])
    for who in ("alice", "bob"):
        home = seen[(who, "home")][2]
        assert "question-canary-41d2" in home
        assert "topic-canary-5d6e money" in home
        assert "question-canary-41d2" in seen[(who, "API exchange")][2]
    assert "question-canary-8f90 still sealed" in seen[("bob", "API bond")][2]
