"""Front-end packages, vendored into Mutual's static files from the npm registry.

``src/mutual/static/vendor/vendor.json`` is the lock: for each package its version, the
registry's integrity hash of the package tarball, and the SHA-256 of every file taken
from it. Browsers load only these copies (never another origin).

    python scripts/vendor_js.py          # fetch each locked tarball, check it, copy the files
    python scripts/vendor_js.py --check  # check the copies against the lock (no network)

To move a package to a new version, change its version and integrity in the lock
(``npm view <name>@<version> dist.integrity``) and run the script: it refuses a tarball
whose hash differs, then writes the new files' hashes.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "src" / "mutual" / "static" / "vendor"
LOCK = VENDOR / "vendor.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(lock: dict) -> list[str]:
    """What differs between the vendored files and the lock (empty when all match)."""
    problems = []
    for name, package in lock["packages"].items():
        for target, digest in package["files"].items():
            path = VENDOR / target
            if not path.exists():
                problems.append(f"{name}: {target} is missing")
            elif sha256(path) != digest:
                problems.append(f"{name}: {target} differs from the locked hash")
    return problems


def fetch(lock: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, package in lock["packages"].items():
            spec = f"{name}@{package['version']}"
            subprocess.run(
                ["npm", "pack", spec, "--silent"], cwd=tmp, check=True, capture_output=True
            )
            tarball = next(Path(tmp).glob(f"{name}-{package['version']}.tgz"))
            algorithm, expected = package["integrity"].split("-", 1)
            digest = base64.b64encode(
                hashlib.new(algorithm, tarball.read_bytes()).digest()
            ).decode()
            if digest != expected:
                raise SystemExit(f"{spec}: the tarball's {algorithm} is not the locked one")
            with tarfile.open(tarball) as archive:
                for target, source in package["from"].items():
                    member = archive.extractfile(f"package/{source}")
                    assert member is not None, source
                    out = VENDOR / target
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(member.read())
                    package["files"][target] = sha256(out)
    LOCK.write_text(json.dumps(lock, indent=2) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check the copies, fetch nothing")
    args = parser.parse_args()
    lock = json.loads(LOCK.read_text())
    if not args.check:
        fetch(lock)
    problems = check(lock)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
