from __future__ import annotations

from typing import Any

from mutual.bonds import selectors
from mutual.bonds.models import Bond

from .models import BreachReport


def report_note_for(*, report: BreachReport, viewer: Any) -> str | None:
    """The note of a report, for its reporter alone."""
    if getattr(viewer, "pk", None) != report.reporter_id or report.note_enc is None:
        return None
    return report.reporter.open(bytes(report.note_enc), report.note_aad)


def reports_for(*, bond: Bond, viewer: Any) -> list[BreachReport]:
    """The viewer's own reports in ``bond``, newest first. Never anyone else's."""
    selectors.side_of(bond=bond, person=viewer)
    return list(BreachReport.objects.filter(bond=bond, reporter=viewer).order_by("-created_at"))
