"""The ``mutual`` command as a person runs it: ``rebuild --check`` and ``export``."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from factories import bond_of
from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Bond
from mutual.cli.main import main
from mutual.safety import services as safety_services

MUTUAL = Path(sys.executable).with_name("mutual")
AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def bond(alice: Person, bob: Person) -> Bond:
    bond = bond_of(alice, bob, "friends", AT)
    # Two events of the model: each steps back once (never refused, even at Surface).
    services.bond_step_back(bond=bond, person=alice, at=AT)
    services.bond_step_back(bond=bond, person=bob, at=AT)
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


def _first_model(bond: Bond) -> dict[str, object]:
    """The bond's snapshot as the first model stored it (version 1: no fading fields,
    calendar days for the core) — what a database holds before the move."""
    from mutual.bonds.models import Reading

    old = json.loads(json.dumps(bond.snapshot))
    old["version"] = 1
    for side in ("a", "b"):
        for key in ("closeness", "present_as_of", "last_revealed"):
            old[side].pop(key)
        old[side]["trust"].pop("reported")
    for key in ("core_first", "core_last", "core_sittings"):
        old.pop(key)
    old["evidence_days"] = []
    Bond.objects.filter(pk=bond.pk).update(snapshot=old)
    Reading.objects.filter(bond=bond).update(mutual_index=100.0)
    return old


def test_rebuild_moves_a_bond_of_the_first_model_to_the_current_one(
    bond: Bond, capsys: pytest.CaptureFixture[str]
) -> None:
    from mutual import engine
    from mutual.bonds import ledger
    from mutual.bonds.models import Reading

    current = bond.snapshot
    _first_model(bond)
    old = Bond.objects.get(pk=bond.pk)
    # Still readable before the move: the state is refolded from the events.
    assert engine.state_to_dict(ledger.state_of(old)) == current
    assert main(["rebuild", "--check"]) == 1
    capsys.readouterr()
    assert main(["rebuild", "-v"]) == 0
    out = capsys.readouterr().out
    assert f"bond {bond.id}: rebuilt" in out
    assert "rebuilt 1 bonds from their events; 1 snapshots changed" in out
    moved = Bond.objects.get(pk=bond.pk)
    assert moved.snapshot == current
    assert moved.snapshot["version"] == engine.SCHEMA_VERSION
    assert moved.snapshot_seq == 2
    readings = list(Reading.objects.filter(bond=bond).order_by("seq"))
    assert [r.seq for r in readings] == [1, 2]
    assert all(r.mutual_index == 0.0 for r in readings)
    assert main(["rebuild", "--check"]) == 0
    # A second run finds nothing to move.
    assert main(["rebuild"]) == 0
    assert "0 snapshots changed" in capsys.readouterr().out


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


# -- The operator's export follows the person's own rules -------------------------------------


@pytest.fixture
def partners(alice: Person, bob: Person) -> Bond:
    """Alice and Bob, in a bond that has just begun."""
    return bond_of(alice, bob, at=AT)


def _bob_and_alice_wrote(bond: Bond, alice: Person, bob: Person) -> dict[str, str]:
    """Sealed and revealed answers of both, Alice's reply to Bob, and her own question."""
    from mutual.bonds import selectors

    words = {
        k: f"{k}-f13-canary"
        for k in ("bob-sealed", "alice-sealed", "alice-revealed", "bob-revealed", "alice-reply")
    }
    deck = [p for p in selectors.prompts_available(bond=bond, viewer=alice) if p.depth == 0]
    bobs, alices, both = (
        services.exchange_open(bond=bond, by=alice, prompt=p, at=AT) for p in deck[:3]
    )
    services.revelation_write(
        exchange=bobs, author=bob, body=words["bob-sealed"], emotional=False, at=AT
    )
    services.revelation_write(
        exchange=alices, author=alice, body=words["alice-sealed"], emotional=False, at=AT
    )
    services.revelation_write(
        exchange=both, author=alice, body=words["alice-revealed"], emotional=False, at=AT
    )
    bob_rev = services.revelation_write(
        exchange=both, author=bob, body=words["bob-revealed"], emotional=False, at=AT
    )
    services.reply_write(
        revelation=bob_rev, author=alice, heard=words["alice-reply"], makes_sense="m",
        care="c", costly=False, at=AT,
    )  # fmt: skip
    words["alice-question"] = "alice-question-f13-canary"
    question = services.prompt_write(
        bond=bond, by=alice, text=words["alice-question"], depth=0, theme="joys",
        emotional=False, at=AT,
    )  # fmt: skip
    asked = services.exchange_open(bond=bond, by=alice, prompt=question, at=AT)
    services.revelation_write(exchange=asked, author=bob, body="bob-on-her-question",
                              emotional=False, at=AT)  # fmt: skip
    return words


def _cli_export(email: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["export", "--email", email]) == 0
    return capsys.readouterr().out


def test_f13_cli_export_holds_bobs_own_words_sealed_or_not_and_never_alices_answers(
    partners: Bond, alice: Person, bob: Person, capsys: pytest.CaptureFixture[str]
) -> None:
    words = _bob_and_alice_wrote(partners, alice, bob)
    printed = _cli_export("bob@example.org", capsys)
    for own in ("bob-sealed", "bob-revealed"):
        assert words[own] in printed, own  # his own words, sealed or not
    for received in ("alice-reply", "alice-question"):
        assert words[received] in printed, received  # what was given to him
    for theirs in ("alice-sealed", "alice-revealed"):
        assert words[theirs] not in printed, theirs
    from mutual.yourdata.services import account_export

    own_export = json.dumps(account_export(person=bob, at=AT), ensure_ascii=False)
    assert json.loads(printed)["bonds"] == json.loads(own_export)["bonds"]


def test_f13_cli_export_after_alice_left_holds_nothing_of_hers(
    partners: Bond, alice: Person, bob: Person, capsys: pytest.CaptureFixture[str]
) -> None:

    words = _bob_and_alice_wrote(partners, alice, bob)
    safety_services.bond_leave(bond=partners, person=alice, at=AT)
    printed = _cli_export("bob@example.org", capsys)
    assert [w for k, w in words.items() if k.startswith("alice") and w in printed] == []
    assert words["bob-sealed"] in printed
    assert words["bob-revealed"] in printed
    printed = _cli_export("alice@example.org", capsys)
    assert [w for k, w in words.items() if k.startswith("bob") and w in printed] == []
    assert words["alice-sealed"] in printed
    assert words["alice-question"] in printed


def test_f13_cli_export_says_in_the_persons_log_that_it_came_from_the_server(
    partners: Bond, bob: Person, capsys: pytest.CaptureFixture[str]
) -> None:
    from mutual.accounts.models import SecurityEvent

    _cli_export("bob@example.org", capsys)
    event = SecurityEvent.objects.get(person=bob, kind="export")
    assert "mutual export" in event.user_agent  # not a browser of Bob's: the server's
    assert "mutual export" in _cli_export("bob@example.org", capsys)  # his log shows it too


def test_version_prints_the_version_of_the_release() -> None:
    import tomllib

    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    done = subprocess.run([str(MUTUAL), "--version"], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (0, f"mutual {pyproject['project']['version']}\n")
