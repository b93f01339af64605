"""Contracts of the engine that a reviewer would otherwise have to remember: its public
names, its purity, and the link between docs/engine.md and these tests."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import mutual.engine

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "src" / "mutual" / "engine"
DOC = ROOT / "docs" / "engine.md"

EXPECTED_PUBLIC_NAMES = [
    "DEFAULT_PARAMS",
    "DEPTHS",
    "EVENT_TYPES",
    "FEELINGS",
    "INTENSITIES",
    "MAX_DEPTH",
    "OPT_IN_THEMES",
    "OWN_REASONS",
    "REASONS",
    "SCHEMA_VERSION",
    "SIDES",
    "THEMES",
    "Balance",
    "BondState",
    "BreachReported",
    "CheckedIn",
    "DeceptionConfirmed",
    "Event",
    "GateReason",
    "GateStatus",
    "Outcome",
    "Params",
    "Rated",
    "ReadinessChanged",
    "RepairRound",
    "Revealed",
    "SafetyModeLeft",
    "Side",
    "SideState",
    "SteppedBack",
    "Trust",
    "TrustView",
    "WeaponizationReported",
    "apply",
    "attunement",
    "balance",
    "beta_cdf",
    "beta_ppf",
    "breadth",
    "can_answer",
    "checkin_accuracy",
    "classify",
    "closeness",
    "core_time_holds",
    "decay",
    "effective_trust",
    "event_from_dict",
    "event_to_dict",
    "fade",
    "feeling_point",
    "fold",
    "gate",
    "honored_depths",
    "honored_exposure",
    "index_shown",
    "is_ready",
    "lapsed",
    "lower_bound_reaches",
    "mutual_cells",
    "mutual_index",
    "mutual_vulnerability",
    "new_bond",
    "nudges_allowed",
    "other",
    "present_exposure",
    "readiness",
    "responsiveness",
    "scar_at",
    "shared_gate",
    "shared_trust",
    "stake",
    "state_from_dict",
    "state_to_dict",
    "trust",
    "trust_delta",
]


def test_public_names_are_exactly_the_documented_ones() -> None:
    assert mutual.engine.__all__ == EXPECTED_PUBLIC_NAMES


def test_every_public_name_is_importable() -> None:
    for name in EXPECTED_PUBLIC_NAMES:
        assert getattr(mutual.engine, name, None) is not None, name
    namespace: dict[str, object] = {}
    exec("from mutual.engine import *", namespace)  # noqa: S102
    assert set(EXPECTED_PUBLIC_NAMES) <= set(namespace)


def test_every_public_name_appears_in_the_doc() -> None:
    doc = DOC.read_text(encoding="utf-8")
    missing = [name for name in EXPECTED_PUBLIC_NAMES if f"`{name}`" not in doc]
    assert missing == []


def _imports(path: Path) -> list[tuple[str, int]]:
    """(module, level) of every import in a source file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_engine_source_imports_only_the_standard_library() -> None:
    outside = []
    for path in sorted(ENGINE.glob("*.py")):
        for module, level in _imports(path):
            top = module.split(".")[0]
            if level == 0 and top not in sys.stdlib_module_names:
                outside.append(f"{path.name}: {module}")
    assert outside == []


def test_importing_the_engine_loads_nothing_but_the_standard_library() -> None:
    """In a fresh interpreter, importing the engine loads no other package at all."""
    probe = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        "import mutual.engine\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src")},
    )
    loaded = json.loads(result.stdout)
    outside = [
        name
        for name in loaded
        if name.split(".")[0] not in sys.stdlib_module_names
        and name != "mutual"
        and not name.startswith("mutual.engine")
    ]
    assert "mutual.engine.rules" in loaded
    assert outside == []


def test_every_case_of_the_doc_has_its_test() -> None:
    """Each **Case `name`** and each table id of docs/engine.md is a test or a test id."""
    doc = DOC.read_text(encoding="utf-8")
    cases = set(re.findall(r"\*\*Case `([a-z0-9_]+)`\*\*", doc))
    cases |= set(re.findall(r"^\| `([a-z0-9_]+)` \|", doc, flags=re.MULTILINE))
    assert len(cases) >= 40
    sources = "\n".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("*.py"))
    tests = set(re.findall(r"def (test_[a-z0-9_]+)\(", sources))
    ids = set(re.findall(r"[\"']([a-z0-9_]+)[\"']", sources))
    missing = sorted(c for c in cases if f"test_{c}" not in tests and c not in ids)
    assert missing == []


def test_the_example_at_the_top_of_the_doc_runs_as_written() -> None:
    doc = DOC.read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", doc, flags=re.DOTALL)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(code.group(1), namespace)  # noqa: S102
    state = namespace["state"]
    at = namespace["at"]
    assert isinstance(state, mutual.engine.BondState)
    assert isinstance(at, datetime)
    assert round(mutual.engine.trust(state, "a", at).expected, 4) == 0.5588
    assert "# 0.5588" in code.group(1)
    reasons = mutual.engine.gate(state, at).reasons
    assert f"# {reasons!r}" in code.group(1)
    assert mutual.engine.mutual_index(state, at) == 0.0
    assert "# 0.0: Bob" in code.group(1)
