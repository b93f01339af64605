"""The prompt deck that ships with Mutual (``deck.json``) and how it reaches the database.

Called by data migrations with the historical ``Prompt`` model, so it imports no model.

A card's ``key`` names one question for good: an exchange points at the prompt row, and
its page reads the row's words. So the words of a card may be polished only while the
question still asks the same thing; a question that asks something else gets a new key.
A key that leaves the deck is *retired*: its row stays, with its words, for the exchanges
that asked it, and it is never offered again. A key that comes back is offered again.

After editing ``deck.json``, add a migration that runs :func:`load_deck` (as
``0012_prompt_friends_and_retired`` does): it adds new cards, updates changed ones and
retires the ones gone. Questions people wrote in a bond (no key) are never touched.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DECK_PATH = Path(__file__).resolve().parent / "deck.json"
#: A card's ``kind`` and the audience of its prompt: ``partners`` cards are offered only to
#: partners who both opted in, ``friends`` cards only in a bond between friends.
AUDIENCE = {"both": "both", "partners": "partners", "friends": "friends"}


def read_deck(path: Path = DECK_PATH) -> list[dict[str, Any]]:
    """The cards of ``deck.json``."""
    cards: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return cards


def load_deck(prompt_model: Any, path: Path = DECK_PATH) -> int:
    """Create or update one prompt per card, by ``key``, and retire deck prompts whose
    key is no longer in the deck. Returns the number of cards."""
    cards = read_deck(path)
    for card in cards:
        prompt_model.objects.update_or_create(
            key=card["key"],
            defaults={
                "text": card["text"],
                "depth": int(card["depth"]),
                "theme": card["theme"],
                "emotional": bool(card.get("emotional", False)),
                "audience": AUDIENCE[card.get("kind", "both")],
                "retired": False,
                "bond": None,
                "author": None,
            },
        )
    keys = [card["key"] for card in cards]
    prompt_model.objects.filter(bond__isnull=True, key__isnull=False).exclude(key__in=keys).update(
        retired=True
    )
    return len(cards)
