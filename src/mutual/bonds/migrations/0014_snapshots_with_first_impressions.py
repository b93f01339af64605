"""Bonds move to the model with first impressions (snapshot version 3): every snapshot
of an earlier version is rebuilt from the bond's own events, with its readings.

Forgetting now returns trust to a first impression formed in the bond's first exchanges
(docs/engine.md §9), so stored trust and the index change a little. The events are never
touched; the snapshot and the readings are a cache of their fold (docs/engine.md §16).
"""

from __future__ import annotations

import importlib
from typing import Any

from django.db import migrations

_second_model = importlib.import_module(
    "mutual.bonds.migrations.0013_snapshots_of_the_second_model"
)


def rebuild_earlier_models(apps: Any, schema_editor: Any) -> None:
    # The same replay as the move to the second model: it rebuilds every snapshot whose
    # version is not the engine's current one.
    _second_model.rebuild_first_model(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("bonds", "0013_snapshots_of_the_second_model")]

    operations = [migrations.RunPython(rebuild_earlier_models, migrations.RunPython.noop)]
