"""Charlie is no one in Alice and Bob's bond: every operation that names one of their
objects answers him 404, exactly as if it did not exist, and changes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from mutual.bonds.models import Event

from .conftest import ApiClient
from .world import World

DOCUMENT = json.loads((Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text())

#: A valid body for each operation that takes one, so that only visibility can refuse.
BODIES: dict[str, dict[str, Any]] = {
    "checkin_create": {
        "feeling": "calm", "intensity": 1, "guess_feeling": "calm", "guess_intensity": 1,
    },
    "bond_desire": {"opt_in": True},
    "difference_create": {"topic": "money"},
    "difference_outcome": {"outcome": "understood"},
    "difference_perspective": {"body": "my view"},
    "difference_restatement": {"body": "your view"},
    "difference_understood": {"score": 4},
    "exchange_open": {"prompt_id": "00000000-0000-4000-8000-000000000000"},
    "prompt_create": {"text": "What do you hope for?", "depth": 0, "theme": "dreams"},
    "bond_ready": {"ready": True},
    "report_create": {"kind": "weaponization"},
    "revelation_put": {"body": "charlie writes"},
    "revelation_breach": {"kind": "confidence"},
    "rating_put": {"understood": 7, "validated": 7, "cared": 7},
    "response_create": {"heard": "a", "makes_sense": "b", "care": "c"},
}  # fmt: skip
#: An invite code is a capability: whoever holds it may join. Tokens are per person.
NOT_ABOUT_THE_BOND = {"invite_accept"}

OPERATIONS = [
    (method, path[len("/api/v1") :], operation["operationId"])
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if "{" in path and operation["operationId"] not in NOT_ABOUT_THE_BOND
]


@pytest.mark.parametrize(("method", "path", "operation_id"), OPERATIONS)
def test_charlie_gets_404_for_every_object_of_alice_and_bob(
    api: ApiClient, world: World, method: str, path: str, operation_id: str
) -> None:
    url = re.sub(r"\{(\w+)\}", lambda m: world.ids[m.group(1)][0], path)
    events_before = Event.objects.count()
    body = BODIES.get(operation_id, {} if method != "get" else None)
    answer = api.call(method, url, body, token=world.tokens["charlie"])
    assert answer.status == 404, (method, url, answer.body)
    assert answer.detail == "Not found."
    assert Event.objects.count() == events_before


def test_every_operation_with_a_body_has_one_here() -> None:
    with_body = {
        op["operationId"]
        for item in DOCUMENT["paths"].values()
        for op in item.values()
        if "requestBody" in op and any("{" in p for p in [_path_of(op)])
    }
    assert with_body <= set(BODIES), with_body - set(BODIES)


def _path_of(operation: dict[str, Any]) -> str:
    for path, item in DOCUMENT["paths"].items():
        if operation in item.values():
            return str(path)
    return ""
