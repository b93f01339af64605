"""Test-run setup shared by every suite.

* ``MUTUAL_TEST_DB=postgres`` runs the suite against a throw-away PostgreSQL cluster
  (started by the ``pgcluster`` plugin, see ``tests/pgcluster.py``); otherwise SQLite.
* Under ``CI=true`` nothing may be skipped for a missing browser or database: such a
  skip becomes a failure.
"""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_report_header(config: pytest.Config) -> str:
    url = os.environ.get("DATABASE_URL", "sqlite")
    return f"mutual database: {'postgresql' if url.startswith('postgres') else 'sqlite'}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and call.when in {"setup", "call"}:
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which counts as a failure: {report.longrepr}"
