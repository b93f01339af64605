"""The deck's loading: every card of deck.json becomes a prompt, once; a card that leaves
the deck is retired (kept for the exchanges that asked it, never offered again); friends-only
cards reach friends alone."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.apps import apps as global_apps

from factories import bond_of
from mutual.accounts.models import Person
from mutual.bonds import selectors, services
from mutual.bonds.deck import load_deck
from mutual.bonds.errors import NotFound
from mutual.bonds.models import Exchange, Prompt

pytestmark = pytest.mark.django_db

DECK = Path(__file__).resolve().parents[2] / "src" / "mutual" / "bonds" / "deck.json"
AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def cards() -> list[dict[str, object]]:
    return json.loads(DECK.read_text(encoding="utf-8"))


def load() -> int:
    return load_deck(global_apps.get_model("bonds", "Prompt"))


def test_every_card_of_the_deck_is_a_prompt_after_migrating() -> None:
    deck = cards()
    keys = set(
        Prompt.objects.filter(bond__isnull=True, retired=False).values_list("key", flat=True)
    )
    assert keys == {card["key"] for card in deck}


def test_each_card_reaches_its_audience() -> None:
    for card in cards():
        prompt = Prompt.objects.get(key=card["key"])
        assert prompt.audience == card["kind"], card["key"]
        assert (prompt.depth, prompt.theme, prompt.text) == (
            card["depth"],
            card["theme"],
            card["text"],
        )


def test_loading_the_deck_again_changes_nothing() -> None:
    before = list(Prompt.objects.order_by("key").values_list("id", "key", "text", "retired"))
    load()
    after = list(Prompt.objects.order_by("key").values_list("id", "key", "text", "retired"))
    assert after == before


def test_loading_restores_a_changed_card_and_keeps_own_prompts() -> None:
    card = cards()[0]
    Prompt.objects.filter(key=card["key"]).update(text="changed")
    own = Prompt.objects.create(text="", depth=0, theme="joys")
    load()
    assert Prompt.objects.get(key=card["key"]).text == card["text"]
    own.refresh_from_db()
    assert own.retired is False


def test_a_card_gone_from_the_deck_is_retired_and_its_exchange_still_reads(
    alice: Person, bob: Person
) -> None:
    bond = bond_of(alice, bob)
    gone = Prompt.objects.create(
        key="memories-2-gone-card", text="A question no longer asked?", depth=0, theme="joys"
    )
    exchange = services.exchange_open(bond=bond, by=alice, prompt=gone, at=AT)
    load()
    gone.refresh_from_db()
    assert gone.retired is True
    assert Exchange.objects.get(pk=exchange.pk).prompt.text == "A question no longer asked?"
    assert gone not in selectors.prompts_available(bond=bond, viewer=alice)
    with pytest.raises(NotFound):
        selectors.prompt_get(id=gone.pk, bond=bond, viewer=alice)


def test_friends_only_questions_are_offered_to_friends_alone(
    alice: Person, bob: Person, charlie: Person
) -> None:
    partners = bond_of(alice, bob, kind="partners")
    friends = bond_of(alice, charlie, kind="friends")
    for_friends = {p.key for p in selectors.prompts_available(bond=friends, viewer=alice)}
    for_partners = {p.key for p in selectors.prompts_available(bond=partners, viewer=alice)}
    only = {str(card["key"]) for card in cards() if card["kind"] == "friends"}
    assert only <= for_friends
    assert only.isdisjoint(for_partners)
    prompt = Prompt.objects.get(key=sorted(only)[0])
    with pytest.raises(NotFound):
        selectors.prompt_get(id=prompt.pk, bond=partners, viewer=alice)
