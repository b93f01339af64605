"""The ``mutual`` command as a person runs it: ``rebuild --check`` and ``export``."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Bond
from mutual.cli.main import main

MUTUAL = Path(sys.executable).with_name("mutual")
AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def alice(db: None) -> Person:
    return Person.objects.create_user("alice@example.org", "alice-long-secret-passphrase")


@pytest.fixture
def bob(db: None) -> Person:
    return Person.objects.create_user("bob@example.org", "bob-long-secret-passphrase")


@pytest.fixture
def bond(alice: Person, bob: Person) -> Bond:
    bond = services.bond_create(creator=alice, kind="friends", at=AT)
    _invite, code = services.invite_create(bond=bond, by=alice, at=AT)
    bond = services.invite_accept(code=code, person=bob, at=AT)
    services.readiness_set(bond=bond, person=alice, ready=True, at=AT)
    services.readiness_set(bond=bond, person=bob, ready=True, at=AT)
    return Bond.objects.get(pk=bond.pk)


@pytest.mark.parametrize("command", ["rebuild", "export"])
def test_help_explains_each_command(command: str) -> None:
    done = subprocess.run(
        [str(MUTUAL), command, "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert f"usage: mutual {command}" in done.stdout
    assert "--check" in done.stdout if command == "rebuild" else "--email" in done.stdout


def test_rebuild_check_passes_when_every_snapshot_matches(
    bond: Bond, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rebuild", "--check"]) == 0
    assert "all 1 bonds match their events" in capsys.readouterr().out


def test_rebuild_check_lists_a_bond_whose_snapshot_differs(
    bond: Bond, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = dict(bond.snapshot or {})
    snapshot["open_depth"] = 3
    Bond.objects.filter(pk=bond.pk).update(snapshot=snapshot)
    assert main(["rebuild", "--check"]) == 1
    out = capsys.readouterr().out
    assert f"bond {bond.id}: snapshot differs from its 2 events" in out
    assert "1 of 1 bonds have a snapshot that differs" in out


def test_rebuild_without_check_says_how_to_run_it(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rebuild"]) == 2
    assert "mutual rebuild --check" in capsys.readouterr().err


def test_export_prints_the_persons_json(bond: Bond, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--email", "Alice@Example.org"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "alice@example.org" in json.dumps(data)


def test_export_of_an_unknown_email_exits_2_with_one_line(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--email", "nobody@example.org"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "mutual export: no account has the email address 'nobody@example.org'\n"


def test_export_without_an_email_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export"])
    assert exit_info.value.code == 2
    assert "--email" in capsys.readouterr().err


def test_export_is_recorded_in_the_persons_security_log(alice: Person) -> None:
    from mutual.accounts.models import SecurityEvent

    assert main(["export", "--email", "alice@example.org", "--compact"]) == 0
    assert list(SecurityEvent.objects.filter(person=alice).values_list("kind", flat=True)) == [
        "export"
    ]
