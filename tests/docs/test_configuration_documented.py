"""Every environment variable the code reads is documented in docs/configuration.md, and
every variable documented there is read by the code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = (
    re.compile(r"os\.environ\.get\(\s*\"([A-Z_]+)\""),
    re.compile(r"os\.environ\[\s*\"([A-Z_]+)\"\s*\]"),
    re.compile(r"_env_bool\(\s*\"([A-Z_]+)\""),
    re.compile(r"_secret\(\s*\"([A-Z_]+)\""),
    re.compile(r"_networks\(\s*\"([A-Z_]+)\""),
    re.compile(r"_env_or_file\(\s*\"([A-Z_]+)\""),
    re.compile(r"_count\(\s*\"([A-Z_]+)\""),
)
NOT_CONFIGURATION = {"DJANGO_SETTINGS_MODULE", "CI"}
#: Helpers that also read ``NAME_FILE``, a file holding the value.
WITH_FILE = re.compile(r"(?:_secret|_env_or_file)\(\s*\"([A-Z_]+)\"")
#: The first cell of a row of the table of variables: `NAME` or `NAME` / `NAME_FILE`.
DOCUMENTED = re.compile(r"^\| *(`[A-Z_]+`(?: */ *`[A-Z_]+`)*) *\|", re.MULTILINE)


def variables_read_by_the_code() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "mutual").rglob("*.py"):
        text = path.read_text()
        for pattern in PATTERNS:
            found.update(pattern.findall(text))
    return found - NOT_CONFIGURATION


def file_variants_read_by_the_code() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "mutual").rglob("*.py"):
        found.update(f"{name}_FILE" for name in WITH_FILE.findall(path.read_text()))
    return found


def variables_documented() -> set[str]:
    text = (ROOT / "docs" / "configuration.md").read_text()
    return {name for cell in DOCUMENTED.findall(text) for name in re.findall(r"`([A-Z_]+)`", cell)}


def test_the_settings_read_the_known_variables() -> None:
    assert {
        "DATABASE_URL",
        "MUTUAL_SECRET_KEY",
        "MUTUAL_MASTER_KEY",
    } <= variables_read_by_the_code()


def test_every_variable_is_documented() -> None:
    documented = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(v for v in variables_read_by_the_code() if f"`{v}`" not in documented)
    assert missing == [], f"undocumented environment variables: {missing}"


def test_the_table_lists_the_known_variables() -> None:
    assert {"DATABASE_URL", "MUTUAL_SECRET_KEY_FILE", "MUTUAL_WORKERS"} <= variables_documented()


def test_every_documented_variable_is_read_by_the_code() -> None:
    read = variables_read_by_the_code() | file_variants_read_by_the_code()
    ignored = sorted(variables_documented() - read)
    assert ignored == [], f"documented but never read: {ignored}"


def test_every_variable_is_a_row_of_the_one_table() -> None:
    """A row left below another section is no longer part of the table: it shows as a
    line of pipes, and no one finds the variable where the others are."""
    lines = (ROOT / "docs" / "configuration.md").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| variable |"))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    table = "\n".join(lines[start:end])
    outside = [
        name
        for cell in DOCUMENTED.findall("\n".join(lines[:start] + lines[end:]))
        for name in re.findall(r"`([A-Z_]+)`", cell)
    ]
    assert outside == [], f"rows outside the table of variables: {outside}"
    assert variables_read_by_the_code() <= set(re.findall(r"`([A-Z_]+)`", table))
