"""The README's API walk-through runs, line for line, against a live server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
ACCOUNT_READY = "Account ready. Create a token with POST /api/v1/auth/tokens."


def walkthrough() -> str:
    text = README.read_text()
    section = text.split("## API walk-through", 1)[1]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match, "the README's API walk-through has no sh block"
    return match.group(1)


def test_the_walkthrough_uses_the_documented_resources() -> None:
    script = walkthrough()
    for path in (
        "/auth/signup",
        "/auth/tokens",
        "/bonds",
        "/invites/",
        "/exchanges",
        "/revelation",
    ):
        assert path in script


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_walkthrough_runs_against_a_live_server(live_server: Any, settings: Any) -> None:
    settings.MUTUAL_API_RATE_AUTH = (1000, 600)
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", walkthrough()],
        env={**os.environ, "BASE": f"{live_server.url}/api/v1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines == [*[ACCOUNT_READY] * 2, "active", "True", "False", "The hum of the hives."]
