"""SECURITY.md 21: texts encrypted at rest under per-person keys; deleting an account
destroys its key; SQLite erases deleted pages and checkpoints its log; the master key
can be rotated. Canaries are searched in the raw SQLite file and in a pg_dump."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.management import call_command

from factories import CANARY, LATER_DAY, honor_both_ways, world
from mutual.accounts import crypto
from mutual.accounts.crypto import CryptoError
from mutual.accounts.models import Person
from mutual.bonds import selectors, services
from mutual.bonds.models import Bond, Reply, Revelation
from mutual.safety import selectors as safety_selectors
from mutual.safety import services as safety_services
from mutual.safety.models import BreachReport
from mutual.yourdata import services as account_services

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

SCRIPT = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from mutual.accounts.models import Person
    from mutual.yourdata import services as account_services
    from mutual.bonds import services
    from mutual.safety import services as safety_services
    canary = sys.argv[2]
    t = datetime(2026, 3, 2, 9, tzinfo=UTC)
    if sys.argv[1] == "write":
        alice = Person.objects.create_user("alice@example.org", "a long and quiet evening")
        bob = Person.objects.create_user("bob@example.org", "a long and quiet evening")
        bond = services.bond_create(creator=alice, kind="partners", at=t)
        _i, code = services.invite_create(bond=bond, by=alice, at=t)
        services.invite_accept(code=code, person=bob, at=t)
        prompt = services.prompt_write(bond=bond, by=alice, text=canary + "-Q", depth=0,
                                       theme="joys", emotional=False, at=t)
        ex = services.exchange_open(bond=bond, by=alice, prompt=prompt, at=t)
        a = services.revelation_write(
            exchange=ex, author=alice, body=canary + "-A", emotional=False, at=t
        )
        services.revelation_write(exchange=ex, author=bob, body="plain", emotional=False, at=t)
        services.reply_write(revelation=a, author=bob, heard=canary + "-R", makes_sense="m",
                                care="c", costly=False, at=t)
        safety_services.breach_report(person=alice, bond=bond, kind="weaponization",
                             note=canary + "-N", at=t)
        print(bytes(Person.objects.get(pk=alice.pk).wrapped_key).hex())
    else:
        alice = Person.objects.get(email="alice@example.org")
        account_services.account_delete(person=alice, at=t + timedelta(days=1))
    """
)


def _raw(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.glob("mutual.sqlite3*")))


def _run(directory: Path, step: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(MUTUAL_VAR_DIR=str(directory), DJANGO_SETTINGS_MODULE="mutual.config.settings")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, step, CANARY],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def test_req21_raw_sqlite_file_holds_no_plaintext_and_forgets_a_deleted_key(
    tmp_path: Path,
) -> None:
    wrapped = bytes.fromhex(_run(tmp_path, "write").splitlines()[-1])
    raw = _raw(tmp_path)
    assert len(raw) > 10_000
    for needle in (CANARY, CANARY + "-A", CANARY + "-R", CANARY + "-N", CANARY + "-Q"):
        assert needle.encode() not in raw
        assert needle.encode("utf-16-le") not in raw
    assert wrapped in raw  # the key is there until the account is deleted…
    _run(tmp_path, "delete")
    raw = _raw(tmp_path)
    assert wrapped not in raw  # …and gone from the file and its log afterwards
    wal = tmp_path / "mutual.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.fixture
def rotated_key_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    crypto.master_key.cache_clear()
    yield
    monkeypatch.undo()
    crypto.master_key.cache_clear()


@pytest.mark.django_db
def test_req21_texts_are_sealed_with_the_authors_own_key() -> None:
    w = world()
    stored = Revelation.objects.get(pk=w.alice_rev.pk)
    assert CANARY.encode() not in bytes(stored.body_enc)
    assert w.alice.open(bytes(stored.body_enc), stored.aad) == CANARY
    with pytest.raises(CryptoError):
        w.bob.open(bytes(stored.body_enc), stored.aad)  # Bob's key cannot open it
    with pytest.raises(CryptoError):  # a blob moved to another row does not open
        w.alice.open(bytes(stored.body_enc), f"revelation:{w.bob_rev.pk}:body")


