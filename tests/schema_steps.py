"""Moving the test database's schema to a past migration and back, for the tests of data
migrations (they run on SQLite, and on PostgreSQL with ``MUTUAL_TEST_DB=postgres``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Targets = list[tuple[str, str | None]]


def migrate(targets: Targets) -> MigrationExecutor:
    """Migrate to ``targets`` (``(app, None)`` unapplies an app); a fresh executor after."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def latest() -> Targets:
    """The newest migration of every app: the schema the rest of the suite expects."""
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


@contextmanager
def schema_at(targets: Targets) -> Iterator[MigrationExecutor]:
    """The schema as it stood at ``targets`` for the block, and the newest one after."""
    newest = latest()
    try:
        yield migrate(targets)
    finally:
        migrate(newest)
