"""Test-run setup shared by every suite.

* ``MUTUAL_TEST_DB=postgres`` runs the suite against a throw-away PostgreSQL cluster
  (see ``tests/pgcluster.py``); otherwise SQLite is used.
* Under ``CI=true`` nothing may be skipped for a missing browser or database: such a
  skip becomes a failure.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pgcluster import Cluster, start_cluster  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
_cluster: Cluster | None = None

# Keep test runs away from the developer's var/ directory.
os.environ.setdefault("MUTUAL_VAR_DIR", tempfile.mkdtemp(prefix="mutual-test-var-"))


def pytest_configure(config: pytest.Config) -> None:
    global _cluster
    if os.environ.get("MUTUAL_TEST_DB") == "postgres" and "DATABASE_URL" not in os.environ:
        _cluster = start_cluster()
        if _cluster is None:
            message = "PostgreSQL server binaries are not installed"
            if IN_CI:
                raise pytest.UsageError(message + " (CI=true: a missing database is a failure)")
            config.issue_config_time_warning(pytest.PytestWarning(message), stacklevel=2)
        else:
            os.environ["DATABASE_URL"] = _cluster.url


def pytest_unconfigure(config: pytest.Config) -> None:
    if _cluster is not None:
        _cluster.stop()


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
