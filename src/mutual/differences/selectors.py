from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext

from mutual import engine
from mutual.accounts import zones
from mutual.accounts.crypto import CryptoError
from mutual.accounts.models import Person
from mutual.bonds.errors import NotFound
from mutual.bonds.models import Bond
from mutual.bonds.selectors import parted, side_of, with_people
from mutual.web.joined import Part, Read

from .models import Difference, DifferenceRound
from .rules import step_of


@dataclass(frozen=True)
class RoundView:
    """One round of a difference as the viewer may see it."""

    number: int
    opened_at: datetime
    closed_at: datetime | None
    step: str
    #: The viewer's own perspective and restatement (of the partner's view).
    my_perspective: str | None
    my_restatement: str | None
    my_restatement_costly: bool
    #: How understood the viewer felt (their own rating; never the partner's).
    my_rating: int | None
    #: The partner's perspective once both wrote, and their restatement of the viewer's.
    their_perspective: str | None
    their_restatement: str | None
    partner_wrote: bool
    partner_restated: bool
    partner_rated: bool

    @property
    def can_write(self) -> bool:
        return self.step == "perspective"

    @property
    def can_restate(self) -> bool:
        return self.step in ("restatement", "rating") and not self.partner_rated

    @property
    def can_rate(self) -> bool:
        return self.their_restatement is not None and self.my_rating is None

    @property
    def can_decide(self) -> bool:
        return self.step == "outcome"


@dataclass(frozen=True)
class Proposal:
    """What one of the two proposed came of the current round, waiting for the other."""

    outcome: str
    outcome_label: str
    revisit_on: date | None
    #: The viewer proposed it (and waits); otherwise it waits for the viewer to confirm.
    by_me: bool


@dataclass(frozen=True)
class DifferenceSummary:
    id: uuid.UUID
    topic: str
    raised_by_me: bool
    raised_by_name: str
    created_at: datetime
    outcome: str
    outcome_label: str
    revisit_on: date | None
    due: bool
    rounds: int
    proposal: Proposal | None = None

    @property
    def waits_for_me(self) -> bool:
        """The partner proposed what came of it, and the viewer's word is awaited."""
        return self.proposal is not None and not self.proposal.by_me


@dataclass(frozen=True)
class DifferenceView:
    summary: DifferenceSummary
    partner_name: str
    rounds: list[RoundView]
    active: bool

    @property
    def current(self) -> RoundView:
        return self.rounds[-1]

    @property
    def can_revisit(self) -> bool:
        return self.active and self.current.closed_at is not None


def _open(person: Person | None, blob: Any, aad: str) -> str | None:
    if person is None or blob is None:
        return None
    try:
        return person.open(bytes(blob), aad)
    except CryptoError:
        return None


def _names(bond: Bond, side: str) -> tuple[str, Person | None]:
    partner = bond.person_b if side == "a" else bond.person_a
    return (partner.name if partner is not None else "your partner"), partner


def _summary(
    difference: Difference, side: str, bond: Bond, today: date, rounds: int
) -> DifferenceSummary:
    partner_name, _ = _names(bond, side)
    mine = difference.raised_by == side
    hidden = not mine and parted(bond=bond)
    topic = (
        None
        if hidden
        else _open(difference.topic_author, difference.topic_enc, difference.topic_aad)
    )
    due = (
        difference.outcome == Difference.Outcome.REVISIT
        and difference.revisit_on is not None
        and difference.revisit_on <= today
    )
    return DifferenceSummary(
        id=difference.id,
        topic=topic if topic is not None else gettext("A topic that can no longer be shown"),
        raised_by_me=mine,
        raised_by_name=gettext("You") if mine else partner_name,
        created_at=difference.created_at,
        outcome=difference.outcome,
        outcome_label=difference.get_outcome_display(),
        revisit_on=difference.revisit_on,
        due=due,
        rounds=rounds,
        proposal=(
            Proposal(
                outcome=difference.proposed_outcome,
                outcome_label=str(Difference.Outcome(difference.proposed_outcome).label),
                revisit_on=difference.proposed_revisit_on,
                by_me=difference.proposed_by == side,
            )
            if difference.proposed_by and difference.proposed_outcome
            else None
        ),
    )


def differences_for(*, bond: Bond, viewer: Any, at: datetime) -> list[DifferenceSummary]:
    """Every topic of the bond, newest first, as the viewer may see it."""
    side = side_of(bond=bond, person=viewer)
    today = zones.local_date(at, viewer)
    bond = with_people(bond)
    rows = (
        Difference.objects.filter(bond=bond)
        .select_related("topic_author")
        .prefetch_related("rounds")
        .order_by("-created_at")
    )
    return [_summary(d, side, bond, today, len(d.rounds.all())) for d in rows]


def differences_due(*, bond: Bond, viewer: Any, at: datetime) -> list[DifferenceSummary]:
    """Topics the two said they would revisit and whose date has come on the viewer's
    calendar, oldest date first."""
    side = side_of(bond=bond, person=viewer)
    today = zones.local_date(at, viewer)
    bond = with_people(bond)
    rows = [row["d"] for row in _DUE.many(bond.pk, where=[("revisit_on", today)])]
    # Usually nothing is due, and the rounds are not read at all.
    prefetch_related_objects(rows, "rounds")
    return [_summary(d, side, bond, today, len(d.rounds.all())) for d in rows]


