"""Mutual's bench and crash drills (docs/performance.md): ``make bench``, ``make drill``.

Not part of the installed package: they start throw-away PostgreSQL clusters and app
processes with the test suite's helpers (``tests/pgcluster.py``, ``tests/loopback.py``,
``tests/history.py``), so they run from the repository root: ``python -m bench`` and
``python -m bench.drill``.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root: where ``bench`` and ``tests`` are importable from.
ROOT = Path(__file__).resolve().parent.parent

#: The settings of the app processes the bench and the drills start: Mutual's own, with
#: the floor view mounted (``bench/settings.py``).
SETTINGS = "bench.settings"


def importable_env() -> dict[str, str]:
    """What a child process needs in its environment to import ``bench`` and ``tests``
    (and the ``mutual`` the parent imports), wherever it starts."""
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {"PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}
