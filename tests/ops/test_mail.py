"""Mail leaves the machine through the SMTP server that ``MUTUAL_EMAIL_URL`` names: plain,
STARTTLS and implicit TLS against a real SMTP server on loopback (aiosmtpd) whose
certificate comes from a test authority made here. The sender is ``mutual manage
sendtestemail``, run as an operator runs it, with the production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from loopback import free_port
from mutual.config.mail import email_settings
from smtp import Authority, make_authority, smtp_server

USER = "mutual@example.org"
PASSWORD = "a p@ss:word/with?signs"
QUOTED = "a%20p%40ss%3Aword%2Fwith%3Fsigns"


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    return make_authority(tmp_path_factory.mktemp("tls"))


def send_test_mail(
    tmp_path: Path, authority: Authority, **env: str
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "secret_key").write_text("a secret key for the mail test only " * 2)
    (tmp_path / "master_key").write_text("A" * 43)
    full = {
        **os.environ,
        "MUTUAL_PRODUCTION": "1",
        "MUTUAL_VAR_DIR": str(tmp_path),
        "MUTUAL_SECRET_KEY_FILE": str(tmp_path / "secret_key"),
        "MUTUAL_MASTER_KEY_FILE": str(tmp_path / "master_key"),
        "MUTUAL_FROM_EMAIL": "Mutual <hello@mutual.example.org>",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        # The app trusts the test authority the way it trusts the system's.
        "SSL_CERT_FILE": str(authority.ca_file),
        **env,
    }
    full.pop("MUTUAL_EMAIL_BACKEND", None)
    return subprocess.run(
        [sys.executable, "-m", "mutual.cli.main", "manage", "sendtestemail", "bob@example.org"],
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_plain_smtp_to_a_relay_on_loopback(tmp_path: Path, authority: Authority) -> None:
    port = free_port()
    with smtp_server(port=port) as mailbox:
        done = send_test_mail(tmp_path, authority, MUTUAL_EMAIL_URL=f"smtp://127.0.0.1:{port}")
    assert done.returncode == 0, done.stderr
    assert mailbox.envelopes == [("hello@mutual.example.org", ["bob@example.org"])]
    assert mailbox.messages[0]["From"] == "Mutual <hello@mutual.example.org>"
    assert mailbox.tls == [False]


def test_starttls_with_a_password_read_from_a_file(tmp_path: Path, authority: Authority) -> None:
    port = free_port()
    url_file = tmp_path / "email_url"
    url_file.write_text(f"smtp+tls://{USER.replace('@', '%40')}:{QUOTED}@localhost:{port}\n")
    with smtp_server(port=port, authority=authority, user=USER, password=PASSWORD) as mailbox:
        done = send_test_mail(tmp_path, authority, MUTUAL_EMAIL_URL_FILE=str(url_file))
    assert done.returncode == 0, done.stderr
    assert mailbox.logins == [USER]
    assert mailbox.tls == [True]
    assert len(mailbox.messages) == 1


def test_implicit_tls(tmp_path: Path, authority: Authority) -> None:
    port = free_port()
    url = f"smtp+ssl://{USER.replace('@', '%40')}:{QUOTED}@localhost:{port}"
    with smtp_server(
        port=port, authority=authority, implicit_tls=True, user=USER, password=PASSWORD
    ) as mailbox:
        done = send_test_mail(tmp_path, authority, MUTUAL_EMAIL_URL=url)
    assert done.returncode == 0, done.stderr
    assert mailbox.logins == [USER]
    assert mailbox.tls == [True]


def test_a_server_whose_certificate_is_not_trusted_gets_no_mail(
    tmp_path: Path, authority: Authority
) -> None:
    port = free_port()
    stranger = make_authority(tmp_path / "stranger")
    with smtp_server(port=port, authority=stranger, user=USER, password=PASSWORD) as mailbox:
        done = send_test_mail(
            tmp_path, authority, MUTUAL_EMAIL_URL=f"smtp+tls://{QUOTED}:{QUOTED}@localhost:{port}"
        )
    assert done.returncode != 0
    assert "CERTIFICATE_VERIFY_FAILED" in done.stderr
    assert mailbox.messages == []
    assert mailbox.logins == []


def test_a_wrong_url_stops_the_start_with_a_message_that_hides_the_password(
    tmp_path: Path, authority: Authority
) -> None:
    done = send_test_mail(
        tmp_path, authority, MUTUAL_EMAIL_URL="smtps://me:hunter2@mail.example.org"
    )
    assert done.returncode != 0
    assert "MUTUAL_EMAIL_URL must start with smtp://, smtp+tls:// or smtp+ssl://" in done.stderr
    assert "hunter2" not in done.stderr


SECRETS = {"EMAIL_HOST_USER": PASSWORD, "EMAIL_HOST_PASSWORD": PASSWORD}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://relay", {"EMAIL_PORT": 25, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False}),
        ("smtp+tls://u:p@mail.example.org", {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True}),
        ("smtp+ssl://u:p@mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True}),
        ("SMTP+SSL://mail.example.org:2465?timeout=3", {"EMAIL_PORT": 2465, "EMAIL_TIMEOUT": 3}),
        (f"smtp+tls://{QUOTED}:{QUOTED}@h", SECRETS),
    ],
)  # fmt: skip
def test_each_scheme_names_its_port_and_its_encryption(
    url: str, expected: dict[str, object]
) -> None:
    parsed = email_settings(url)
    assert {k: parsed[k] for k in expected} == expected
    assert parsed["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    "url",
    ["smtps://h", "http://h", "mail.example.org", "smtp://", "smtp://h:port", "smtp://h?tls=1",
     "smtp://h?timeout=0"],
)  # fmt: skip
def test_a_url_mutual_cannot_use_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="MUTUAL_EMAIL_URL"):
        email_settings(url)
