"""The deck's data migration: every card of deck.json becomes a prompt, once."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps as global_apps

from mutual.bonds.models import Prompt

pytestmark = pytest.mark.django_db

DECK = Path(__file__).resolve().parents[2] / "src" / "mutual" / "bonds" / "deck.json"
migration = importlib.import_module("mutual.bonds.migrations.0002_load_deck")


def cards() -> list[dict[str, object]]:
    return json.loads(DECK.read_text(encoding="utf-8"))


def test_every_card_of_the_deck_is_a_prompt_after_migrating() -> None:
    deck = cards()
    keys = set(Prompt.objects.filter(bond__isnull=True).values_list("key", flat=True))
    assert keys == {card["key"] for card in deck}


def test_partners_cards_are_for_partners_who_opt_in() -> None:
    for card in cards():
        prompt = Prompt.objects.get(key=card["key"])
        expected = "partners" if card["kind"] == "partners" else "both"
        assert prompt.audience == expected, card["key"]
        assert (prompt.depth, prompt.theme, prompt.text) == (
            card["depth"],
            card["theme"],
            card["text"],
        )


def test_loading_the_deck_again_changes_nothing() -> None:
    before = list(Prompt.objects.order_by("key").values_list("id", "key", "text"))
    migration.load_deck(global_apps, None)
    after = list(Prompt.objects.order_by("key").values_list("id", "key", "text"))
    assert after == before


def test_loading_restores_a_changed_card_and_keeps_own_prompts() -> None:
    card = cards()[0]
    Prompt.objects.filter(key=card["key"]).update(text="changed")
    own = Prompt.objects.create(text="Our own question", depth=0, theme="joys")
    migration.load_deck(global_apps, None)
    assert Prompt.objects.get(key=card["key"]).text == card["text"]
    assert Prompt.objects.filter(pk=own.pk).exists()
