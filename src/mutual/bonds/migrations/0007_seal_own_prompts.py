"""Seal every question written in a bond with its author's key and empty its plain column.

A question whose author already deleted their account is emptied for good: its author's
words go with them, as everything else they wrote did. The deck is left as it is.
Backwards, sealed questions are opened into the plain column again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from mutual.accounts import crypto

BATCH = 500


def _aad(prompt: Any) -> str:
    return f"prompt:{prompt.id}:text"


def seal(apps: Any, schema_editor: Any) -> None:
    Prompt = apps.get_model("bonds", "Prompt")
    Person = apps.get_model("accounts", "Person")
    own = Prompt.objects.filter(bond__isnull=False).exclude(text="").order_by("pk")
    keys: dict[Any, Any] = {}
    for prompt in own.iterator(chunk_size=BATCH):
        if prompt.author_id not in keys:
            keys[prompt.author_id] = (
                Person.objects.filter(pk=prompt.author_id)
                .values_list("wrapped_key", flat=True)
                .first()
            )
        wrapped = keys[prompt.author_id]
        sealed = crypto.seal_text(wrapped, prompt.text, _aad(prompt)) if wrapped else None
        Prompt.objects.filter(pk=prompt.pk).update(text="", text_enc=sealed)


def unseal(apps: Any, schema_editor: Any) -> None:
    Prompt = apps.get_model("bonds", "Prompt")
    Person = apps.get_model("accounts", "Person")
    sealed = Prompt.objects.filter(bond__isnull=False, text_enc__isnull=False).order_by("pk")
    for prompt in sealed.iterator(chunk_size=BATCH):
        wrapped = (
            Person.objects.filter(pk=prompt.author_id).values_list("wrapped_key", flat=True).first()
        )
        try:
            text = crypto.open_text(wrapped, prompt.text_enc, _aad(prompt))
        except crypto.CryptoError:
            text = ""
        Prompt.objects.filter(pk=prompt.pk).update(text=text, text_enc=None)


class Migration(migrations.Migration):
    dependencies = [
        ("bonds", "0006_prompt_text_enc"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(seal, unseal)]
