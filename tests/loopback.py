"""Mutual app processes (gunicorn) on loopback ports, and a small HTTP/1.1 client to talk
to them (``http.client``, with cookies and CSRF forms). Nothing leaves 127.0.0.1.

Used by the tests that run real app processes and, from the repository root, by the bench
and the crash drills (``bench/``).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

HOST = "127.0.0.1"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass
class Client:
    """One person's browser or API client against one app process. Cookies are kept by
    name whatever their ``Secure`` flag: the server is on loopback, TLS is the proxy's."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    #: The ``Host`` header; behind a proxy every process sees the same one.
    host: str = ""

    def on(self, port: int) -> Client:
        """The same person (same cookies) talking to another app process."""
        return Client(port, self.cookies, self.timeout, self.host)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            sent = {"Host": self.host or f"{HOST}:{self.port}", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(value)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        finally:
            conn.close()

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, fields: dict[str, str], *, form_page: str = "") -> Answer:
        """Load the form page for its CSRF token, then post ``fields`` with it."""
        page = self.get(form_page or path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        token = match.group(1) if match else ""
        body = urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        return self.request(
            "POST",
            path,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{self.port}{form_page or path}",
            },
        )

    def json(
        self, method: str, path: str, payload: object = None, token: str | None = None
    ) -> Answer:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        return self.request(method, path, body, headers)


# -------------------------------------------------------------------------------------
# App processes on loopback ports


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
    serve: bool = False,
    gunicorn_args: Sequence[str] = (),
    serve_args: Sequence[str] = (),
) -> AppServer:
    """Start gunicorn serving ``mutual.config.wsgi`` and wait until it answers.

    ``serve`` runs it exactly as production does, through ``mutual serve`` (threaded
    workers, no access log unless asked, given ``serve_args`` too); otherwise plain sync
    workers, given ``gunicorn_args``."""
    port = port or free_port()
    full_env = {**os.environ, **env}
    if serve:
        full_env["MUTUAL_WORKERS"] = str(workers)
        command = [
            sys.executable, "-m", "mutual.cli.main", "serve", "--addr", f"127.0.0.1:{port}",
            *serve_args,
        ]  # fmt: skip
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
            *gunicorn_args,
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
