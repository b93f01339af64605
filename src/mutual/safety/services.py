"""Writes that keep a person safe: withdrawal, private reports, safety mode, pause, resume
and leave (docs/security.md, DESIGN §3).

Each takes keyword arguments only, runs in one transaction and is given the time
(``at``). Reports are private to the reporter: a confidence breach is recorded by the
engine as a breach and steps the open depth back exactly as an ordinary step back does,
so the partner can infer nothing; a weaponization report puts the reporter in safety
mode, which only the reporter can see.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from mutual import engine, limits
from mutual.accounts.models import Person
from mutual.accounts.services import checkpoint
from mutual.bonds import guards, ledger, rules, selectors, waiting
from mutual.bonds.errors import Conflict, Invalid, NotFound
from mutual.bonds.models import Bond, Exchange, Invite, Revelation

from .models import BreachReport

KINDS = tuple(BreachReport.Kind.values)


def _require_time(at: datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")


def _locked(bond: Bond, person: Any, *, private: bool = False) -> tuple[Bond, engine.Side]:
    """The bond locked for a write by ``person``; ``private`` for one their partner must
    not notice in any way (see :func:`mutual.bonds.ledger.lock`)."""
    side = selectors.side_of(bond=bond, person=person)
    return ledger.lock(bond, private_to=side if private else None), side


def _sync(bond: Bond, locked: Bond) -> None:
    for name in ("status", "paused_by", "left_by", "ended_at", "snapshot", "snapshot_seq"):
        setattr(bond, name, getattr(locked, name))


def _own_revelation(revelation: Revelation, person: Any) -> Revelation:
    """The revelation, freshly read, if ``person`` wrote it (a report is about one's own
    answer); otherwise NotFound."""
    found = selectors.revelation_get(id=getattr(revelation, "pk", revelation), viewer=person)
    if found.author_id != getattr(person, "pk", None):
        raise NotFound()
    return found


def revelation_withdraw(*, revelation: Revelation, person: Person, at: datetime) -> Revelation:
    """Withdraw one's own answer. Its text is erased for good; the partner sees only that
    it was withdrawn and when. Possible at any time, in any state of the bond. An answer
    still sealed is taken back outright, as ``services.revelation_take_back`` does."""
    _require_time(at)
    with transaction.atomic():
        seen = selectors.revelation_get(id=getattr(revelation, "pk", revelation), viewer=person)
        locked, side = _locked(seen.exchange.bond, person)
        found = Revelation.objects.select_for_update().get(pk=seen.pk)
        revealed = Exchange.objects.filter(pk=found.exchange_id, revealed_at__isnull=False).exists()
        facts = rules.Facts(
            viewer=side,
            author=found.side,  # type: ignore[arg-type]
            answered=True,
            revealed=revealed,
            withdrawn=found.withdrawn_at is not None,
            active=locked.status == Bond.Status.ACTIVE,
            partner_present=not selectors.parted(bond=locked),
        )
        guards.require(rules.WITHDRAW, facts, locked)
        found.withdrawn_at = at
        if not revealed:
            # Still sealed: the partner never read it, so nothing of it stays behind — no
            # tombstone, no exposure counted — and the question waits for an answer again.
            Revelation.objects.filter(pk=found.pk).delete()
            waiting.refresh(found.exchange_id)
            transaction.on_commit(lambda: checkpoint(vacuum_people=False))
            return found
        # Erase the text itself: what is withdrawn cannot come back, not even from a backup
        # restored later with the same key.
        found.body_enc = person.seal("", found.aad)
        found.save(update_fields=["withdrawn_at", "body_enc"])
        waiting.refresh(found.exchange_id)
        transaction.on_commit(lambda: checkpoint(vacuum_people=False))
        if isinstance(revelation, Revelation):
            revelation.withdrawn_at = at
            revelation.body_enc = found.body_enc
        return found


def breach_report(
    *,
    person: Person,
    kind: str,
    at: datetime,
    revelation: Revelation | None = None,
    bond: Bond | None = None,
    note: str = "",
) -> BreachReport:
    """A private report by ``person``. Never shown to the partner.

    * ``confidence``: a revealed answer of theirs was used against them. The engine
      counts a breach and the bond steps back one depth.
    * ``deception``: they were deceived about it; confirm it later to scar trust.
    * ``weaponization``: threats to reveal, shaming or coercion. Safety mode begins.
    """
    _require_time(at)
    if kind not in KINDS:
        raise Invalid(gettext("Choose what happened."))
    if note is None:
        note = ""
    if not isinstance(note, str):
        raise Invalid(gettext("The note must be text."))
    note = note.strip()
    if len(note) > limits.REPORT_NOTE:
        raise Invalid(
            gettext("The note can be at most %(limit)d characters long.")
            % {"limit": limits.REPORT_NOTE}
        )
    with transaction.atomic():
        found: Revelation | None = None
        if revelation is not None:
            found = _own_revelation(revelation, person)
            if bond is not None and found.exchange.bond_id != bond.pk:
                raise NotFound()
            bond = found.exchange.bond
        if bond is None:
            raise Invalid(gettext("Choose the bond this is about."))
        # A breach of confidence steps the depth back, which both see (exactly as an
        # ordinary step back); the other reports change nothing the partner can see.
        locked, side = _locked(bond, person, private=kind != BreachReport.Kind.CONFIDENCE)
        if locked.status == Bond.Status.WAITING:
            raise Conflict(
                gettext("This bond has not begun yet, so there is nothing to report in it.")
            )
        events: list[engine.Event] = []
        if kind == BreachReport.Kind.CONFIDENCE:
            if found is None:
                raise Invalid(gettext("Choose the answer of yours that was used against you."))
            if found.exchange.revealed_at is None:
                raise Conflict(gettext("That answer was never shown to your partner."))
            events.append(
                engine.BreachReported(
                    at=at,
                    author=side,
                    depth=found.exchange.prompt.depth,
                    emotional=found.emotional,
                )
            )
        elif (
            kind == BreachReport.Kind.WEAPONIZATION
            and not ledger.state_of(locked).side(side).safety
        ):
            events.append(engine.WeaponizationReported(at=at, reporter=side))
        report = BreachReport(
            id=uuid.uuid4(),
            bond=locked,
            reporter=person,
            side=side,
            revelation=found,
            kind=kind,
            created_at=at,
        )
        if note:
            report.note_enc = person.seal(note, report.note_aad)
        report.save(force_insert=True)
        if events:
            ledger.record(locked, events)
        if bond is not None:
            _sync(bond, locked)
        return report


def deception_confirm(*, report: BreachReport, person: Person, at: datetime) -> BreachReport:
    """Confirm a deception report: the partner's denial was not true. Trust is scarred."""
    _require_time(at)
    with transaction.atomic():
        try:
            found = BreachReport.objects.select_related("bond").get(
                pk=getattr(report, "pk", report), reporter=person
            )
        except (BreachReport.DoesNotExist, ValueError, TypeError) as exc:
            raise NotFound() from exc
        if found.kind != BreachReport.Kind.DECEPTION:
            raise Conflict(gettext("Only a report about being deceived can be confirmed."))
        if found.confirmed_at is not None:
            raise Conflict(gettext("You have already confirmed this."))
        # Confirming scars the reporter's own trust: private. Should it undo a "ready" of
        # theirs, the ledger withdraws that word as a public event of its own, exactly as
        # a free "I would rather wait" (docs/engine.md §10).
        locked, side = _locked(found.bond, person, private=True)
        found.confirmed_at = at
        found.save(update_fields=["confirmed_at"])
        ledger.record(locked, [engine.DeceptionConfirmed(at=at, reporter=side)])
        return found


