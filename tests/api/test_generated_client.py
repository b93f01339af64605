"""A client generated from the OpenAPI document (openapi-python-client, as anyone might
generate one) walks the README's session against a live server: sign-up, tokens, a bond,
an invite accepted, a question both answer, the answers revealed. Every answer parses
into the document's models, never into a problem."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .test_readme import CHECK_YOUR_EMAIL, _follow_the_mailed_links

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "mutual_generated_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    if not GENERATOR.exists() and shutil.which("openapi-python-client") is None:
        pytest.fail("openapi-python-client is a development dependency: make venv installs it")
    folder = tmp_path_factory.mktemp("client")
    config = folder / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatter: the generated code as it comes
    done = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(ROOT / "docs" / "openapi.json"),
         "--output-path", str(folder / PACKAGE), "--meta", "none", "--config", str(config)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def call(generated: ModuleType, operation: str, **kwargs: Any) -> Any:
    """Call ``api.<tag>.<operation>.sync_detailed`` and return the parsed model."""
    module = next(
        importlib.import_module(f"{PACKAGE}.api.{tag.name}.{operation}")
        for tag in (Path(generated.__file__).parent / "api").iterdir()
        if (tag / f"{operation}.py").exists()
    )
    answer = module.sync_detailed(**kwargs)
    problem = importlib.import_module(f"{PACKAGE}.models.problem").Problem
    assert not isinstance(answer.parsed, problem), (operation, answer.content[:300])
    assert answer.status_code < 300, (operation, answer.status_code, answer.content[:300])
    return answer.parsed


def test_a_generated_client_walks_the_readme_session(
    generated: ModuleType, live_server: Any, settings: Any
) -> None:
    settings.MUTUAL_API_RATE_AUTH = (1000, 600)
    models = importlib.import_module(f"{PACKAGE}.models")
    base = live_server.url  # the document's paths begin with /api/v1
    anonymous = generated.Client(base_url=base, raise_on_unexpected_status=True)
    people = {
        "alice": ("alice@example.org", "alice walks by the river"),
        "bob": ("bob@example.org", "bob keeps bees on the roof"),
    }
    for email, password in people.values():
        body = models.SignupIn(email=email, password=password)
        assert call(generated, "signup", client=anonymous, body=body).detail == CHECK_YOUR_EMAIL
    _follow_the_mailed_links()
    clients = {}
    for name, (email, password) in people.items():
        created = call(
            generated, "token_create", client=anonymous,
            body=models.TokenIn(email=email, password=password, label="generated client"),
        )  # fmt: skip
        clients[name] = generated.AuthenticatedClient(base_url=base, token=created.token)
    alice, bob = clients["alice"], clients["bob"]

    partners = models.BondInKind("partners")  # the document's enum, as a generated type
    bond = call(generated, "bond_create", client=alice, body=models.BondIn(kind=partners))
    invite = call(generated, "invite_create", client=alice, bond_id=bond.id)
    joined = call(generated, "invite_accept", client=bob, code=invite.code)
    assert joined.status == "active"

    prompts = call(generated, "prompt_list", client=alice, bond_id=bond.id, depth=0, limit=1)
    assert len(prompts.items) == 1
    exchange = call(
        generated, "exchange_open", client=alice, bond_id=bond.id,
        body=models.ExchangeIn(prompt_id=prompts.items[0].id),
    )  # fmt: skip
    first = call(
        generated, "revelation_put", client=alice, exchange_id=exchange.id,
        body=models.RevelationIn(body="Mornings by the water."),
    )  # fmt: skip
    assert first.sealed is True
    second = call(
        generated, "revelation_put", client=bob, exchange_id=exchange.id,
        body=models.RevelationIn(body="The hum of the hives."),
    )  # fmt: skip
    assert second.sealed is False
    seen = call(generated, "exchange_detail", client=alice, exchange_id=exchange.id)
    assert seen.theirs.text == "The hum of the hives."
    assert seen.mine.text == "Mornings by the water."

    # A second page through the cursor the document describes.
    call(generated, "token_create", client=anonymous, body=models.TokenIn(
        email=people["alice"][0], password=people["alice"][1], label="second"))  # fmt: skip
    listed = call(generated, "token_list", client=alice, limit=1)
    rest = call(generated, "token_list", client=alice, limit=1, cursor=listed.next_)
    assert {listed.items[0].label, rest.items[0].label} == {"generated client", "second"}
