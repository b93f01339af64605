"""``make bench``, the end-to-end section: what the scheme of docs/e2e.md costs a device.

In Python (PyNaCl, as the ``mutual`` command runs it) and in Chromium (the vendored
libsodium, as a browser runs it): deriving both keys from a password at sign-in
(Argon2id, 64 MiB), and, as a real sign-in does it, at the limits the app's own
settings give new keys (``accounts.keys.limits()``, as a salt lookup answers them):
deriving from the lookup's answer and unwrapping the private key; and, per answer of
2,000 characters, sealing it under a fresh key with its commitment and releasing the key
to both people, then opening it. Figures are for information: the budgets of DESIGN §7
are about the server.
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
PHRASE = "a long sign-in phrase"


def signup_limits() -> dict[str, int]:
    """The Argon2id limits real sign-ups make keys with: ``accounts.keys.limits()`` under
    the app's own settings (``bench/settings.py``, those of production), not the least
    ones the test suite lowers them to."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from mutual.accounts import keys

    return keys.limits()


def _median_ms(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def python_costs(quick: bool, limits: dict[str, int]) -> dict[str, float]:
    from mutual.e2e import scheme as s

    alice, bob = s.Identity.new(), s.Identity.new()
    salt = s.new_salt()
    lookup: dict[str, Any] = {"version": s.VERSION, "salt": s.b64(salt), **limits}
    wrapped = s.wrap_private(alice.private, s.password_keys(PHRASE, salt, **limits).unwrap)

    def sign_in() -> bytes:
        # What ``mutual.e2e.client.sign_in`` does with the salt lookup's answer.
        derived = s.password_keys(
            PHRASE,
            s.unb64(lookup["salt"]),
            opslimit=int(lookup["opslimit"]),
            memlimit=int(lookup["memlimit"]),
        )
        private = s.unwrap_private(wrapped, derived.unwrap)
        assert s.Identity.of(private).public == alice.public
        return derived.sign_in

    aad = b"mutual:v1:revelation:bench"

    def seal() -> tuple[Any, bytes, bytes]:
        sealed, key = s.seal_text(ANSWER, aad)
        return sealed, s.release(key, alice.public), s.release(key, bob.public)

    sealed, _mine, theirs = seal()
    return {
        "password keys": _median_ms(lambda: s.password_keys(PHRASE, salt), 3 if quick else 7),
        "sign-in at the sign-up limits": _median_ms(sign_in, 3 if quick else 7),
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
window.bench = async (answer, repeats, derives, limits) => {
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
  // As the sign-in page does it (keys.mjs): derive from the salt lookup's answer; then
  // unwrap the private key, as the page that opens the keys does.
  const lookup = JSON.parse(JSON.stringify({ version: 1, salt: e2e.b64(salt), ...limits }));
  const wrapped = e2e.wrapPrivate(
    alice.private, e2e.passwordKeys("a long sign-in phrase", salt, limits).unwrap);
  const signIn = () => {
    const derived = e2e.passwordKeys("a long sign-in phrase", e2e.unb64(lookup.salt), lookup);
    const opened = e2e.identityOf(e2e.unwrapPrivate(wrapped, derived.unwrap));
    if (e2e.b64(opened.public) !== e2e.b64(alice.public)) throw new Error("not opened");
    return derived.signIn;
  };
  return {
    "password keys": time(() => e2e.passwordKeys("a long sign-in phrase", salt), derives),
    "sign-in at the sign-up limits": time(signIn, derives),
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


def browser_costs(quick: bool, limits: dict[str, int]) -> dict[str, float]:
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
                "([a, n, d, l]) => window.bench(a, n, d, l)",
                [ANSWER, 20 if quick else 200, 3 if quick else 7, limits],
            )
        finally:
            browser.close()
    return found


def _limits_words(limits: dict[str, int]) -> str:
    return f"{limits['opslimit']} passes, {limits['memlimit'] // (1024 * 1024)} MiB"


def e2e_section(quick: bool) -> list[Measurement]:
    limits = signup_limits()
    rows = []
    measured = (
        ("Python", python_costs(quick, limits)),
        ("Chromium", browser_costs(quick, limits)),
    )
    for where, costs in measured:
        for name, ms in costs.items():
            detail = {
                "password keys": "Argon2id (2 passes, 64 MiB) and two subkeys, at each sign-in",
                "sign-in at the sign-up limits": (
                    f"as a sign-in does it: Argon2id at the limits real sign-ups use "
                    f"({_limits_words(limits)}), two subkeys, the private key unwrapped"
                ),
                "seal and release": "2,000 characters, fresh key, commitment, key sealed to both",
                "open": "unseal the key, check the commitment, decrypt",
            }[name]
            rows.append(Measurement(f"{where}: {name}", round(ms, 3), "ms", None, detail))
    return rows


if __name__ == "__main__":
    found = signup_limits()
    print(
        json.dumps(
            {
                "limits": found,
                "python": python_costs(True, found),
                "chromium": browser_costs(True, found),
            },
            indent=1,
        )
    )
