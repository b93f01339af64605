"""SECURITY.md 7, 17 and 20: response headers, cookies and the production deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client

from factories import person, signed_in
from mutual.accounts.crypto import generate_master_key

pytestmark = pytest.mark.django_db


def _csp(response: HttpResponse) -> dict[str, list[str]]:
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def test_req20_csp_has_nonce_and_strict_directives() -> None:
    response = Client().get("/accounts/login/")
    policy = _csp(response)
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    nonces = [w for w in policy["script-src"] if w.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    assert f'nonce="{nonce}"'.encode() in response.content


def test_req20_csp_nonce_differs_per_response() -> None:
    first = _csp(Client().get("/accounts/login/"))["script-src"]
    second = _csp(Client().get("/accounts/login/"))["script-src"]
    assert first != second


def test_req20_no_third_party_origin_in_policy_or_page() -> None:
    response = Client().get("/accounts/login/")
    for sources in _csp(response).values():
        for source in sources:
            assert "://" not in source
            assert "*" not in source
    html = response.content.decode()
    for attribute in ('src="http', "src='http", 'href="//', "@import"):
        assert attribute not in html


def test_req20_nosniff_referrer_and_framing() -> None:
    response = Client().get("/accounts/login/")
    assert response["X-Content-Type-Options"] == "nosniff"
    # Nothing is ever sent to another origin ("same-origin" keeps form posts passing the
    # CSRF origin check, which `no-referrer` would break with `Origin: null`).
    assert response["Referrer-Policy"] in {"no-referrer", "same-origin"}
    assert response["X-Frame-Options"] == "DENY"


def test_req7_no_store_on_authenticated_responses() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    for url in ("/", "/accounts/security/", "/accounts/2fa/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url


def test_req7_clear_site_data_on_sign_out() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert '"cache"' in response["Clear-Site-Data"]
    assert '"storage"' in response["Clear-Site-Data"]


def test_req7_neutral_title_on_every_page() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    for url in ("/", "/bonds/", "/accounts/security/", "/accounts/2fa/", "/who-sees-what/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        title = html.split("<title>", 1)[1].split("</title>", 1)[0].strip()
        assert title == "Mutual", url


def test_req17_session_id_rotated_at_sign_in() -> None:
    alice = person("Alice")
    client = Client()
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    signed_in(alice, client)
    assert client.session.session_key != before


def test_req17_session_cookie_httponly_and_lax() -> None:
    alice = person("Alice")
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"login": alice.email, "password": "a long and quiet evening by the sea"},
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    # Set by the browser tests' fixtures; never in a deployment.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        MUTUAL_PRODUCTION="1",
        MUTUAL_SECRET_KEY="x" * 20 + "production-secret-key-with-enough-entropy-1234567890",
        MUTUAL_MASTER_KEY=generate_master_key(),
        MUTUAL_ALLOWED_HOSTS="mutual.example",
        MUTUAL_VAR_DIR=str(tmp_path),
    )
    return env


def test_req20_check_deploy_passes_with_production_settings(tmp_path: Path) -> None:
    mutual = Path(sys.executable).parent / "mutual"
    result = subprocess.run(
        [str(mutual), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_req17_req20_production_cookies_and_hsts(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; import django; django.setup();"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_HTTPONLY)"
    )
    env = _production_env(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "mutual.config.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [
        "__Host-session",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
        "True",
    ]