def safety_mode_leave(*, bond: Bond, person: Person, at: datetime) -> None:
    """Leave safety mode, by one's own choice."""
    _require_time(at)
    with transaction.atomic():
        locked, side = _locked(bond, person, private=True)
        if not ledger.state_of(locked).side(side).safety:
            raise Conflict(gettext("You are not in safety mode in this bond."))
        ledger.record(locked, [engine.SafetyModeLeft(at=at, side=side)])
        _sync(bond, locked)


def bond_pause(*, bond: Bond, person: Person, at: datetime) -> None:
    """Pause the bond: nothing new can be added until the one who paused resumes it.
    Either person may pause, alone."""
    _require_time(at)
    with transaction.atomic():
        locked, side = _locked(bond, person)
        if locked.status == Bond.Status.PAUSED:
            raise Conflict(gettext("This bond is already paused."))
        if locked.status != Bond.Status.ACTIVE:
            raise Conflict(gettext("Only an active bond can be paused."))
        locked.status = Bond.Status.PAUSED
        locked.paused_by = side
        locked.save(update_fields=["status", "paused_by"])
        _sync(bond, locked)


def bond_resume(*, bond: Bond, person: Person, at: datetime) -> None:
    """Resume a paused bond. Only the person who paused it can: a pause taken for safety
    cannot be lifted by the other."""
    _require_time(at)
    with transaction.atomic():
        locked, side = _locked(bond, person)
        if locked.status != Bond.Status.PAUSED:
            raise Conflict(gettext("This bond is not paused."))
        if locked.paused_by != side:
            raise Conflict(gettext("Your partner paused this bond; it rests until they resume it."))
        locked.status = Bond.Status.ACTIVE
        locked.paused_by = ""
        locked.save(update_fields=["status", "paused_by"])
        _sync(bond, locked)


def bond_leave(*, bond: Bond, person: Person, at: datetime) -> None:
    """Leave the bond, alone. It ends for both; the other no longer sees anything the
    leaver wrote. Open invites stop working."""
    _require_time(at)
    with transaction.atomic():
        locked, side = _locked(bond, person)
        if locked.status == Bond.Status.ENDED:
            raise Conflict(gettext("This bond has already ended."))
        locked.status = Bond.Status.ENDED
        locked.left_by = side
        locked.ended_at = at
        locked.paused_by = ""
        locked.save(update_fields=["status", "left_by", "ended_at", "paused_by"])
        Invite.objects.filter(bond=locked, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=at
        )
        _sync(bond, locked)
