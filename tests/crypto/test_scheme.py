"""Mutual's end-to-end scheme (docs/e2e.md) in Python, and the same scheme in the browser's
JavaScript run under Node: both give the known answers of ``vectors.json``, each opens
what the other sealed, and neither opens what it must not.

Node runs the vendored libsodium exactly as the browser receives it (the files checked
against ``static/vendor/vendor.json``), resolved through a ``node_modules`` of copies
made for the test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mutual.e2e import scheme as s

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
STATIC = ROOT / "src" / "mutual" / "static"
VECTORS = json.loads((HERE / "vectors.json").read_text())
IN, EXPECTED = VECTORS["input"], VECTORS["expected"]


# ---------------------------------------------------------------------------------------
# Python against the known answers


def test_python_gives_the_known_answers() -> None:
    keys = s.password_keys(IN["password"], s.unb64(IN["salt"]))
    sealed, _key = s.seal_text(
        IN["text"], IN["aad"].encode(), key=s.unb64(IN["key"]), nonce=s.unb64(IN["nonce"])
    )
    got = {
        "unwrap": s.b64(keys.unwrap),
        "sign_in": s.b64(keys.sign_in),
        "kdf": s.b64(s.kdf(s.unb64(IN["key"]), 7, "mutualpw")),
        "public": s.b64(s.Identity.of(s.unb64(IN["private"])).public),
        "ciphertext": s.b64(sealed.ciphertext),
        "commitment": s.b64(sealed.commitment),
        "safety_code": s.safety_code(s.unb64(IN["public_a"]), s.unb64(IN["public_b"])),
        "recovery_words": s.recovery_words(s.unb64(IN["key"])),
        "recovery_key": s.b64(s.recovery_key_from(IN["recovery_words_lower"])),
    }
    assert got == EXPECTED


def test_the_kdf_is_libsodiums_own() -> None:
    """``crypto_kdf_derive_from_key`` in libsodium's terms: the same bytes PyNaCl's
    BLAKE2b gives with the subkey number as salt and the context as personalisation."""
    from nacl.bindings import crypto_generichash_blake2b_salt_personal

    key = s.unb64(IN["key"])
    salt = (7).to_bytes(8, "little") + bytes(8)
    person = b"mutualpw" + bytes(8)
    assert s.kdf(key, 7, "mutualpw") == crypto_generichash_blake2b_salt_personal(
        b"", digest_size=32, key=key, salt=salt, person=person
    )
    with pytest.raises(ValueError, match="eight"):
        s.kdf(key, 1, "short")


def test_the_password_gives_two_unrelated_keys_and_needs_its_salt() -> None:
    keys = s.password_keys(IN["password"], s.unb64(IN["salt"]))
    assert keys.unwrap != keys.sign_in
    other_salt = s.password_keys(IN["password"], bytes(16))
    assert other_salt.unwrap != keys.unwrap
    # The same characters composed differently are the same password.
    assert s.password_keys("cafe\u0301", bytes(16)) == s.password_keys("caf\u00e9", bytes(16))
    with pytest.raises(ValueError, match="salt"):
        s.password_keys("x", b"short")


def test_a_private_key_unwraps_with_its_key_and_no_other() -> None:
    me = s.Identity.new()
    password_key, recovery = s.new_recovery_key(), s.new_recovery_key()
    assert s.unwrap_private(s.wrap_private(me.private, password_key), password_key) == me.private
    assert s.unwrap_private(s.wrap_private(me.private, recovery), recovery) == me.private
    with pytest.raises(s.SchemeError):
        s.unwrap_private(s.wrap_private(me.private, password_key), recovery)
    tampered = bytearray(s.wrap_private(me.private, password_key))
    tampered[-1] ^= 1
    with pytest.raises(s.SchemeError):
        s.unwrap_private(bytes(tampered), password_key)


def test_recovery_words_survive_being_written_down() -> None:
    key = s.new_recovery_key()
    words = s.recovery_words(key)
    assert len(words.split("-")) == 13
    # Lower case, spaces, and the letters Crockford's alphabet reads as digits.
    sloppy = words.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert s.recovery_key_from(sloppy) == key
    for bad in ("", words[:-1], words.replace(words[0], "U", 1), "Z" * 52):
        with pytest.raises(s.SchemeError):
            s.recovery_key_from(bad)


# ---------------------------------------------------------------------------------------
# The sealed reveal under attack


def test_a_text_opens_only_with_the_key_committed_to() -> None:
    sealed, key = s.seal_text("What I fear most", b"mutual:v1:revelation:1")
    assert s.open_text(sealed, key, b"mutual:v1:revelation:1") == "What I fear most"
    # A second key for the same ciphertext is refused before any decryption is tried.
    with pytest.raises(s.SchemeError, match="committed"):
        s.open_text(sealed, s.new_recovery_key(), b"mutual:v1:revelation:1")
    # A commitment swapped afterwards (to fit another key) no longer matches the nonce
    # and key of the first: the reader compares with the one stored before the reveal.
    other, other_key = s.seal_text("Something else", b"mutual:v1:revelation:1")
    swapped = s.Sealed(sealed.ciphertext, other.commitment)
    with pytest.raises(s.SchemeError):
        s.open_text(swapped, other_key, b"mutual:v1:revelation:1")
    # Bound to where it belongs: the same bytes do not open as another answer.
    with pytest.raises(s.SchemeError):
        s.open_text(sealed, key, b"mutual:v1:revelation:2")


def test_a_released_key_opens_only_for_the_one_it_was_released_to() -> None:
    alice, bob, eve = s.Identity.new(), s.Identity.new(), s.Identity.new()
    sealed, key = s.seal_text("For Bob", b"aad")
    released = s.release(key, bob.public)
    assert s.open_text(sealed, s.receive(released, bob), b"aad") == "For Bob"
    for stranger in (alice, eve):
        with pytest.raises(s.SchemeError, match="released"):
            s.receive(released, stranger)


def test_the_safety_code_is_the_same_on_both_sides_and_changes_with_either_key() -> None:
    alice, bob, mallory = s.Identity.new(), s.Identity.new(), s.Identity.new()
    code = s.safety_code(alice.public, bob.public)
    assert code == s.safety_code(bob.public, alice.public)
    assert len(code.split()) == 5
    assert s.safety_code(alice.public, mallory.public) != code
    assert s.safety_code(mallory.public, bob.public) != code


# ---------------------------------------------------------------------------------------
# The browser's scheme, under Node


def node() -> str | None:
    return shutil.which("node")


@pytest.fixture(scope="module")
def browser_scheme(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A function that sends one request to ``interop.mjs`` and returns its answer."""
    found = node()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Node.js is needed to run the browser's scheme")
        pytest.skip("Node.js is not installed")
    work = tmp_path_factory.mktemp("e2e-js")
    vendor = STATIC / "vendor" / "libsodium"
    for package, module in (
        ("libsodium-wrappers-sumo", "libsodium-wrappers.mjs"),
        ("libsodium-sumo", "libsodium-sumo.mjs"),
    ):
        home = work / "node_modules" / package
        home.mkdir(parents=True)
        shutil.copy(vendor / module, home / module)
        (home / "package.json").write_text(
            json.dumps({"name": package, "type": "module", "exports": f"./{module}"})
        )
    shutil.copy(STATIC / "mutual" / "e2e.mjs", work / "e2e.mjs")
    shutil.copy(HERE / "interop.mjs", work / "interop.mjs")

    def ask(request: dict[str, Any]) -> dict[str, Any]:
        done = subprocess.run(
            [found, "interop.mjs"],
            cwd=work,
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        answer: dict[str, Any] = json.loads(done.stdout)
        return answer

    return ask


def test_the_browser_gives_the_same_known_answers(browser_scheme: Any) -> None:
    assert browser_scheme({"vectors": IN})["vectors"] == EXPECTED


def test_the_browser_opens_what_python_sealed_and_nothing_else(browser_scheme: Any) -> None:
    bob = s.Identity.new()
    wrap_key = s.new_recovery_key()
    texts = []
    for n, words in enumerate(["Alice's canary: lanternfish", "Ünïcödé 🌊 and more"]):
        sealed, key = s.seal_text(words, f"aad-{n}".encode())
        texts.append(
            {
                "ciphertext": s.b64(sealed.ciphertext),
                "commitment": s.b64(sealed.commitment),
                "released": s.b64(s.release(key, bob.public)),
                "aad": f"aad-{n}",
            }
        )
    # The server releases a key it made up: the commitment refuses it.
    sealed, _real = s.seal_text("Sealed until both answer", b"aad-x")
    forged = s.new_recovery_key()
    texts.append(
        {
            "ciphertext": s.b64(sealed.ciphertext),
            "commitment": s.b64(sealed.commitment),
            "released": s.b64(s.release(forged, bob.public)),
            "aad": "aad-x",
        }
    )
    # A key released to someone else.
    texts.append(
        {**texts[0], "released": s.b64(s.release(s.new_recovery_key(), s.Identity.new().public))}
    )
    answer = browser_scheme(
        {
            "open": {
                "private": s.b64(bob.private),
                "texts": texts,
                "wrapped": s.b64(s.wrap_private(bob.private, wrap_key)),
                "wrap_key": s.b64(wrap_key),
            }
        }
    )
    opened = answer["opened"]
    assert opened[0] == {"text": "Alice's canary: lanternfish"}
    assert opened[1] == {"text": "Ünïcödé 🌊 and more"}
    assert "committed" in opened[2]["error"]
    assert "released" in opened[3]["error"]
    assert answer["unwrapped"] == s.b64(bob.private)


def test_python_opens_what_the_browser_sealed(browser_scheme: Any) -> None:
    alice = s.Identity.new()
    wrap_key = s.new_recovery_key()
    answer = browser_scheme(
        {
            "seal": {
                "public": s.b64(alice.public),
                "wrap_key": s.b64(wrap_key),
                "texts": [{"text": "Bob's canary: driftwood", "aad": "mutual:v1:reply:9"}],
            }
        }
    )
    item = answer["sealed"][0]
    sealed = s.Sealed(s.unb64(item["ciphertext"]), s.unb64(item["commitment"]))
    key = s.receive(s.unb64(item["released"]), alice)
    assert s.open_text(sealed, key, b"mutual:v1:reply:9") == "Bob's canary: driftwood"
    browser_identity = s.Identity.of(
        s.unwrap_private(s.unb64(answer["identity"]["wrapped"]), wrap_key)
    )
    assert s.b64(browser_identity.public) == answer["identity"]["public"]
    assert answer["safety_code"] == s.safety_code(alice.public, browser_identity.public)


# ---------------------------------------------------------------------------------------
# The vendored library is the locked one


def test_the_vendored_files_are_the_locked_ones() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "vendor_js.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lock = json.loads((STATIC / "vendor" / "vendor.json").read_text())
    files = {f for package in lock["packages"].values() for f in package["files"]}
    assert {"libsodium/libsodium-wrappers.mjs", "libsodium/libsodium-sumo.mjs"} <= files


def test_the_lock_check_notices_a_changed_file(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import vendor_js
    finally:
        sys.path.pop(0)
    lock = json.loads((STATIC / "vendor" / "vendor.json").read_text())
    original = vendor_js.VENDOR
    copy = tmp_path / "vendor"
    shutil.copytree(original, copy)
    (copy / "libsodium" / "libsodium-sumo.mjs").write_bytes(b"export default {};\n")
    vendor_js.VENDOR = copy
    try:
        problems = vendor_js.check(lock)
    finally:
        vendor_js.VENDOR = original
    assert problems == ["libsodium-sumo: libsodium/libsodium-sumo.mjs differs from the locked hash"]
