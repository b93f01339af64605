"""Start and stop Mutual app processes (gunicorn) on loopback ports, for tests, the bench
and the drills."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .loopback import Client


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class AppServer:
    """One gunicorn master with its workers on ``127.0.0.1:port``."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str] = field(repr=False)

    @property
    def client(self) -> Client:
        return Client(self.port)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def kill(self) -> None:
        """``kill -9`` the whole process group: master and workers, no goodbye."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def kill_workers(self) -> list[int]:
        """``kill -9`` the worker processes (those running requests); the master forks
        new ones. Returns the pids killed."""
        killed = self.worker_pids()
        for pid in killed:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return killed

    def wait_ready(self, timeout: float = 30.0, *, not_pids: list[int] | None = None) -> None:
        """Wait until the server answers (and, given ``not_pids``, has new workers)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app process exited; see {self.log}")
            fresh = not not_pids or (
                self.worker_pids() and not set(self.worker_pids()) & set(not_pids)
            )
            if fresh:
                try:
                    self.client.get("/static/mutual/mutual.css")
                    return
                except OSError:
                    pass
            time.sleep(0.05)
        raise RuntimeError(f"the app process did not answer within {timeout} s; see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
            except ProcessLookupError:
                pass


def start_app(
    *,
    env: dict[str, str],
    log: Path,
    port: int | None = None,
    workers: int = 1,
    timeout: float = 30.0,
    preload: bool = False,
    serve: bool = False,
) -> AppServer:
    """Start gunicorn serving ``mutual.config.wsgi`` and wait until it answers.

    ``serve`` runs it exactly as production does, through ``mutual serve`` (threaded
    workers, access log); otherwise plain sync workers, ``preload`` warming the master."""
    port = port or free_port()
    full_env = {**os.environ, **env}
    if serve:
        full_env["MUTUAL_WORKERS"] = str(workers)
        command = [sys.executable, "-m", "mutual.cli.main", "serve", "--addr", f"127.0.0.1:{port}"]
    else:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "mutual.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
            *(["--config", "python:mutual.perf.gunicorn_warm"] if preload else []),
        ]
    handle = log.open("ab")
    process = subprocess.Popen(
        command,
        env=full_env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    handle.close()
    server = AppServer(port=port, process=process, log=log, env=full_env)
    try:
        server.wait_ready(timeout)
    except RuntimeError:
        server.kill()
        raise RuntimeError(f"the app did not start:\n{log.read_text()[-2000:]}") from None
    return server
