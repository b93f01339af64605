"""Everyone who uses Mutual is offered its source (AGPL-3.0, section 13): a LICENSE file,
a "Source code" link in every page's footer, and ``/source/`` serving the running code."""

from __future__ import annotations

import io
import re
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from mutual.web import source

ROOT = Path(__file__).resolve().parents[2]


def test_the_licence_is_the_agpl_3_in_full() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    assert "Version 3, 19 November 2007" in text
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert text.rstrip().endswith("<http://www.gnu.org/licenses/>.")
    assert len(text.splitlines()) == 661


def test_pyproject_names_the_same_licence() -> None:
    assert 'license = "AGPL-3.0-or-later"' in (ROOT / "pyproject.toml").read_text()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/learn/"])
def test_every_page_links_to_the_source(client: Client, path: str) -> None:
    page = client.get(path).content.decode()
    assert re.search(r'<a href="/source/">Source code</a>', page), path


@pytest.mark.django_db
def test_the_operator_may_point_the_link_elsewhere(client: Client, settings: Any) -> None:
    settings.MUTUAL_SOURCE_URL = "https://code.example.org/our-mutual"
    page = client.get("/accounts/login/").content.decode()
    assert '<a href="https://code.example.org/our-mutual">Source code</a>' in page


@pytest.mark.django_db
def test_source_serves_the_running_code(client: Client, settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    answer = client.get("/source/")
    assert answer.status_code == 200
    name = source.archive_name()
    assert answer["Content-Disposition"] == f'attachment; filename="{name}"'
    body = b"".join(answer.streaming_content)  # type: ignore[attr-defined]
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as tar:
        names = tar.getnames()
        settings_py = tar.extractfile(f"{name[:-7]}/src/mutual/config/settings.py")
        assert settings_py is not None
        assert settings_py.read() == (ROOT / "src/mutual/config/settings.py").read_bytes()
    prefix = name[: -len(".tar.gz")]
    assert {f"{prefix}/LICENSE", f"{prefix}/pyproject.toml", f"{prefix}/docs/deploy.md"} <= set(
        names
    )
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", "key", ".sqlite3"))]
    assert not [n for n in names if "/var/" in n]
    # Built once: the second answer is the same file.
    again = b"".join(client.get("/source/").streaming_content)  # type: ignore[attr-defined]
    assert again == body


def test_the_archive_is_reproducible(tmp_path: Path) -> None:
    one = source.build_archive(tmp_path / "one.tar.gz").read_bytes()
    two = source.build_archive(tmp_path / "two.tar.gz").read_bytes()
    assert one == two


@pytest.mark.django_db
def test_source_answers_only_reads(client: Client) -> None:
    assert client.post("/source/").status_code == 405


def test_what_a_process_made_inside_the_package_stays_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command run from inside the package makes ``var/`` there (keys, a database)."""
    package = tmp_path / "site" / "mutual"
    (package / "var").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "var" / "secret_key").write_text("never published")
    (package / "var" / "mutual.sqlite3").write_text("never published")
    (package / "master_key").write_text("never published")
    monkeypatch.setattr(source, "PACKAGE", package)
    archive = source.build_archive(tmp_path / "out.tar.gz")
    with tarfile.open(archive, mode="r:gz") as tar:
        names = [n.split("/", 1)[1] for n in tar.getnames()]
    assert "mutual/__init__.py" in names
    assert not [n for n in names if "var" in n or "key" in n]
