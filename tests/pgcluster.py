"""A throw-away PostgreSQL cluster for the test run (a pytest plugin: ``-p pgcluster``).

Started when this plugin is imported — before pytest-django configures Django — when
``MUTUAL_TEST_DB=postgres``; it lives in a
temporary directory, listens on a Unix socket only and is removed when the run ends.
Under ``pytest -n`` (pytest-xdist) the main process starts it and the workers use it.
When the server binaries are missing the PostgreSQL run is skipped locally and fails in
CI (``CI=true``).
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path


def find_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class Cluster:
    bindir: Path
    root: Path
    as_user: list[str]

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    @property
    def url(self) -> str:
        return f"postgres://postgres@/mutual?host={self.socket_dir}"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True)

    def start(self) -> None:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.datadir),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.datadir),
            "-w",
            "-l",
            str(self.root / "log"),
            "-o",
            f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off -c max_connections=60",
            "start",
        )
        self._run(
            str(self.bindir / "createdb"), "-h", str(self.socket_dir), "-U", "postgres", "mutual"
        )

    def stop(self) -> None:
        subprocess.run(
            [
                *self.as_user,
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> Cluster | None:
    bindir = find_bindir()
    if bindir is None:
        return None
    root = Path(tempfile.mkdtemp(prefix="mutual-pg-"))
    root.chmod(0o755)
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    cluster = Cluster(bindir=bindir, root=root, as_user=as_user)
    cluster.start()
    return cluster


def _start_if_asked() -> None:
    if os.environ.get("MUTUAL_TEST_DB") != "postgres" or "DATABASE_URL" in os.environ:
        return
    cluster = start_cluster()
    if cluster is None:
        message = "PostgreSQL server binaries are not installed"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            raise RuntimeError(message + " (CI=true: a missing database is a failure)")
        warnings.warn(message + "; this run falls back to SQLite", stacklevel=1)
        return
    os.environ["DATABASE_URL"] = cluster.url
    atexit.register(cluster.stop)


# Keep test runs away from the developer's var/ directory (before settings load).
os.environ.setdefault("MUTUAL_VAR_DIR", tempfile.mkdtemp(prefix="mutual-test-var-"))
if "PYTEST_XDIST_WORKER" in os.environ:
    # A worker of ``pytest -n``: keys, static files and the like of its own, in the run's
    # directory; the cluster is the one the main process started (``DATABASE_URL``), and
    # pytest-django gives each worker its own test database on it.
    _worker_dir = Path(os.environ["MUTUAL_VAR_DIR"], os.environ["PYTEST_XDIST_WORKER"])
    _worker_dir.mkdir(parents=True, exist_ok=True)
    os.environ["MUTUAL_VAR_DIR"] = str(_worker_dir)
_start_if_asked()
