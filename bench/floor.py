"""The bench floor: a bare Django view that runs one query and renders one template.

Mounted at ``/bench/floor/``, before every route of Mutual, in the app processes of the
bench and the drills only (``bench/settings.py``). Pages are measured against its
throughput (docs/performance.md).
"""

from __future__ import annotations

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from mutual.bonds.models import Bond
from mutual.config.urls import *  # noqa: F403 (every route and handler of Mutual)
from mutual.config.urls import urlpatterns as mutual_urlpatterns

TEMPLATE = engines["django"].from_string((Path(__file__).parent / "floor.html").read_text())


def floor(request: HttpRequest) -> HttpResponse:
    bond = Bond.objects.only("id", "kind", "status", "snapshot_seq").order_by("pk").first()
    return HttpResponse(TEMPLATE.render({"bond": bond}, request))


urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *mutual_urlpatterns]
