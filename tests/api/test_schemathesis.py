"""schemathesis over the whole API with Alice's and Bob's tokens and every check it has:
no 5xx, every answer as the OpenAPI document says, every request the document calls valid
accepted (or refused only for the state it meets: 404 for what is not the persona's, 409
for a state that forbids it, 429 for a limit), every request it calls invalid refused, and
no answer shows anything of another person's that it must not. A bounded run here (part
of ``make test``); ``make fuzz`` runs many more examples (MUTUAL_FUZZ_EXAMPLES)."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.config._checks import PositiveDataAcceptanceConfig
from schemathesis.core.parameters import ParameterLocation

from .world import CASES, World, leaks

EXAMPLES = int(os.environ.get("MUTUAL_FUZZ_EXAMPLES", "6"))

LONG = "MUTUAL_FUZZ_EXAMPLES" in os.environ

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# The bounded run keeps to the examples and random fuzzing; the long run adds the coverage
# phase (every boundary and negative case the document allows).
# Valid input may still meet a state that refuses it: an id that is not the persona's
# (404), a step already taken or a bond that is not active (409), a limit (429).
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=["2xx", "401", "403", "404", "409", "429"]
)
schema.config.phases.update(
    phases=["examples", "coverage", "fuzzing"] if LONG else ["examples", "fuzzing"]
)


@pytest.fixture(autouse=True)
def _generous_rates(settings: Any) -> None:
    settings.MUTUAL_API_RATE_TOKEN = (100_000, 60)
    settings.MUTUAL_API_RATE_AUTH = (100_000, 60)


@pytest.fixture(params=["alice", "bob"])
def persona(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("MUTUAL_FUZZ_RANDOM") is None,
    suppress_health_check=list(HealthCheck),
)
def test_api_keeps_its_contract_and_its_secrets(case: Any, world: World, persona: str) -> None:
    meta = case._meta
    if meta is None or not meta.is_negative_at(ParameterLocation.PATH):
        world.aim(case)
    headers = {"Authorization": f"Bearer {world.tokens[persona]}"}
    if meta is not None and meta.is_negative_at(ParameterLocation.HEADER):
        headers = {}  # the generated, invalid header is the point of this case
    CASES[(f"{case.operation.method.upper()} {case.operation.path}", persona)] += 1
    response = case.call_and_validate(
        headers=headers,
        # Valid input may still meet a state that refuses it (409) or an id that is not
        # the persona's (404): acceptance of valid data is not a rule of this API.
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
    assert response.status_code < 500, response.text
    text = response.content.decode("utf-8", "replace")
    body = (
        json.loads(text)
        if text and response.headers.get("content-type", [""])[0].endswith("json")
        else None
    )
    assert leaks(persona, world, body, text) == []
