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
) -> AppServer:
    """Start gunicorn serving ``mutual.config.wsgi`` and wait until it answers."""
    port = port or free_port()
    full_env = {**os.environ, **env}
    handle = log.open("ab")
    process = subprocess.Popen(
        [
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
        ],
        env=full_env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    handle.close()
    server = AppServer(port=port, process=process, log=log, env=full_env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app process exited; see {log}:\n{log.read_text()[-2000:]}")
        try:
            server.client.get("/static/mutual/mutual.css")
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"the app process did not answer within {timeout} s; see {log}")
