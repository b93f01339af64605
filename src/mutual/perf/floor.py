"""The bench floor: a bare Django view that runs one query and renders one template.

Mounted at ``/bench/floor/`` only when ``MUTUAL_BENCH_FLOOR=1`` (``make bench`` sets it);
main pages must reach at least half its throughput (DESIGN §7).
"""

from __future__ import annotations

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import URLPattern, path

from mutual.bonds.models import Bond

TEMPLATE = engines["django"].from_string((Path(__file__).parent / "floor.html").read_text())


def floor(request: HttpRequest) -> HttpResponse:
    bond = Bond.objects.only("id", "kind", "status", "snapshot_seq").order_by("pk").first()
    return HttpResponse(TEMPLATE.render({"bond": bond}, request))


urlpatterns: list[URLPattern] = [path("bench/floor/", floor, name="bench-floor")]
