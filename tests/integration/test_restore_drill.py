"""The restore drill of docs/deploy.md, run on PostgreSQL.

An encrypted backup is taken (``pg_dump -Fc`` through ``gpg --symmetric``), the database
is dropped and created empty, the backup is decrypted and restored, and then: every row is
back, revelations still decrypt (the master key was never in the backup), the ledger still
replays to its snapshot, and new writes continue the sequences.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections

from factories import T0, person
from mutual.accounts.models import Person
from mutual.bonds import ledger, services
from mutual.bonds.models import Bond, Event, Prompt, Revelation

# PostgreSQL only (the `postgres` mark): the PostgreSQL run of the suite
# (MUTUAL_TEST_DB=postgres) executes this module; the SQLite run leaves it out at collection.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CANARY = "canary-7f3a the lake house where I hid"


def prompt(key: str) -> Prompt:
    return Prompt.objects.create(key=key, text=f"Question {key}", depth=0, theme="memories")


def pg(tool: str) -> str:
    from pgcluster import find_bindir

    bindir = find_bindir()
    found = bindir / tool if bindir and (bindir / tool).exists() else shutil.which(tool)
    assert found, f"{tool} is not installed"
    return str(found)


def sh(command: str, **env: str) -> None:
    subprocess.run(["bash", "-o", "pipefail", "-c", command], check=True, env=os.environ | env)


def test_an_encrypted_backup_restores_into_an_empty_database(tmp_path: Path) -> None:
    assert shutil.which("gpg"), "gpg is needed for encrypted backups"
    alice, bob = person("Alice"), person("Bob")
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    bond = services.invite_accept(code=code, person=bob, at=T0)
    exchange = services.exchange_open(bond=bond, by=alice, prompt=prompt("before"), at=T0)
    services.revelation_write(exchange=exchange, author=alice, body=CANARY, emotional=True, at=T0)
    services.revelation_write(
        exchange=exchange, author=bob, body="Bob's answer", emotional=False, at=T0
    )
    bond.refresh_from_db()
    seq, persons, events = bond.snapshot_seq, Person.objects.count(), Event.objects.count()

    db = connection.settings_dict
    host = db["HOST"] or db["OPTIONS"].get("host", "")
    target = f"-h {host} -U {db['USER']}"
    passphrase = tmp_path / "backup-passphrase"
    passphrase.write_text("correct horse battery staple of the backup host\n")
    backup = tmp_path / "mutual.dump.gpg"
    connections.close_all()

    # Back up: custom-format dump, encrypted on the way to disk.
    sh(
        f"{pg('pg_dump')} {target} -d {db['NAME']} -Fc | "
        f"gpg --batch --yes --symmetric --cipher-algo AES256 "
        f"--passphrase-file {passphrase} -o {backup}",
        GNUPGHOME=str(tmp_path),
    )
    raw = backup.read_bytes()
    assert CANARY.encode() not in raw
    assert b"alice@example.org" not in raw

    # Disaster: the database is gone; an empty one is created.
    sh(f"{pg('dropdb')} {target} {db['NAME']} && {pg('createdb')} {target} {db['NAME']}")
    assert connection.introspection.table_names() == []
    connections.close_all()

    # Restore: decrypt and load, in one transaction.
    sh(
        f"gpg --batch --decrypt --passphrase-file {passphrase} {backup} | "
        f"{pg('pg_restore')} {target} -d {db['NAME']} --no-owner --single-transaction",
        GNUPGHOME=str(tmp_path),
    )

    assert Person.objects.count() == persons
    assert Event.objects.count() == events
    restored = Bond.objects.get(pk=bond.pk)
    assert restored.snapshot_seq == seq
    assert ledger.replay(restored).matches
    answer = Revelation.objects.get(exchange=exchange, side="a")
    assert answer.author.open(bytes(answer.body_enc), answer.aad) == CANARY

    # Life goes on: new writes continue the restored sequences.
    later = T0 + timedelta(days=1)
    again = services.exchange_open(bond=restored, by=bob, prompt=prompt("after"), at=later)
    services.revelation_write(exchange=again, author=bob, body="after", emotional=False, at=later)
    services.revelation_write(exchange=again, author=alice, body="after", emotional=False, at=later)
    restored.refresh_from_db()
    assert restored.snapshot_seq == seq + 2
    assert ledger.replay(restored).matches
