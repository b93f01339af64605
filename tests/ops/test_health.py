"""``/healthz`` and ``/readyz``: cheap, unauthenticated, and saying nothing else."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from loopback import start_app
from mutual.cli.main import main
from mutual.config import health

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worked() -> None:
    """The worker has done one round."""
    assert main(["worker", "--once"]) == 0


def test_healthz_answers_without_reading_the_database(
    client: Client, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.content == b"ok\n"
    assert answer["Content-Type"] == "text/plain; charset=utf-8"
    assert answer["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in answer
    assert not answer.cookies


def test_readyz_is_ready_once_the_worker_has_run(client: Client, worked: None) -> None:
    answer = client.get("/readyz")
    assert (answer.status_code, answer.content) == (200, b"ready\n")
    assert not answer.cookies


def test_readyz_reads_three_small_things(
    client: Client, worked: None, django_assert_max_num_queries: object
) -> None:
    client.get("/readyz")  # the release's migrations are read from disk once a process
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        assert client.get("/readyz").status_code == 200


def test_readyz_says_worker_when_the_worker_never_ran(client: Client) -> None:
    answer = client.get("/readyz")
    assert (answer.status_code, answer.content) == (503, b"not ready: worker\n")
    assert answer["Retry-After"] == "5"


def test_readyz_says_worker_when_its_last_job_is_old(client: Client, worked: None) -> None:
    old = timezone.now() - health.WORKER_STALE - timedelta(minutes=1)
    DBTaskResult.objects.update(finished_at=old)
    assert client.get("/readyz").content == b"not ready: worker\n"


def test_readyz_says_migrations_when_one_is_missing(client: Client, worked: None) -> None:
    app, name = health._release_leaves()[0]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", [app, name])
    try:
        answer = client.get("/readyz")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
                [app, name, timezone.now()],
            )
    assert (answer.status_code, answer.content) == (503, b"not ready: migrations\n")


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_only_get_and_head(client: Client, worked: None, path: str) -> None:
    assert client.post(path).status_code == 405
    head = client.head(path)
    assert head.status_code == 200
    assert head.content == b""


def test_a_signed_in_person_sees_the_same(client: Client, worked: None, alice: object) -> None:
    client.force_login(alice)  # type: ignore[arg-type]
    assert client.get("/readyz").content == b"ready\n"


def test_a_process_behind_the_proxy_answers_a_check_from_the_machine_itself(
    tmp_path: Path,
) -> None:
    """Production settings: the host name is the public one and HTTPS is enforced, yet a
    check on the loopback port is answered; with no database, /readyz says so."""
    (tmp_path / "secret_key").write_text("a secret key for the health test only " * 2)
    (tmp_path / "master_key").write_text("A" * 43)
    env = {
        "MUTUAL_PRODUCTION": "1",
        "MUTUAL_ALLOWED_HOSTS": "mutual.example.org",
        "MUTUAL_VAR_DIR": str(tmp_path),
        "MUTUAL_SECRET_KEY_FILE": str(tmp_path / "secret_key"),
        "MUTUAL_MASTER_KEY_FILE": str(tmp_path / "master_key"),
        # Nothing listens on port 1: the database is unreachable.
        "DATABASE_URL": "postgres://mutual@127.0.0.1:1/mutual?connect_timeout=2",
        "DJANGO_SETTINGS_MODULE": "mutual.config.settings",
    }
    subprocess.run(
        [sys.executable, "-m", "mutual.cli.main", "manage", "collectstatic", "--no-input", "-v0"],
        env={**os.environ, **env},
        check=True,
    )
    server = start_app(env=env, log=tmp_path / "app.log", serve=True)
    try:
        healthz = server.client.get("/healthz")
        readyz = server.client.get("/readyz")
        page = server.client.get("/")
    finally:
        server.stop()
    assert (healthz.status, healthz.body) == (200, b"ok\n")
    assert (readyz.status, readyz.body) == (503, b"not ready: database\n")
    assert page.status in {400, 301}  # everything else keeps the host check and HTTPS
