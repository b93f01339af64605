"""The deck's second edition: friends-only questions, retired questions, and the cards of
``deck.json`` loaded again (new ones added, changed ones updated, removed ones retired)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from mutual.bonds.deck import load_deck


def forwards(apps: Any, schema_editor: Any) -> None:
    load_deck(apps.get_model("bonds", "Prompt"))


class Migration(migrations.Migration):
    dependencies = [("bonds", "0011_first_honored")]

    operations = [
        migrations.AlterField(
            model_name="prompt",
            name="audience",
            field=models.CharField(
                choices=[
                    ("both", "Partners and friends"),
                    ("partners", "Partners who opt in"),
                    ("friends", "Friends only"),
                ],
                default="both",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="prompt",
            name="retired",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
