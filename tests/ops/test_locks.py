"""The dependencies are locked with the hashes of their files: one lock to run Mutual
(requirements/production.txt), one for the suite's tools too (requirements/development.txt),
both made by ``make lock`` from pyproject.toml and installed with ``--require-hashes``."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ROOT / "requirements" / "production.txt"
DEVELOPMENT = ROOT / "requirements" / "development.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.\-]*)(?:\[[^\]]*\])?==(\S+) \\$", re.MULTILINE)


def pins(lock: Path) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall(lock.read_text())}


def entries(lock: Path) -> list[str]:
    """Each requirement of the lock with its continuation lines, comments dropped."""
    text = re.sub(r"^\s*#.*\n", "", lock.read_text(), flags=re.MULTILINE)
    return [e for e in re.split(r"\n(?=\S)", text.strip()) if e]


def pyproject() -> dict[str, list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {"run": project["dependencies"], "dev": project["optional-dependencies"]["dev"]}


def test_every_entry_is_an_exact_pin_with_hashes() -> None:
    for lock in (PRODUCTION, DEVELOPMENT):
        for entry in entries(lock):
            assert PIN.match(entry), f"{lock.name}: not an exact pin: {entry.splitlines()[0]}"
            assert "--hash=sha256:" in entry, f"{lock.name}: no hash for {entry.splitlines()[0]}"


def test_every_direct_dependency_is_locked_where_it_belongs() -> None:
    production, development = pins(PRODUCTION), pins(DEVELOPMENT)
    for spec in pyproject()["run"]:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in production, f"{name} is a dependency but not in production.txt"
        assert requirement.specifier.contains(production[name]), (name, production[name])
    for spec in pyproject()["dev"]:
        name = canonicalize_name(Requirement(spec).name)
        assert name in development, f"{name} is a dev dependency but not in development.txt"


def test_the_two_locks_agree() -> None:
    production, development = pins(PRODUCTION), pins(DEVELOPMENT)
    differ = {n: (v, development.get(n)) for n, v in production.items() if development.get(n) != v}
    assert differ == {}, "development.txt must hold production.txt's pins"


def test_the_tools_of_the_suite_stay_out_of_production() -> None:
    production = pins(PRODUCTION)
    for tool in ("pytest", "playwright", "mypy", "ruff", "schemathesis", "aiosmtpd", "scipy"):
        assert tool not in production, tool


def test_the_makefile_installs_them_with_their_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r $(PROD_LOCK)" in makefile
    assert "pip install --quiet --require-hashes -r $(DEV_LOCK)" in makefile
    assert "run: venv-production" in makefile
    assert "\ntest: venv\n" in makefile
    assert not (ROOT / "requirements.lock").exists()
