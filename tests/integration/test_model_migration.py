"""Bonds of the first model move to the second by the migration: each version-1 snapshot
is rebuilt from the bond's own events, with its readings (SQLite, and PostgreSQL with
``MUTUAL_TEST_DB=postgres``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.db.migrations.executor import MigrationExecutor

from mutual import engine
from mutual.accounts.models import Person
from mutual.bonds import ledger
from mutual.bonds.models import Bond, Reading
from schema_steps import latest, migrate, schema_at

AT = datetime(2026, 3, 2, 19, tzinfo=UTC)
BEFORE = [("bonds", "0012_prompt_friends_and_retired")]


@pytest.fixture
def old_schema() -> Iterator[MigrationExecutor]:
    with schema_at(BEFORE) as executor:
        yield executor


@pytest.mark.django_db(transaction=True)
def test_the_migration_rebuilds_first_model_snapshots_from_the_events(
    old_schema: MigrationExecutor,
) -> None:
    apps = old_schema.loader.project_state(BEFORE).apps
    OldBond = apps.get_model("bonds", "Bond")
    OldEvent = apps.get_model("bonds", "Event")
    OldReading = apps.get_model("bonds", "Reading")
    # The accounts app stays at its newest schema: its own model makes the persons.
    alice, bob = (
        Person.objects.create_user(f"{name}@example.org", "a long and quiet evening",
                                   display_name=name.capitalize())
        for name in ("alice", "bob")
    )  # fmt: skip
    events = [
        engine.Revealed(AT, "a", 0, "joys"),
        engine.Rated(AT, "a", 0, "joys", False, 7, 7, 6),
        engine.Revealed(AT + timedelta(hours=1), "b", 0, "memories"),
        engine.Rated(AT + timedelta(hours=1), "b", 0, "memories", False, 4, 4, 4),
    ]
    first_model = {"version": 1, "a": {}, "b": {}, "open_depth": 0, "evidence_days": []}
    bond = OldBond.objects.create(
        kind="partners",
        status="active",
        person_a_id=alice.pk,
        person_b_id=bob.pk,
        created_at=AT,
        snapshot=first_model,
        snapshot_seq=len(events),
    )
    for seq, event in enumerate(events, start=1):
        payload = engine.event_to_dict(event)
        OldEvent.objects.create(
            bond=bond, seq=seq, kind=payload["kind"], payload=payload, at=event.at
        )
        OldReading.objects.create(
            bond=bond, seq=seq, at=event.at, open_depth=0, mutual_index=100.0, breadth=0,
            trust_a=0.5, trust_b=0.5,
        )  # fmt: skip
    migrate(latest())
    moved = Bond.objects.get(pk=bond.pk)
    assert moved.snapshot["version"] == engine.SCHEMA_VERSION
    assert moved.snapshot == engine.state_to_dict(engine.fold(events))
    assert ledger.replay(moved).matches
    readings = list(Reading.objects.filter(bond=moved).order_by("seq"))
    assert [r.seq for r in readings] == [1, 2, 3, 4]
    # Bob's reply was missed (4, 4, 4): his trust fell a little; no index is 100 any more.
    assert readings[-1].trust_b < readings[-2].trust_b
    assert all(r.mutual_index < 100.0 for r in readings)


SECOND_MODEL = [("bonds", "0013_snapshots_of_the_second_model")]


@pytest.mark.django_db(transaction=True)
def test_second_model_snapshots_are_rebuilt_with_first_impressions() -> None:
    """A version-2 snapshot has no first impression: the next migration replays it."""
    with schema_at(SECOND_MODEL) as executor:
        apps = executor.loader.project_state(SECOND_MODEL).apps
        OldBond = apps.get_model("bonds", "Bond")
        OldEvent = apps.get_model("bonds", "Event")
        alice, bob = (
            Person.objects.create_user(f"{name}@example.org", "a long and quiet evening",
                                       display_name=name.capitalize())
            for name in ("alice", "bob")
        )  # fmt: skip
        events = [
            engine.Revealed(AT, "a", 2, "values"),
            engine.Rated(AT, "a", 2, "values", False, 7, 7, 7),
            engine.BreachReported(AT + timedelta(days=1), "a", 2, False),
        ]
        second = engine.state_to_dict(engine.fold(events))
        for side in ("a", "b"):
            for key in ("rest_alpha", "rest_beta", "seen", "reported_rest"):
                del second[side]["trust"][key]
        second["version"] = 2
        bond = OldBond.objects.create(
            kind="partners", status="active", person_a_id=alice.pk, person_b_id=bob.pk,
            created_at=AT, snapshot=second, snapshot_seq=len(events),
        )  # fmt: skip
        for seq, event in enumerate(events, start=1):
            payload = engine.event_to_dict(event)
            OldEvent.objects.create(
                bond=bond, seq=seq, kind=payload["kind"], payload=payload, at=event.at
            )
    moved = Bond.objects.get(pk=bond.pk)
    assert moved.snapshot["version"] == engine.SCHEMA_VERSION == 3
    assert moved.snapshot == engine.state_to_dict(engine.fold(events))
    assert moved.snapshot["a"]["trust"]["rest_beta"] > 1.0  # the breach is in the impression
    assert ledger.replay(moved).matches
    assert Reading.objects.filter(bond=moved).count() == len(events)
