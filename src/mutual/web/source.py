"""The source of the running Mutual, offered to everyone who uses it (AGPL-3.0, section 13).

The footer's "Source code" link goes to ``MUTUAL_SOURCE_URL`` when the operator publishes
the code elsewhere (a repository of their own, with their changes), and otherwise to
``/source/``, which serves a tarball of the code this process runs: the ``mutual``
package as installed, with the licence, README, build files and docs beside it when they
are there (a checkout). The tarball is built once per version under ``MUTUAL_VAR_DIR``
and is reproducible (sorted, timestamps zeroed). It holds code only: never ``var/``, a
database, a key or a compiled file.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, distribution, version
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponseNotAllowed

PACKAGE = Path(__file__).resolve().parents[1]  # src/mutual or site-packages/mutual
#: Beside the package in a checkout: what builds, tests and documents it.
ROOT_FILES = ("LICENSE", "README.md", "pyproject.toml", "Makefile")
ROOT_DIRS = ("docs", "requirements")
SKIPPED_SUFFIXES = (".pyc", ".pyo", ".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".log")
#: Folders that hold what a process made, never code: a development ``var/`` (keys, a
#: database) may sit inside the package when a command ran from there.
SKIPPED_FOLDERS = {"__pycache__", "var", "node_modules"}
SKIPPED_NAMES = {"secret_key", "master_key"}


def mutual_version() -> str:
    try:
        return version("mutual")
    except PackageNotFoundError:
        return "unknown"


def _root() -> Path | None:
    root = PACKAGE.parents[1]
    return root if (root / "pyproject.toml").is_file() and (root / "src").is_dir() else None


def _files() -> Iterator[tuple[Path, str]]:
    """(file, name in the archive), in a stable order."""
    root = _root()
    inside = "src/mutual" if root else "mutual"
    for path in sorted(PACKAGE.rglob("*")):
        inside_parts = path.relative_to(PACKAGE).parts
        skipped = (
            bool(SKIPPED_FOLDERS & set(inside_parts))
            or path.name in SKIPPED_NAMES
            or path.name.endswith(SKIPPED_SUFFIXES)
        )
        if path.is_file() and not skipped:
            yield path, f"{inside}/{path.relative_to(PACKAGE).as_posix()}"
    if root is None:  # installed from a wheel: its licence is in its metadata
        yield from _licence_files()
        return
    for name in ROOT_FILES:
        if (root / name).is_file():
            yield root / name, name
    for folder in ROOT_DIRS:
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else []:
            if path.is_file():
                yield path, path.relative_to(root).as_posix()


def _licence_files() -> Iterator[tuple[Path, str]]:
    try:
        files = distribution("mutual").files or []
    except PackageNotFoundError:
        return
    for file in files:
        located = Path(str(file.locate()))
        if "licen" in file.name.lower() and located.is_file():
            yield located, file.name


def build_archive(target: Path) -> Path:
    """Write the tarball of the running code to ``target`` (atomically) and return it."""
    prefix = f"mutual-{mutual_version()}"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, name in _files():
            info = tarfile.TarInfo(f"{prefix}/{name}")
            data = path.read_bytes()
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            tar.addfile(info, io.BytesIO(data))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.write_bytes(gzip.compress(buffer.getvalue(), mtime=0))
    partial.replace(target)
    return target


def archive_name() -> str:
    return f"mutual-{mutual_version()}.tar.gz"


def source(request: HttpRequest) -> FileResponse | HttpResponseNotAllowed:
    """``/source/``: the tarball of the code this process runs."""
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    target = Path(settings.VAR_DIR) / "source" / archive_name()
    if not target.is_file():
        build_archive(target)
    return FileResponse(target.open("rb"), as_attachment=True, filename=archive_name())


def source_link(request: HttpRequest) -> dict[str, str]:
    """Template context: where the footer's "Source code" link goes."""
    return {"source_url": settings.MUTUAL_SOURCE_URL or "/source/"}
