"""A form that succeeds answers with a redirect, and opens no sealed text on the way: each
view reads what it will act on, never the page it came from (one selector per view).

Every text opening goes through ``mutual.accounts.crypto._open_with`` with the text's own
associated data; opening a person's data key (to seal what they write) uses the key's.
The recorder below calls the real function and notes which kind of opening it was, so
the views run exactly as they do for people.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from factories import T0, answered_pair, client_for, person
from mutual.accounts import crypto
from mutual.bonds import services
from mutual.bonds.models import Bond, Exchange, Prompt, Revelation

pytestmark = pytest.mark.django_db


@pytest.fixture
def openings(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The associated data of every sealed text opened (data keys left out)."""
    opened: list[bytes] = []
    real = crypto._open_with

    def recording(aead: Any, blob: bytes | memoryview, aad: bytes) -> bytes:
        if aad != crypto._WRAP_AAD:
            opened.append(aad)
        return real(aead, blob, aad)

    monkeypatch.setattr(crypto, "_open_with", recording)
    return opened


def a_bond() -> tuple[Client, Client, Bond]:
    alice, bob = person("Alice"), person("Bob")
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    bond = services.invite_accept(code=code, person=bob, at=T0)
    return client_for(alice), client_for(bob), bond


def deck_question(depth: int = 0) -> Prompt:
    found = Prompt.objects.filter(bond__isnull=True, depth=depth, audience="both").first()
    assert found is not None
    return found


def posted(client: Client, url: str, data: dict[str, str], opened: list[bytes]) -> None:
    opened.clear()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:800]
    assert opened == [], f"{url} opened {len(opened)} sealed text(s) before redirecting"


def test_the_core_loop_redirects_without_opening_a_text(openings: list[bytes]) -> None:
    a, b, bond = a_bond()
    posted(
        a,
        reverse("bonds:exchange_open", args=[bond.pk]),
        {"prompt": str(deck_question().pk)},
        openings,
    )
    exchange = Exchange.objects.get(bond=bond)
    url = reverse("bonds:exchange", args=[exchange.pk])
    posted(a, url, {"body": "Alice's first words"}, openings)
    # An edit of a sealed answer, then the answer that reveals both.
    posted(a, url, {"body": "Alice's words, said better"}, openings)
    posted(b, url, {"body": "Bob's words", "emotional": "on"}, openings)
    alice_rev = Revelation.objects.get(exchange=exchange, side="a")
    posted(
        b,
        reverse("bonds:reply", args=[alice_rev.pk]),
        {"heard": "You said it twice.", "makes_sense": "It mattered.", "care": "I am here."},
        openings,
    )
    posted(
        a,
        reverse("bonds:rate", args=[alice_rev.pk]),
        {"understood": "7", "validated": "6", "cared": "7"},
        openings,
    )
    # The texts are all there, and the page opens them when it is asked for.
    openings.clear()
    page = a.get(url).content.decode()
    assert "Alice&#x27;s words, said better" in page or "Alice's words, said better" in page
    assert len(openings) >= 3


@pytest.mark.parametrize(
    "action",
    ["take_back", "ready", "step_back", "desire", "prompt_new"],
)
def test_the_other_forms_redirect_without_opening_a_text(
    openings: list[bytes], action: str
) -> None:
    a, _b, bond = a_bond()
    alice, bob = bond.person_a, bond.person_b
    assert alice is not None
    assert bob is not None
    _exchange, alice_rev, _bob_rev = answered_pair(
        bond, alice, bob, alice_text="Alice's answer", bob_text="Bob's answer", at=T0
    )
    forms: dict[str, Callable[[], tuple[str, dict[str, Any]]]] = {
        "take_back": lambda: (reverse("bonds:take_back", args=[alice_rev.pk]), {}),
        "ready": lambda: (reverse("bonds:ready", args=[bond.pk]), {"ready": "1"}),
        "step_back": lambda: (reverse("bonds:step_back", args=[bond.pk]), {}),
        "desire": lambda: (reverse("bonds:desire", args=[bond.pk]), {"opt_in": "1"}),
        "prompt_new": lambda: (
            reverse("bonds:prompt_new", args=[bond.pk]),
            {"text": "What would make Sunday feel like rest?", "depth": "0", "theme": "joys"},
        ),
    }
    url, data = forms[action]()
    posted(a, url, data, openings)
