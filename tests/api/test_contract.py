"""The OpenAPI document is a tested contract: the committed copy matches what is served,
every resource of the design is in it, and no documentation page loads from elsewhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import ApiClient

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = ".venv/bin/python -m mutual.api.openapi > docs/openapi.json"

#: The resources DESIGN §5 asks for (method, path under /api/v1).
RESOURCES = [
    ("post", "/auth/signup"),
    ("post", "/auth/tokens"),
    ("get", "/auth/tokens"),
    ("delete", "/auth/tokens/{token_id}"),
    ("get", "/me"),
    ("delete", "/me"),
    ("get", "/me/export"),
    ("get", "/bonds"),
    ("post", "/bonds"),
    ("get", "/bonds/{bond_id}"),
    ("post", "/bonds/{bond_id}/invites"),
    ("post", "/invites/{code}/accept"),
    ("post", "/bonds/{bond_id}/ready"),
    ("post", "/bonds/{bond_id}/step-back"),
    ("post", "/bonds/{bond_id}/pause"),
    ("post", "/bonds/{bond_id}/leave"),
    ("get", "/bonds/{bond_id}/prompts"),
    ("get", "/bonds/{bond_id}/exchanges"),
    ("post", "/bonds/{bond_id}/exchanges"),
    ("get", "/exchanges/{exchange_id}"),
    ("put", "/exchanges/{exchange_id}/revelation"),
    ("post", "/revelations/{revelation_id}/responses"),
    ("put", "/revelations/{revelation_id}/rating"),
    ("post", "/revelations/{revelation_id}/withdraw"),
    ("post", "/revelations/{revelation_id}/breach"),
    ("get", "/bonds/{bond_id}/checkins"),
    ("post", "/bonds/{bond_id}/checkins"),
    ("get", "/bonds/{bond_id}/differences"),
    ("post", "/bonds/{bond_id}/differences"),
    ("get", "/bonds/{bond_id}/insights"),
]


@pytest.fixture
def served(api: ApiClient) -> dict[str, Any]:
    response = api.client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def test_the_committed_document_matches_the_served_one(served: dict[str, Any]) -> None:
    committed = json.loads((ROOT / "docs" / "openapi.json").read_text())
    assert committed == served, f"docs/openapi.json is out of date; regenerate: {REGENERATE}"


def test_the_regeneration_command_is_documented() -> None:
    assert REGENERATE in (ROOT / "docs" / "api.md").read_text()


@pytest.mark.parametrize(("method", "path"), RESOURCES)
def test_every_designed_resource_is_in_the_document(
    served: dict[str, Any], method: str, path: str
) -> None:
    assert method in served["paths"].get("/api/v1" + path, {}), f"{method.upper()} {path}"


def test_errors_are_documented_as_problem_json(served: dict[str, Any]) -> None:
    for path, item in served["paths"].items():
        for method, operation in item.items():
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (
                        method,
                        path,
                        code,
                    )
            assert "429" in operation["responses"], (method, path)


def test_there_are_no_interactive_docs_loading_from_a_cdn(api: ApiClient) -> None:
    assert api.client.get("/api/v1/docs").status_code == 404


def test_an_unknown_api_address_answers_a_problem(api: ApiClient) -> None:
    response = api.client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert "openapi.json" in response.get_json()["detail"]
