"""The bond's history for charts: shared measures, your own trust, attunement, differences."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from mutual.bonds import selectors
from mutual.insights.selectors import insights_for

from .schemas.insights import InsightsOut
from .security import bearer, person_of

router = Router(tags=["insights"], auth=bearer)


@router.get("/bonds/{bond_id}/insights", response=InsightsOut)
def bond_insights(request: HttpRequest, bond_id: uuid.UUID) -> dict[str, Any]:
    """The bond's measures per day, your own trust per day (yours alone), attunement both
    ways, moments of the onion and differences per week."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    data = insights_for(bond=bond, viewer=person, at=timezone.now())
    return {
        "partner_name": data.partner_name,
        "themes": list(data.themes),
        "days": [
            {
                "day": d.day,
                "mutual_index": d.mutual_index,
                "open_depth": d.open_depth,
                "breadth": d.breadth,
                "my_trust": d.my_trust,
            }
            for d in data.days
        ],
        "attunement_mine": [{"day": d, "value": v} for d, v in data.attunement_mine],
        "attunement_theirs": [{"day": d, "value": v} for d, v in data.attunement_theirs],
        "onion": [
            {
                "day": d,
                "open_depth": o,
                "breadth": b,
                "cells": [{"depth": depth, "theme": theme} for depth, theme in sorted(cells)],
            }
            for d, o, b, cells in data.onion
        ],
        "differences": [{"week": w, "raised": r, "revisited": v} for w, r, v in data.differences],
    }
