"""Test-run setup shared by every suite.

* ``MUTUAL_TEST_DB=postgres`` runs the suite against a throw-away PostgreSQL cluster
  (started by the ``pgcluster`` plugin, see ``tests/pgcluster.py``); otherwise SQLite.
* Tests marked ``postgres`` need PostgreSQL itself (several processes on one database,
  ``pg_dump``…): the SQLite run leaves them out at collection, the PostgreSQL run
  (``MUTUAL_TEST_DB=postgres``) runs them.
* Under ``CI=true`` nothing may be skipped for a missing browser or database: such a
  skip becomes a failure.
"""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))


def pytest_report_header(config: pytest.Config) -> str:
    return f"mutual database: {'postgresql' if on_postgres() else 'sqlite'}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if on_postgres():
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    left_out = [item for item in items if item.get_closest_marker("postgres") is not None]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    expected_failure = hasattr(report, "wasxfail")
    if IN_CI and report.skipped and not expected_failure and call.when in {"setup", "call"}:
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which counts as a failure: {report.longrepr}"