#: The topics of a bond due to be revisited by a day, with their authors (``web.joined``):
#: asked on every home page, so written once rather than compiled by the ORM each time.
_DUE = Read(
    Part(Difference, "d"),
    Part(Person, "ta", "d", "topic_author"),
    by="bond",
    where=f"{{d.outcome}} = '{Difference.Outcome.REVISIT.value}' AND {{d.revisit_on}} <= %s",
    order="{d.revisit_on}, {d.id}",
)


def _my_step_waits(difference: Difference, round_: DifferenceRound, side: str) -> bool:
    """Whether the open ``round_`` waits for ``side``'s next step (read from the rows
    alone, nothing opened)."""
    views = {v.side: v for v in round_.views.all()}
    mine, theirs = views.get(side), views.get(engine.other(side))  # type: ignore[arg-type]
    step = step_of(round_, views)
    if step == "perspective":
        return mine is None
    if step == "restatement":
        return mine is not None and mine.restatement_enc is None
    if step == "rating":
        restated = theirs is not None and theirs.restatement_enc is not None
        return mine is not None and mine.felt_understood is None and restated
    return step == "outcome" and difference.proposed_by != side


def differences_waiting(*, bond: Bond, viewer: Any, at: datetime) -> list[uuid.UUID]:
    """The topics where the viewer's step waits, or whose day to come back has come on
    the viewer's calendar (none unless the bond is active)."""
    side = side_of(bond=bond, person=viewer)
    if bond.status != Bond.Status.ACTIVE:
        return []
    today = zones.local_date(at, viewer)
    found = []
    for difference in Difference.objects.filter(bond=bond).prefetch_related("rounds__views"):
        if difference.outcome == Difference.Outcome.REVISIT:
            if difference.revisit_on is not None and difference.revisit_on <= today:
                found.append(difference.id)
            continue
        open_rounds = [r for r in difference.rounds.all() if r.closed_at is None]
        if open_rounds and _my_step_waits(difference, open_rounds[-1], side):
            found.append(difference.id)
    return found


def _round_view(round_: DifferenceRound, side: str, bond: Bond) -> RoundView:
    views = {v.side: v for v in round_.views.all()}
    other = engine.other(side)  # type: ignore[arg-type]
    mine, theirs = views.get(side), views.get(other)
    step = step_of(round_, views)
    hidden = parted(bond=bond)  # after leaving, each sees only their own words
    me = bond.person_a if side == "a" else bond.person_b
    partner = bond.person_b if side == "a" else bond.person_a
    revealed = step != "perspective"
    return RoundView(
        number=round_.number,
        opened_at=round_.opened_at,
        closed_at=round_.closed_at,
        step=step,
        my_perspective=_open(me, mine.body_enc, mine.body_aad) if mine else None,
        my_restatement=_open(me, mine.restatement_enc, mine.restatement_aad) if mine else None,
        my_restatement_costly=bool(mine and mine.restatement_costly),
        my_rating=mine.felt_understood if mine else None,
        their_perspective=(
            _open(partner, theirs.body_enc, theirs.body_aad)
            if theirs and revealed and not hidden
            else None
        ),
        their_restatement=(
            _open(partner, theirs.restatement_enc, theirs.restatement_aad)
            if theirs and not hidden
            else None
        ),
        partner_wrote=theirs is not None,
        partner_restated=bool(theirs and theirs.restatement_enc is not None),
        partner_rated=bool(theirs and theirs.felt_understood is not None),
    )


def difference_get(*, bond: Bond, difference_id: Any, viewer: Any, at: datetime) -> DifferenceView:
    """One topic with all its rounds as the viewer may see it; ``NotFound`` otherwise."""
    side = side_of(bond=bond, person=viewer)
    bond = with_people(bond)
    try:
        difference = (
            Difference.objects.select_related("topic_author")
            .prefetch_related("rounds", "rounds__views")
            .get(bond=bond, pk=uuid.UUID(str(difference_id)))
        )
    except (Difference.DoesNotExist, ValueError, TypeError, AttributeError):
        raise NotFound() from None
    rounds = sorted(difference.rounds.all(), key=lambda r: r.number)
    partner_name, _ = _names(bond, side)
    return DifferenceView(
        summary=_summary(difference, side, bond, zones.local_date(at, viewer), len(rounds)),
        partner_name=partner_name,
        rounds=[_round_view(r, side, bond) for r in rounds],
        active=bond.status == Bond.Status.ACTIVE,
    )


def difference_timeline(*, bond: Bond, viewer: Any) -> list[tuple[date, str]]:
    """When topics were raised and revisited, oldest first (two queries)."""
    side_of(bond=bond, person=viewer)
    raised = [
        (at.date(), "raised")
        for at in Difference.objects.filter(bond=bond).values_list("created_at", flat=True)
    ]
    revisited = [
        (at.date(), "revisited")
        for at in DifferenceRound.objects.filter(difference__bond=bond, number__gt=1).values_list(
            "opened_at", flat=True
        )
    ]
    return sorted(raised + revisited)


@dataclass(frozen=True)
class DifferencesPage:
    """The list of topics of a bond, with the partner's name."""

    items: list[DifferenceSummary]
    partner_name: str


def differences_page(*, bond: Bond, viewer: Any, at: datetime) -> DifferencesPage:
    side = side_of(bond=bond, person=viewer)
    return DifferencesPage(differences_for(bond=bond, viewer=viewer, at=at), _names(bond, side)[0])
