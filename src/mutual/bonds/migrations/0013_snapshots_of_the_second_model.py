"""Bonds move to the second model of the engine: every snapshot of the first (version 1)
is rebuilt from the bond's own events, with its readings.

The events are never touched; the snapshot and the readings are a cache of their fold
(docs/engine.md §16). ``mutual rebuild`` does the same at any later time.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def rebuild_first_model(apps: Any, schema_editor: Any) -> None:
    from mutual import engine

    Bond = apps.get_model("bonds", "Bond")
    Event = apps.get_model("bonds", "Event")
    Reading = apps.get_model("bonds", "Reading")
    params = engine.DEFAULT_PARAMS
    for bond in Bond.objects.exclude(snapshot=None).iterator(chunk_size=200):
        if bond.snapshot.get("version") == engine.SCHEMA_VERSION:
            continue
        state = engine.new_bond(params)
        readings = []
        seq = 0
        payloads = Event.objects.filter(bond=bond).order_by("seq").values_list("payload", flat=True)
        for seq, payload in enumerate(payloads.iterator(), start=1):
            event = engine.event_from_dict(payload)
            state = engine.apply(state, event, params)
            readings.append(
                Reading(
                    bond=bond,
                    seq=seq,
                    at=event.at,
                    open_depth=state.open_depth,
                    mutual_index=engine.mutual_index(state, event.at, params),
                    breadth=engine.breadth(state, params),
                    trust_a=engine.trust(state, "a", event.at, params).effective,
                    trust_b=engine.trust(state, "b", event.at, params).effective,
                )
            )
        Reading.objects.filter(bond=bond).delete()
        Reading.objects.bulk_create(readings, batch_size=500)
        Bond.objects.filter(pk=bond.pk).update(
            snapshot=engine.state_to_dict(state), snapshot_seq=seq
        )


class Migration(migrations.Migration):
    dependencies = [("bonds", "0012_prompt_friends_and_retired")]

    operations = [migrations.RunPython(rebuild_first_model, migrations.RunPython.noop)]
