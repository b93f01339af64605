"""The bounded load generator of ``make bench``: threads, keep-alive ``http.client``,
127.0.0.1 only."""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class LoadResult:
    path: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float] = field(repr=False)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    @property
    def p50_ms(self) -> float:
        return self.percentile(50) * 1000

    @property
    def p99_ms(self) -> float:
        return self.percentile(99) * 1000


def load(
    port: int,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    requests: int,
    concurrency: int,
    max_seconds: float,
) -> LoadResult:
    """GET ``path`` ``requests`` times from ``concurrency`` threads, keep-alive, stopping
    early after ``max_seconds``. A response other than 200 counts as an error."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors = 0
    remaining = requests
    deadline = time.monotonic() + max_seconds
    sent = {"Host": f"{HOST}:{port}", **(headers or {})}

    def take() -> bool:
        nonlocal remaining
        with lock:
            if remaining <= 0 or time.monotonic() > deadline:
                return False
            remaining -= 1
            return True

    def run() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        mine: list[float] = []
        failed = 0
        while take():
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers=sent)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
            mine.append(time.perf_counter() - began)
            failed += not ok
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=run) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    return LoadResult(path, len(latencies), errors, seconds, latencies)
