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
CHECK_YOUR_EMAIL = (
    "Check your email: follow the link we sent to confirm the address, then create a "
    "token with POST /api/v1/auth/tokens."
)
#: Where the walk-through leaves the terminal for the mailbox.
FOLLOW_THE_LINK = "# Follow the link in each email"


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


def _run(script: str, base: str) -> list[str]:
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        env={**os.environ, "BASE": base},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()


def _follow_the_mailed_links() -> None:
    """What Alice and Bob do between the two parts: open the link in their mail."""
    from django.core import mail
    from django.test import Client

    links = [
        re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", m.body) for m in mail.outbox
    ]
    assert len(links) == 2
    for link in links:
        assert link is not None
        assert Client().post(link.group(1)).status_code == 302


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_walkthrough_runs_against_a_live_server(live_server: Any, settings: Any) -> None:
    settings.MUTUAL_API_RATE_AUTH = (1000, 600)
    script = walkthrough()
    assert FOLLOW_THE_LINK in script
    sign_up, rest = script.split(FOLLOW_THE_LINK, 1)
    preamble = sign_up.split("# Sign up.", 1)[0]
    base = f"{live_server.url}/api/v1"
    lines = _run(sign_up, base)
    _follow_the_mailed_links()
    lines += _run(preamble + FOLLOW_THE_LINK + rest, base)
    assert lines == [*[CHECK_YOUR_EMAIL] * 2, "active", "True", "False", "The hum of the hives."]
