"""``mutual simulate`` as a person runs it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mutual.cli.main import main
from mutual.cli.simulate import ProgressBar, format_checks

MUTUAL = Path(sys.executable).with_name("mutual")


def test_json_prints_one_object_with_the_run_and_final_means() -> None:
    done = subprocess.run(
        [str(MUTUAL), "simulate", "--scenario", "secure", "--dyads", "20", "--events", "30",
         "--seed", "5", "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar in --json mode
    report = json.loads(done.stdout)
    assert report["scenario"] == "secure"
    assert (report["dyads"], report["events"], report["seed"]) == (20, 30, 5)
    final = report["final"]
    assert set(final) >= {"trust_a_to_b", "trust_b_to_a", "open_depth", "mutual_index", "breadth"}
    assert 0.0 < final["trust_b_to_a"] < 1.0
    assert 0.0 <= final["mutual_index"] <= 100.0


def test_the_same_seed_prints_the_same_numbers_with_either_engine(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["simulate", "--scenario", "early-breach", "--dyads", "6", "--events", "25", "--json"]
    assert main([*args, "--engine", "vector"]) == 0
    vector = json.loads(capsys.readouterr().out)
    assert main([*args, "--engine", "scalar"]) == 0
    scalar = json.loads(capsys.readouterr().out)
    assert vector["final"] == scalar["final"]
    assert (vector["engine"], scalar["engine"]) == ("vector", "scalar")


def test_without_json_the_means_are_shown_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--scenario", "one-sided", "--dyads", "10", "--events", "20"]) == 0
    out = capsys.readouterr().out
    assert "one-sided: 10 dyads × 20 events" in out
    assert "mutual index   0.0 of 100" in out


def test_a_scenario_file_can_be_simulated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "slow-burn.toml"
    path.write_text("events = 12\n[a]\nreadiness = 0.05\n[b]\nreadiness = 0.05\n")
    assert main(["simulate", "--scenario", str(path), "--dyads", "5", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["scenario"] == "slow-burn"
    assert report["events"] == 12


def test_no_gate_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["simulate", "--scenario", "one-sided", "--dyads", "10", "--events", "30", "--json"]
    assert main([*args, "--no-gate"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["gate"] is False
    assert report["final"]["open_depth"] > 0


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_writes_the_picture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    path = tmp_path / f"run{suffix}"
    assert main(["simulate", "--dyads", "10", "--events", "20", "--plot", str(path)]) == 0
    assert f"plot written to {path}" in capsys.readouterr().out
    head = path.read_bytes()[:200]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in path.read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dyads", "-4"], "--dyads must lie between 1 and 1,000,000, not -4"),
        (["--dyads", "many"], "--dyads must be a whole number, not 'many'"),
        (["--events", "0"], "--events must lie between 1 and 100,000, not 0"),
        (["--seed", "-1"], "--seed must lie between 0 and"),
        (["--scenario", "tender"], "unknown scenario 'tender'"),
        (["--scenario", "missing.toml"], "missing.toml: no such scenario file"),
        (["--engine", "fast"], "--engine must be one of vector, scalar, not 'fast'"),
        (["--plot", "run.gif"], "--plot writes PNG or SVG"),
        (["--plot", "no/such/folder/run.png"], "the folder no/such/folder does not exist"),
        (["--validate", "--scenario", "secure"], "--validate runs its own scenarios"),
        (["--validate", "--no-gate"], "--validate switches the gate itself"),
        (["--validate", "--dyads", "3"], "--dyads must lie between 50 and"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("mutual simulate: error: ")
    assert message in captured.err
    assert captured.err.count("\n") == 1


def test_a_broken_scenario_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[a\nreveal = ")
    done = subprocess.run(
        [str(MUTUAL), "simulate", "--scenario", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith(f"mutual simulate: error: {path}: is not a valid scenario")
    assert done.stderr.count("\n") == 1


def test_validate_prints_every_target_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    # Whether each target passes is tested in tests/simulate/test_validate.py, with more
    # dyads; here the command's report and its exit status are checked.
    status = main(["simulate", "--validate", "--json", "--dyads", "50", "--seed", "1"])
    report = json.loads(capsys.readouterr().out)
    assert report["dyads"] == 50
    assert report["seed"] == 1
    assert report["passed"] == all(t["passed"] for t in report["targets"])
    assert status == (0 if report["passed"] else 1)
    sources = " ".join(t["source"] for t in report["targets"])
    for author in ("Laurenceau", "Aron", "Sprecher", "Altman", "Slovic", "Wieselquist"):
        assert author in sources
    for target in report["targets"]:
        assert set(target) == {
            "target",
            "source",
            "kind",
            "expected",
            "measured",
            "published",
            "passed",
            "comparisons",
            "numbers",
        }


def test_the_validation_table_has_a_section_per_kind_and_a_tally() -> None:
    def row(target: str, kind: str, passed: bool, published: str = "—") -> dict[str, object]:
        comparison = {
            "measure": "trust", "high": "warm", "low": "cool", "mean_high": 0.9,
            "mean_low": 0.5, "difference": 0.4, "ci": [0.3, 0.5], "d": 1.25,
        }  # fmt: skip
        return {
            "target": target, "source": "Somebody 2001", "kind": kind, "published": published,
            "passed": passed, "comparisons": [comparison],
        }  # fmt: skip

    rows = [
        row("Honor raises trust", "finding", True, "d = 0.3"),
        row("Breach lowers trust", "definitional", False),
    ]
    table = format_checks(rows)
    lines = table.splitlines()
    assert lines[0] == "Findings: the rules could fail these (1 of 1 hold)"
    assert lines[1].split(" │ ")[:2] == ["target".ljust(26), "source".ljust(18)]
    assert "Definitional: these hold by a formula's construction (0 of 1 hold)" in lines
    assert "Safety" not in table
    assert "Honor raises trust" in table
    assert "0.4 [0.3, 0.5]" in table
    assert "1.25 (d = 0.3)" in table
    assert "PASS" in table
    assert "FAIL" in table
    assert table.endswith("1 of 2 targets hold (a target holds when its interval excludes 0)")


def test_the_progress_bar_waits_a_second_before_it_appears() -> None:
    now = [0.0]
    stream = io.StringIO()
    bar = ProgressBar(stream, "simulating", clock=lambda: now[0])
    now[0] = 0.5
    bar(0.4)
    assert stream.getvalue() == ""
    now[0] = 1.2
    bar(0.5)
    assert stream.getvalue().startswith("\rsimulating ")
    assert stream.getvalue().endswith(" 50%")
    bar(1.0)
    bar.close()
    assert stream.getvalue().endswith("100%\n")


def test_a_quick_run_leaves_no_bar_behind() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, "simulating", clock=lambda: 0.0)
    bar(1.0)
    bar.close()
    assert stream.getvalue() == ""
