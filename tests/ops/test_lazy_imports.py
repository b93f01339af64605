"""matplotlib and NumPy (tens of MiB and over a second a process) are imported only where
they are used: the insights page and the simulator. Starting the web app, resolving every
URL and answering requests leaves them unloaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

HEAVY = ("numpy", "matplotlib", "scipy")

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from mutual.config.wsgi import application
    from django.test import Client
    from django.urls import get_resolver

    def walk(patterns):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry.url_patterns)
            else:
                entry.callback  # imports the view's module
    walk(get_resolver().url_patterns)
    client = Client()
    statuses = [client.get(p).status_code for p in ("/healthz", "/accounts/login/",
                                                    "/api/v1/openapi.json", "/learn/")]
    heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1:]))
    print(json.dumps({"statuses": statuses, "heavy": heavy}))
    """
)


def run(tmp_path: Path, script: str) -> dict[str, object]:
    env = {
        **os.environ,
        "MUTUAL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "mutual.config.settings",
    }
    subprocess.run(
        [sys.executable, "-m", "mutual.cli.main", "manage", "migrate", "-v0"], env=env, check=True
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *HEAVY],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_web_app_starts_and_answers_without_numpy_or_matplotlib(tmp_path: Path) -> None:
    found = run(tmp_path, SCRIPT)
    assert found["statuses"] == [200, 200, 200, 200]
    assert found["heavy"] == []


def test_the_insights_charts_still_bring_them_in(tmp_path: Path) -> None:
    """The counter-check: the same probe sees them once a chart module is imported."""
    found = run(
        tmp_path,
        SCRIPT.replace("walk(get_resolver", "import mutual.insights.charts\nwalk(get_resolver"),
    )
    assert found["heavy"] == ["matplotlib", "numpy"]
