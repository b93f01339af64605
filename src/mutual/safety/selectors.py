"""Reads of the safety pages: one's own reports, the answers one may report about, and
what the pages show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mutual.bonds import selectors
from mutual.bonds.models import Bond, Revelation

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


@dataclass(frozen=True)
class SafetyPage:
    """The safety page of one bond, for one of its two persons."""

    side: str
    safety_mode: bool
    reports: list[BreachReport]
    #: Reports of being deceived that are not confirmed yet.
    open_deception: list[BreachReport]


def safety_page(*, bond: Bond, viewer: Any) -> SafetyPage:
    reports = reports_for(bond=bond, viewer=viewer)
    return SafetyPage(
        side=selectors.side_of(bond=bond, person=viewer),
        safety_mode=selectors.in_safety_mode(bond=bond, viewer=viewer),
        reports=reports,
        open_deception=[
            r for r in reports if r.kind == BreachReport.Kind.DECEPTION and not r.confirmed_at
        ],
    )


def reportable_answers(*, bond: Bond, viewer: Any) -> list[Revelation]:
    """The viewer's own answers in ``bond`` that the partner has read and that stand: a
    report of a breach of confidence is about one of them. Newest first; no text read."""
    selectors.side_of(bond=bond, person=viewer)
    return list(
        Revelation.objects.filter(
            exchange__bond=bond,
            author=viewer,
            exchange__revealed_at__isnull=False,
            withdrawn_at__isnull=True,
        )
        .select_related("exchange__prompt")
        .order_by("-created_at")
    )


def report_page(*, bond: Bond, viewer: Any) -> list[tuple[Revelation, str]]:
    """The answers the report page offers (:func:`reportable_answers`), each with its
    question as the viewer may read it."""
    return [
        (r, selectors.prompt_text_for(prompt=r.exchange.prompt, bond=bond, viewer=viewer))
        for r in reportable_answers(bond=bond, viewer=viewer)
    ]


@dataclass(frozen=True)
class WithdrawPage:
    question: str


def withdraw_page(*, revelation: Revelation, viewer: Any) -> WithdrawPage:
    """The page that asks whether to withdraw ``revelation`` (one the viewer may see)."""
    exchange = revelation.exchange
    return WithdrawPage(
        selectors.prompt_text_for(prompt=exchange.prompt, bond=exchange.bond, viewer=viewer)
    )
