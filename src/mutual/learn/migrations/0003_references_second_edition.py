"""The library's second edition: DOIs added, notes corrected, and the works behind
responsiveness, good news, the weight of losses, empathic accuracy between friends and the
speaker–listener technique; loaded again from references.json by key."""

from typing import Any

from django.db import migrations

from mutual.learn.loading import load_references


def forwards(apps: Any, schema_editor: Any) -> None:
    load_references(apps.get_model("learn", "Reference"))


class Migration(migrations.Migration):
    dependencies = [("learn", "0002_load_references")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