@pytest.mark.django_db
def test_req21_deleting_an_account_destroys_its_key_and_its_words() -> None:
    w = world()
    honor_both_ways(w, LATER_DAY)
    blob = bytes(Revelation.objects.get(pk=w.alice_rev.pk).body_enc)
    account_services.account_delete(person=w.alice, at=LATER_DAY)
    assert not Person.objects.filter(pk=w.alice.pk).exists()
    assert not Revelation.objects.filter(author_id=w.alice.pk).exists()
    assert not Reply.objects.filter(author_id=w.alice.pk).exists()
    assert w.alice.wrapped_key is None
    with pytest.raises(CryptoError):
        crypto.open_text(w.alice.wrapped_key, blob, f"revelation:{w.alice_rev.pk}:body")
    for person in Person.objects.all():  # no remaining key opens it
        with pytest.raises(CryptoError):
            person.open(blob, f"revelation:{w.alice_rev.pk}:body")
    bond = Bond.objects.get(pk=w.bond.pk)
    assert bond.status == Bond.Status.ENDED
    view = selectors.exchange_view(exchange=w.exchange, viewer=w.bob)
    assert view.theirs.text is None


@pytest.mark.django_db
def test_req21_rotate_master_key_rewraps_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rotated_key_env: None
) -> None:
    w = world()
    safety_services.breach_report(
        person=w.alice, bond=w.bond, kind="weaponization", note="N", at=LATER_DAY
    )
    totp_secret = generate_totp_secret()
    TOTP.activate(w.alice, totp_secret)
    new_key = crypto.generate_master_key()
    key_file = tmp_path / "new_master_key"
    key_file.write_text(new_key)
    call_command("rotate_master_key", "--new-key-file", str(key_file))
    monkeypatch.setenv("MUTUAL_MASTER_KEY", new_key)
    crypto.master_key.cache_clear()
    alice = Person.objects.get(pk=w.alice.pk)
    revelation = Revelation.objects.get(pk=w.alice_rev.pk)
    assert selectors.revelation_text_for(revelation=revelation, viewer=alice) == CANARY
    report = BreachReport.objects.get(reporter=alice)
    assert safety_selectors.report_note_for(report=report, viewer=alice) == "N"
    authenticator = Authenticator.objects.get(user=alice, type="totp")
    assert crypto.open_secret(authenticator.data["secret"]) == totp_secret


@pytest.mark.django_db
def test_req21_rotate_refuses_a_bad_key_and_changes_nothing(tmp_path: Path) -> None:
    w = world()
    before = bytes(Person.objects.get(pk=w.alice.pk).wrapped_key)
    bad = tmp_path / "bad"
    bad.write_text("not a key")
    with pytest.raises(Exception, match="Cannot use"):
        call_command("rotate_master_key", "--new-key-file", str(bad))
    assert bytes(Person.objects.get(pk=w.alice.pk).wrapped_key) == before


if ON_POSTGRES:

    @pytest.mark.django_db(transaction=True)
    def test_req21_pg_dump_holds_no_plaintext(tmp_path: Path) -> None:
        w = world()
        honor_both_ways(w, LATER_DAY)
        safety_services.breach_report(
            person=w.alice, bond=w.bond, kind="weaponization", note=CANARY + "-N", at=LATER_DAY
        )
        services.prompt_write(
            bond=w.bond, by=w.bob, text=CANARY + "-Q", depth=0, theme="joys", emotional=False,
            at=LATER_DAY,
        )  # fmt: skip
        from django.db import connection

        params = connection.get_connection_params()
        host = str(params.get("host") or settings.DATABASES["default"]["OPTIONS"].get("host", ""))
        bindir = Path("/usr/lib/postgresql/15/bin")
        pg_dump = bindir / "pg_dump" if (bindir / "pg_dump").exists() else Path("pg_dump")
        result = subprocess.run(
            [
                str(pg_dump),
                "--host",
                host,
                "--username",
                str(params.get("user") or "postgres"),
                "--dbname",
                str(params["dbname"]),
            ],
            capture_output=True,
            check=True,
        )
        dump = result.stdout
        assert b"accounts_person" in dump
        assert b"bonds_revelation" in dump
        for needle in (CANARY, "I hear you."):
            assert needle.encode() not in dump
            assert needle.encode().hex().encode() not in dump

    @pytest.mark.django_db(transaction=True)
    def test_req21_deletion_on_postgres_vacuums_the_people_table_after_commit() -> None:
        from django.db import connection

        w = world()
        account_services.account_delete(person=w.alice, at=LATER_DAY)  # runs the VACUUM
        assert not Person.objects.filter(pk=w.alice.pk).exists()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'accounts_person'"
            )
            row = cursor.fetchone()
        assert row is not None
