"""Load the prompt deck (``mutual/bonds/deck.json``) into ``Prompt``, idempotently by key.

Running it again (or after the deck grew) adds new prompts and updates changed ones;
prompts people wrote themselves (no key) are never touched.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import migrations

DECK = Path(__file__).resolve().parent.parent / "deck.json"


def load_deck(apps: Any, schema_editor: Any) -> None:
    Prompt = apps.get_model("bonds", "Prompt")
    if not DECK.exists():
        return
    for card in json.loads(DECK.read_text(encoding="utf-8")):
        Prompt.objects.update_or_create(
            key=card["key"],
            defaults={
                "text": card["text"],
                "depth": int(card["depth"]),
                "theme": card["theme"],
                "emotional": bool(card.get("emotional", False)),
                "audience": "partners" if card.get("kind") == "partners" else "both",
                "bond": None,
                "author": None,
            },
        )


def unload_deck(apps: Any, schema_editor: Any) -> None:
    Prompt = apps.get_model("bonds", "Prompt")
    if not DECK.exists():
        return
    Exchange = apps.get_model("bonds", "Exchange")
    keys = [card["key"] for card in json.loads(DECK.read_text(encoding="utf-8"))]
    used = Exchange.objects.values_list("prompt_id", flat=True)
    Prompt.objects.filter(key__in=keys, bond__isnull=True).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("bonds", "0001_initial")]

    operations = [migrations.RunPython(load_deck, unload_deck)]
