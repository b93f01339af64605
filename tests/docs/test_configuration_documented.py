"""Every environment variable the code reads is documented in docs/configuration.md."""

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
)
NOT_CONFIGURATION = {"DJANGO_SETTINGS_MODULE", "CI"}


def variables_read_by_the_code() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "mutual").rglob("*.py"):
        text = path.read_text()
        for pattern in PATTERNS:
            found.update(pattern.findall(text))
    return found - NOT_CONFIGURATION


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
