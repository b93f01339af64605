"""``mutual serve`` as an operator starts it: the number of worker processes and threads
comes from ``MUTUAL_WORKERS`` / ``MUTUAL_THREADS`` (or ``--workers`` / ``--threads``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from loopback import start_app


def dev_env(tmp_path: Path) -> dict[str, str]:
    return {
        "MUTUAL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "mutual.config.settings",
    }


def test_mutual_workers_1_starts_one_worker_of_mutual_threads_threads(tmp_path: Path) -> None:
    env = {**dev_env(tmp_path), "MUTUAL_THREADS": "3"}
    server = start_app(env=env, log=tmp_path / "serve.log", serve=True, workers=1)
    try:
        assert len(server.worker_pids()) == 1
    finally:
        server.stop()
    assert "with 1 worker of 3 threads" in (tmp_path / "serve.log").read_text()


def test_the_command_line_wins_over_the_environment(tmp_path: Path) -> None:
    env = {**dev_env(tmp_path), "MUTUAL_THREADS": "3"}
    server = start_app(
        env=env, log=tmp_path / "serve.log", serve=True, workers=1, serve_args=["--workers", "2"]
    )
    try:
        assert len(server.worker_pids()) == 2
    finally:
        server.stop()
    assert "with 2 workers of 3 threads" in (tmp_path / "serve.log").read_text()


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_count_that_is_not_a_positive_number_stops_the_start(tmp_path: Path, value: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mutual.cli.main", "serve", "--addr", "127.0.0.1:1"],
        env={**os.environ, **dev_env(tmp_path), "MUTUAL_WORKERS": value},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert f"MUTUAL_WORKERS must be a whole number of 1 or more, not {value!r}" in done.stderr


def test_no_access_log_unless_asked(tmp_path: Path) -> None:
    server = start_app(env=dev_env(tmp_path), log=tmp_path / "serve.log", serve=True)
    try:
        assert server.client.get("/healthz").status == 200
    finally:
        server.stop()
    log = (tmp_path / "serve.log").read_text()
    assert "/healthz" not in log
    assert "/static/" not in log


def test_the_access_log_holds_no_address_query_referrer_or_browser(tmp_path: Path) -> None:
    env = {**dev_env(tmp_path), "MUTUAL_ACCESS_LOG": "1"}
    server = start_app(env=env, log=tmp_path / "serve.log", serve=True)
    try:
        answer = server.client.get(
            "/healthz?code=query-canary",
            headers={"User-Agent": "agent-canary", "Referer": "http://referrer-canary/"},
        )
        assert answer.status == 200
    finally:
        server.stop()
    log = (tmp_path / "serve.log").read_text()
    line = next(line for line in log.splitlines() if "/healthz" in line)
    assert '"GET /healthz" 200 3 ' in line
    for secret in ("canary", "127.0.0.1"):
        assert secret not in line


def test_no_control_socket_is_opened(tmp_path: Path) -> None:
    """Two app processes on one machine would share gunicorn's one default socket path."""
    server = start_app(env=dev_env(tmp_path), log=tmp_path / "serve.log", serve=True)
    server.stop()
    assert "Control socket" not in (tmp_path / "serve.log").read_text()
