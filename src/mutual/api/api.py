"""Mutual's JSON API v1: one NinjaAPI mounted at ``/api/v1/``, with the router of each
feature (``auth``, ``bonds``, ``exchanges``, ``safety``, ``checkins``, ``differences``,
``insights``) added to it.

Endpoints parse their input, call the same services and selectors as the web views, and
shape the answer; they decide nothing about rules or visibility themselves.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.parser import Parser

from . import auth, bonds, checkins, differences, exchanges, insights, problems, safety
from .problems import PROBLEM_TYPE, Problem

DESCRIPTION = """\
Mutual helps two people build closeness as mutual vulnerability. Authenticate with a
bearer token from `POST /auth/tokens`. Errors are `application/problem+json` (RFC 9457).
Anything you may not see answers 404, exactly as if it did not exist. Lists are
paginated by an opaque `cursor`: pass the previous page's `next`.
"""

#: Error answers every operation may give, added to the document in one place.
COMMON_ERRORS = {
    "401": "No valid bearer token.",
    "404": "Not found, or not yours to see.",
    "422": "The input is not valid; nothing was changed.",
    "429": "Too many requests; see Retry-After.",
}
OPTIONAL_ERRORS = {
    "400": "The body is not JSON; nothing was changed.",
    "403": "A fresh sign-in is needed for this action.",
    "409": "Not possible in the current state; nothing was changed.",
}


class MutualApi(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        response["Cache-Control"] = "no-store"
        return response

    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = _problem_schema()
        ref = {"$ref": "#/components/schemas/Problem"}
        for item in schema.get("paths", {}).values():
            for method, operation in item.items():
                if method != "get":
                    operation.setdefault("x-errors", []).extend(["400", "409"])
                responses = {str(k): v for k, v in operation.get("responses", {}).items()}
                operation["responses"] = responses
                for code, response in list(responses.items()):
                    if int(code) >= 400:
                        responses[code] = _problem_response(response.get("description", ""), ref)
                for code, text in COMMON_ERRORS.items():
                    responses.setdefault(code, _problem_response(text, ref))
                wanted = operation.pop("x-errors", [])
                for code, text in OPTIONAL_ERRORS.items():
                    if code in wanted:
                        responses.setdefault(code, _problem_response(text, ref))
                responses["429"]["headers"] = {
                    "Retry-After": {
                        "description": "Seconds to wait before trying again.",
                        "schema": {"type": "integer"},
                    }
                }
        return schema


def _problem_schema() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions = schema.pop("$defs", {})
    for name, sub in definitions.items():
        schema.setdefault("properties", {})
        # FieldError is small: inline it so the Problem schema stands alone.
        for prop in schema["properties"].values():
            _inline(prop, name, sub)
    return schema


def _inline(node: Any, name: str, sub: dict[str, Any]) -> None:
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if key == "$ref" and value.endswith("/" + name):
                node.pop("$ref")
                node.update(sub)
            else:
                _inline(value, name, sub)
    elif isinstance(node, list):
        for value in node:
            _inline(value, name, sub)


def _problem_response(description: str, ref: dict[str, str]) -> dict[str, Any]:
    return {"description": description or "Error", "content": {PROBLEM_TYPE: {"schema": ref}}}


class ObjectBodyParser(Parser):
    """Request bodies are JSON objects; anything else is refused, never read as empty."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data


api = MutualApi(
    title="Mutual API",
    parser=ObjectBodyParser(),
    version="1",
    description=DESCRIPTION,
    docs_url=None,
    urls_namespace="api-v1",
)
problems.install(api)


# The routes of each feature, served (and listed in the document) in this order.
api.add_router("", auth.router)
api.add_router("", bonds.router)
api.add_router("", exchanges.router)
api.add_router("", safety.router)
api.add_router("", checkins.router)
api.add_router("", differences.router)
api.add_router("", insights.router)


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under ``/api/``: a problem document, not an HTML page."""
    response = problems.problem(
        404, gettext("There is no such address in the API. See /api/v1/openapi.json.")
    )
    response["Cache-Control"] = "no-store"
    return response
