"""End-to-end keys through the API and the ``mutual`` command (docs/e2e.md): sign-up with
keys made by the client, the salt lookup, and signing in the way the browser does — the
client derives from the password, sends only the sign-in secret, and unwraps its key."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from factories import PASSWORD, device_keys, person
from mutual.accounts.models import Person, PersonKeys
from mutual.cli.main import main
from mutual.e2e import scheme as s
from mutual.e2e.client import SignInRefused, sign_in

EMAIL = "dora@example.org"


def _transport(client: Client) -> Any:
    headers: dict[str, str] = {}
    bodies: list[str] = []

    def send(method: str, path: str, body: dict[str, Any] | None) -> tuple[int, dict[str, Any]]:
        if method == "POST":
            bodies.append(json.dumps(body))
            answer = client.post(
                f"/api/v1{path}", body, content_type="application/json", headers=headers
            )
        else:
            answer = client.get(f"/api/v1{path}", headers=headers)
        data = answer.json()
        if path == "/auth/tokens" and answer.status_code == 201:
            headers["Authorization"] = f"Bearer {data['token']}"
        return answer.status_code, data

    send.bodies = bodies  # type: ignore[attr-defined]
    return send


def _signed_up(client: Client, password: str = PASSWORD) -> Any:
    device = device_keys(password)
    f = device.fields
    body = {
        "email": EMAIL,
        "password": device.secret,
        "keys": {
            "salt": f["e2e_salt"],
            "opslimit": 1,
            "memlimit": 8192,
            "public": f["e2e_public"],
            "wrapped_by_password": f["e2e_wrapped_password"],
            "wrapped_by_recovery": f["e2e_wrapped_recovery"],
        },
    }
    answer = client.post("/api/v1/auth/signup", body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(email=EMAIL).update(verified=True)
    return device


@pytest.mark.django_db
def test_an_api_client_signs_up_and_in_without_sending_the_password(client: Client) -> None:
    device = _signed_up(client)
    assert bytes(PersonKeys.objects.get(person__email=EMAIL).public_key) == device.identity.public
    send = _transport(Client())
    signed = sign_in(send, email=EMAIL, password=PASSWORD)
    assert signed.identity == device.identity
    assert signed.token
    assert not any(PASSWORD in body for body in send.bodies)


@pytest.mark.django_db
def test_a_wrong_password_signs_no_client_in(client: Client) -> None:
    _signed_up(client)
    with pytest.raises(SignInRefused, match="not right"):
        sign_in(_transport(Client()), email=EMAIL, password="not the password at all")


@pytest.mark.django_db
def test_api_sign_up_with_malformed_keys_is_refused_and_makes_nothing(client: Client) -> None:
    device = device_keys()
    body = {
        "email": EMAIL,
        "password": device.secret,
        "keys": {
            "salt": device.fields["e2e_salt"],
            "opslimit": 0,
            "memlimit": 8192,
            "public": device.fields["e2e_public"],
            "wrapped_by_password": device.fields["e2e_wrapped_password"],
            "wrapped_by_recovery": device.fields["e2e_wrapped_recovery"],
        },
    }
    answer = client.post("/api/v1/auth/signup", body, content_type="application/json")
    assert answer.status_code == 422
    assert "too little work" in answer.json()["detail"]
    assert not Person.objects.filter(email=EMAIL).exists()
    body["keys"]["opslimit"] = 1  # type: ignore[index]
    body["password"] = PASSWORD  # a password where the secret belongs
    answer = client.post("/api/v1/auth/signup", body, content_type="application/json")
    assert answer.status_code == 422
    assert not Person.objects.filter(email=EMAIL).exists()


@pytest.mark.django_db
def test_the_api_salt_lookup_answers_alike_with_and_without_an_account(client: Client) -> None:
    _signed_up(client)
    known = client.post("/api/v1/auth/salt", {"email": EMAIL}, content_type="application/json")
    unknown = client.post(
        "/api/v1/auth/salt", {"email": "nobody@example.org"}, content_type="application/json"
    )
    assert known.status_code == unknown.status_code == 200
    assert set(known.json()) == set(unknown.json())
    assert len(s.unb64(unknown.json()["salt"])) == 16


@pytest.mark.django_db
def test_an_account_made_before_keys_is_told_to_sign_in_on_the_web_first() -> None:
    alice = person("alice")
    with pytest.raises(SignInRefused, match="on the web"):
        sign_in(_transport(Client()), email=alice.email, password=PASSWORD)
    answer = Client().get("/api/v1/me/keys")
    assert answer.status_code == 401


@pytest.mark.django_db(transaction=True)
def test_the_mutual_command_signs_in_and_keeps_the_key(
    live_server: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    device = _signed_up(Client())
    keys_file = tmp_path / "keys.json"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    status = main(
        [
            "sign-in",
            "--server",
            live_server.url,
            "--email",
            EMAIL,
            "--password-stdin",
            "--keys-file",
            str(keys_file),
        ]
    )
    assert status == 0
    token = capsys.readouterr().out.strip()
    assert (
        Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )
    assert json.loads(keys_file.read_text())["private"] == s.b64(device.identity.private)
    assert keys_file.stat().st_mode & 0o077 == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a wrong password entirely\n"))
    assert main(["sign-in", "--server", live_server.url, "--email", EMAIL, "--password-stdin"]) == 1
