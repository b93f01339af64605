"""``make bench`` and ``make drill`` run from the repository root, outside the package."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mutual

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_bench_writes_its_sections_to_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = _run("bench", "--quick", "--out", str(out))
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text())
    assert [s["name"] for s in report["sections"]] == ["simulator"]
    names = [m["name"] for m in report["sections"][0]["measurements"]]
    assert names == ["scalar engine", "scalar simulator", "vectorised simulator"]
    units = {m["unit"] for m in report["sections"][0]["measurements"]}
    assert units == {"events/s", "dyad-events/s"}
    assert "vectorised simulator" in done.stdout
    assert f"written to {out}" in done.stdout


def test_bench_measures_the_end_to_end_scheme_in_python_and_in_chromium(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = _run("bench", "--quick", "--section", "e2e", "--out", str(out))
    assert done.returncode == 0, done.stderr
    (section,) = json.loads(out.read_text())["sections"]
    found = {m["name"]: m for m in section["measurements"]}
    assert set(found) == {
        f"{where}: {what}"
        for where in ("Python", "Chromium")
        for what in ("password keys", "sign-in at the sign-up limits", "seal and release", "open")
    }
    assert all(m["unit"] == "ms" and m["value"] > 0 for m in found.values())
    # Argon2id with 64 MiB costs far more than sealing an answer, on both sides.
    for where in ("Python", "Chromium"):
        assert (
            found[f"{where}: password keys"]["value"]
            > 10 * found[f"{where}: seal and release"]["value"]
        )


def test_bench_refuses_an_unknown_section() -> None:
    done = _run("bench", "--section", "http")
    assert done.returncode == 2
    assert "unknown section 'http'" in done.stderr


def test_drill_explains_itself() -> None:
    done = _run("bench.drill", "--help")
    assert done.returncode == 0, done.stderr
    assert "usage: python -m bench.drill" in done.stdout
    assert "--rounds" in done.stdout


def test_the_installed_package_holds_neither_the_bench_nor_the_drills() -> None:
    package = Path(mutual.__file__).parent
    assert not (package / "perf").exists()
    assert not list(package.rglob("bench*.py"))
    assert not list(package.rglob("drill*.py"))
