"""Load the reference library from references.json.

After editing references.json, add a new migration that runs the same loader: it
updates rows by their ``key`` and adds new ones.
"""

from typing import Any

from django.db import migrations

from mutual.learn.loading import load_references, unload_references


def forwards(apps: Any, schema_editor: Any) -> None:
    load_references(apps.get_model("learn", "Reference"))


def backwards(apps: Any, schema_editor: Any) -> None:
    unload_references(apps.get_model("learn", "Reference"))


class Migration(migrations.Migration):
    dependencies = [("learn", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
