"""Load references.json into the Reference table. Called by data migrations with the
historical model, so it must not import the current model class."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REFERENCES_PATH = Path(__file__).resolve().parent / "references.json"
FIELDS = (
    "authors",
    "year",
    "title",
    "venue",
    "details",
    "doi",
    "isbn",
    "url",
    "kind",
    "concepts",
    "note",
)


def read_references(path: Path = REFERENCES_PATH) -> list[dict[str, Any]]:
    """The entries of references.json, each with a ``key`` and the model's fields."""
    entries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return entries


def load_references(model: Any, path: Path = REFERENCES_PATH) -> int:
    """Create or update one row per entry, matched by ``key``. Returns the count."""
    entries = read_references(path)
    for entry in entries:
        defaults = {field: entry.get(field, "") for field in FIELDS}
        defaults["concepts"] = list(entry.get("concepts", []))
        model.objects.update_or_create(key=entry["key"], defaults=defaults)
    return len(entries)


def unload_references(model: Any, path: Path = REFERENCES_PATH) -> None:
    """Remove the rows that references.json describes."""
    model.objects.filter(key__in=[entry["key"] for entry in read_references(path)]).delete()
