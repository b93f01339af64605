"""Two app processes on one PostgreSQL: they are stateless and interchangeable.

Two ``mutual serve`` processes (gunicorn) run in production mode (secrets from files,
collected static files with a manifest served by WhiteNoise) on two loopback ports, on the
test database. A person signs in through one and is signed in on the other; a write
through one is read through the other; signing out on one signs out everywhere.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from pytest_django import DjangoDbBlocker

from factories import PASSWORD, person
from loopback import AppServer, Client, start_app
from mutual.accounts.models import Person

# PostgreSQL only (the `postgres` mark): the PostgreSQL run of the suite
# (MUTUAL_TEST_DB=postgres) executes this module; the SQLite run leaves it out at collection.
# The app processes run the production settings: passwords are hashed as there.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_hashers"),
]


def database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"] or db["OPTIONS"].get("host", "")
    return f"postgres://{db['USER']}@/{db['NAME']}?host={host}"


@pytest.fixture(scope="module")
def production_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from mutual.accounts import crypto

    var = tmp_path_factory.mktemp("prod-var")
    (var / "secret_key").write_text("a production secret key only for this test run " * 2)
    # The same master key as this test process, so both sides read what the other sealed.
    master = crypto.master_key()
    (var / "master_key").write_text(base64.urlsafe_b64encode(master).decode().rstrip("="))
    env = {
        "MUTUAL_PRODUCTION": "1",
        "MUTUAL_SSL_REDIRECT": "0",
        "MUTUAL_VAR_DIR": str(var),
        "MUTUAL_SECRET_KEY_FILE": str(var / "secret_key"),
        "MUTUAL_MASTER_KEY_FILE": str(var / "master_key"),
        "DJANGO_SETTINGS_MODULE": "mutual.config.settings",
    }
    subprocess.run(
        [sys.executable, "-m", "mutual.cli.main", "manage", "collectstatic", "--no-input", "-v0"],
        env={**os.environ, **env},
        check=True,
    )
    return env


@pytest.fixture(scope="module")
def servers(
    production_env: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
) -> Iterator[list[AppServer]]:
    tmp_path = tmp_path_factory.mktemp("logs")
    with django_db_blocker.unblock():
        env = {**production_env, "DATABASE_URL": database_url()}
    subprocess.run(
        [sys.executable, "-m", "mutual.cli.main", "manage", "createcachetable", "-v0"],
        env={**os.environ, **env},
        check=True,
    )
    started: list[AppServer] = []
    try:
        for n in (1, 2):
            started.append(start_app(env=env, log=tmp_path / f"app{n}.log", serve=True))
        yield started
    finally:
        for server in started:
            server.stop()


def sign_in(server: AppServer) -> dict[str, str]:
    client = server.client
    answer = client.post_form(
        "/accounts/login/", {"login": "alice@example.org", "password": PASSWORD}
    )
    assert answer.status == 302, answer.text[:500]
    return client.cookies


def test_a_session_made_on_one_process_is_valid_on_the_other(
    servers: list[AppServer], alice: Person
) -> None:
    one, two = servers
    cookies = sign_in(one)
    assert any("session" in name for name in cookies)
    on_two = two.client
    on_two.cookies = dict(cookies)
    assert on_two.get("/bonds/").status == 200
    anonymous = two.client.get("/bonds/")
    assert anonymous.status == 302
    assert anonymous.header("Location").startswith("/accounts/login/")


def test_signing_out_on_one_process_signs_out_on_the_other(
    servers: list[AppServer], alice: Person
) -> None:
    one, two = servers
    cookies = sign_in(one)
    on_two = two.client
    on_two.cookies = dict(cookies)
    assert on_two.post_form("/accounts/logout/", {}).status == 302
    on_one = one.client
    on_one.cookies = dict(cookies)
    assert on_one.get("/bonds/").status == 302


def test_a_write_through_one_process_is_read_through_the_other(
    servers: list[AppServer], alice: Person
) -> None:
    one, two = servers
    made = one.client.json(
        "POST", "/api/v1/auth/tokens", {"email": "alice@example.org", "password": PASSWORD}
    )
    assert made.status == 201, made.text
    token = json.loads(made.body)["token"]
    created = two.client.json("POST", "/api/v1/bonds", {"kind": "friends"}, token=token)
    assert created.status == 201, created.text
    bond_id = json.loads(created.body)["id"]
    read = one.client.json("GET", f"/api/v1/bonds/{bond_id}", token=token)
    assert read.status == 200
    assert json.loads(read.body)["id"] == bond_id
    assert json.loads(read.body)["kind"] == "friends"
    page = one.client
    page.cookies = sign_in(two)
    assert bond_id in page.get("/bonds/").text


def test_static_files_come_from_the_manifest_with_long_caching(
    servers: list[AppServer],
) -> None:
    one, _two = servers
    manifest = json.loads(
        (Path(one.env["MUTUAL_VAR_DIR"]) / "static" / "staticfiles.json").read_text()
    )
    hashed = manifest["paths"]["mutual/mutual.css"]
    assert hashed != "mutual/mutual.css"
    answer = one.client.get(f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.header("Content-Encoding") == "gzip"
    assert "immutable" in answer.header("Cache-Control")


def test_failed_sign_ins_are_counted_across_processes(servers: list[AppServer]) -> None:
    """The throttle of failed sign-ins lives in the shared cache, not in one process."""
    person("Bob")
    # Behind the proxy both processes see the same Host (the throttle's key includes it).
    one, two = (Client(server.port, host="127.0.0.1") for server in servers)
    for _attempt in range(5):
        wrong = one.post_form(
            "/accounts/login/", {"login": "bob@example.org", "password": "not his password"}
        )
        assert wrong.status == 200
    right = two.post_form("/accounts/login/", {"login": "bob@example.org", "password": PASSWORD})
    assert right.status != 302
    assert "Too many failed login attempts" in right.text


def test_a_home_page_shows_a_write_through_the_other_process_at_once(
    servers: list[AppServer], alice: Person
) -> None:
    """Nothing of a bond page is kept in a process: a write through the other process is
    on the next page at once."""
    person("Bob")
    one, two = servers

    def token_of(email: str) -> str:
        made = two.client.json(
            "POST", "/api/v1/auth/tokens", {"email": email, "password": PASSWORD}
        )
        assert made.status == 201, made.text
        return str(json.loads(made.body)["token"])

    alice_token, bob_token = token_of("alice@example.org"), token_of("bob@example.org")
    bond_id = json.loads(
        two.client.json("POST", "/api/v1/bonds", {"kind": "friends"}, token=alice_token).body
    )["id"]
    code = json.loads(
        two.client.json("POST", f"/api/v1/bonds/{bond_id}/invites", {}, token=alice_token).body
    )["code"]
    accepted = two.client.json("POST", f"/api/v1/invites/{code}/accept", {}, token=bob_token)
    assert accepted.status == 200, accepted.text

    page = one.client
    page.cookies = sign_in(one)
    first = page.get(f"/bonds/{bond_id}/")
    assert first.status == 200
    # A bond with no exchange yet says welcome and what to do first.
    assert "Welcome, you and Bob" in first.text
    assert page.get(f"/bonds/{bond_id}/").text.count("Welcome, you and Bob") == 1

    prompts = json.loads(
        two.client.json(
            "GET", f"/api/v1/bonds/{bond_id}/prompts?open_only=true", token=bob_token
        ).body
    )["items"]
    opened = two.client.json(
        "POST",
        f"/api/v1/bonds/{bond_id}/exchanges",
        {"prompt_id": prompts[0]["id"]},
        token=bob_token,
    )
    assert opened.status == 201, opened.text
    after = page.get(f"/bonds/{bond_id}/")
    assert after.status == 200
    assert "Welcome, you and Bob" not in after.text
    assert "Your answer" in after.text
