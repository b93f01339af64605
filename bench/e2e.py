"""``make bench``, the end-to-end section: what the scheme of docs/e2e.md costs a device.

In Python (PyNaCl, as the ``mutual`` command runs it) and in Chromium (the vendored
libsodium, as a browser runs it): deriving both keys from a password at sign-in
(Argon2id, 64 MiB), and, per answer of 2,000 characters, sealing it under a fresh key
with its commitment and releasing the key to both people, then opening it. Figures are
for information: the budgets of DESIGN §7 are about the server.
"""

from __future__ import annotations

import http.server
import json
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .budgets import Measurement

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "mutual" / "static"
ANSWER = ("Something I have never quite said out loud: " * 50)[:2000]


def _median_ms(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def python_costs(quick: bool) -> dict[str, float]:
    from mutual.e2e import scheme as s

    alice, bob = s.Identity.new(), s.Identity.new()
    salt = s.new_salt()
    aad = b"mutual:v1:revelation:bench"

    def seal() -> tuple[Any, bytes, bytes]:
        sealed, key = s.seal_text(ANSWER, aad)
        return sealed, s.release(key, alice.public), s.release(key, bob.public)

    sealed, _mine, theirs = seal()
    return {
        "password keys": _median_ms(
            lambda: s.password_keys("a long sign-in phrase", salt), 3 if quick else 7
        ),
        "seal and release": _median_ms(seal, 20 if quick else 200),
        "open": _median_ms(
            lambda: s.open_text(sealed, s.receive(theirs, bob), aad), 20 if quick else 200
        ),
    }


PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{"imports": {
  "libsodium-wrappers-sumo": "/vendor/libsodium/libsodium-wrappers.mjs",
  "libsodium-sumo": "/vendor/libsodium/libsodium-sumo.mjs"}}</script>
<script type="module">
import * as e2e from "/mutual/e2e.mjs";
window.bench = async (answer, repeats, derives) => {
  await e2e.ready();
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const time = (work, n) => { const xs = []; for (let i = 0; i < n; i++) {
    const t = performance.now(); work(); xs.push(performance.now() - t); } return median(xs); };
  const alice = e2e.newIdentity(), bob = e2e.newIdentity();
  const aad = new TextEncoder().encode("mutual:v1:revelation:bench");
  const salt = new Uint8Array(16);
  const seal = () => { const { sealed, key } = e2e.sealText(answer, aad);
    return [sealed, e2e.release(key, alice.public), e2e.release(key, bob.public)]; };
  const [sealed, , theirs] = seal();
  return {
    "password keys": time(() => e2e.passwordKeys("a long sign-in phrase", salt), derives),
    "seal and release": time(seal, repeats),
    "open": time(() => e2e.openText(sealed, e2e.receive(theirs, bob), aad), repeats),
  };
};
window.benchReady = true;
</script></head><body>bench</body></html>"""


@contextmanager
def _served() -> Iterator[str]:
    """The vendored library, the scheme and the page above, on a loopback port."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(STATIC / "vendor", root / "vendor")
        (root / "mutual").mkdir()
        shutil.copy(STATIC / "mutual" / "e2e.mjs", root / "mutual" / "e2e.mjs")
        (root / "index.html").write_text(PAGE)

        class Quiet(http.server.SimpleHTTPRequestHandler):
            extensions_map = {  # noqa: RUF012 - the base class's own attribute
                **http.server.SimpleHTTPRequestHandler.extensions_map,
                ".mjs": "text/javascript",
            }

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(root), **kwargs)

            def log_message(self, *args: Any) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
        finally:
            server.shutdown()
            server.server_close()


def browser_costs(quick: bool) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with _served() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            page.goto(url)
            page.wait_for_function("window.benchReady === true")
            found: dict[str, float] = page.evaluate(
                "([a, n, d]) => window.bench(a, n, d)",
                [ANSWER, 20 if quick else 200, 3 if quick else 7],
            )
        finally:
            browser.close()
    return found


def e2e_section(quick: bool) -> list[Measurement]:
    rows = []
    for where, costs in (("Python", python_costs(quick)), ("Chromium", browser_costs(quick))):
        for name, ms in costs.items():
            detail = {
                "password keys": "Argon2id (2 passes, 64 MiB) and two subkeys, at each sign-in",
                "seal and release": "2,000 characters, fresh key, commitment, key sealed to both",
                "open": "unseal the key, check the commitment, decrypt",
            }[name]
            rows.append(Measurement(f"{where}: {name}", round(ms, 3), "ms", None, detail))
    return rows


if __name__ == "__main__":
    print(json.dumps({"python": python_costs(True), "chromium": browser_costs(True)}, indent=1))
