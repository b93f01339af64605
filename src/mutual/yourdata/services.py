"""A person's own data across Mutual.

* :func:`account_export` gathers what the person wrote, plus the replies they received,
  through the same selectors that decide what they may see. A partner's answers are
  never part of it.
* :func:`account_delete` ends the person's bonds (as "leave" does), destroys their data
  key (nothing they wrote can be decrypted again, not even from a backup) and removes
  the account. On SQLite the write-ahead log is checkpointed afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from mutual.accounts.crypto import CryptoError
from mutual.accounts.models import Person, SecurityEvent
from mutual.accounts.services import checkpoint
from mutual.checkins import selectors as checkin_selectors
from mutual.differences import selectors as difference_selectors
from mutual.safety import selectors as safety_selectors
from mutual.safety import services as safety_services

FORMAT = "mutual-export-1"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _open(person: Person, blob: Any, aad: str) -> str | None:
    if blob is None:
        return None
    try:
        return person.open(bytes(blob), aad)
    except CryptoError:
        return None


def _revelations(person: Person, bond: Any) -> list[dict[str, Any]]:
    from mutual.bonds import selectors
    from mutual.bonds.models import Revelation

    rows = []
    mine = (
        Revelation.objects.filter(exchange__bond=bond, author=person)
        .select_related("exchange", "exchange__prompt", "exchange__bond", "author")
        .order_by("created_at")
    )
    for revelation in mine:
        reply = selectors.reply_for(revelation=revelation, viewer=person)
        rating = selectors.rating_for(revelation=revelation, viewer=person)
        rows.append(
            {
                "id": str(revelation.id),
                "question": selectors.prompt_text_for(
                    prompt=revelation.exchange.prompt, bond=bond, viewer=person
                ),
                "depth": revelation.exchange.prompt.depth,
                "theme": revelation.exchange.prompt.theme,
                "written_at": _iso(revelation.created_at),
                "edited_at": _iso(revelation.edited_at),
                "withdrawn_at": _iso(revelation.withdrawn_at),
                "text": selectors.revelation_text_for(revelation=revelation, viewer=person),
                "reply_received": None
                if reply is None or reply.mine
                else {
                    "heard": reply.heard,
                    "makes_sense": reply.makes_sense,
                    "care": reply.care,
                    "written_at": _iso(reply.created_at),
                },
                "my_rating": None
                if rating is None
                else {
                    "understood": rating.understood,
                    "validated": rating.validated,
                    "cared": rating.cared,
                    "thanked": rating.thanked,
                },
            }
        )
    return rows


def _replies_written(person: Person, bond: Any) -> list[dict[str, Any]]:
    from mutual.bonds.models import Reply

    rows = []
    for reply in Reply.objects.filter(revelation__exchange__bond=bond, author=person).order_by(
        "created_at", "revelation__created_at"
    ):
        rows.append(
            {
                "id": str(reply.id),
                "to_answer": str(reply.revelation_id),
                "heard": _open(person, reply.heard_enc, reply.aad("heard")),
                "makes_sense": _open(person, reply.makes_sense_enc, reply.aad("makes_sense")),
                "care": _open(person, reply.care_enc, reply.aad("care")),
                "written_at": _iso(reply.created_at),
            }
        )
    return rows


def _reports(person: Person, bond: Any) -> list[dict[str, Any]]:

    return [
        {
            "kind": report.kind,
            "about_answer": str(report.revelation_id) if report.revelation_id else None,
            "note": safety_selectors.report_note_for(report=report, viewer=person),
            "reported_at": _iso(report.created_at),
            "confirmed_at": _iso(report.confirmed_at),
        }
        for report in safety_selectors.reports_for(bond=bond, viewer=person)
    ]


def _prompts(person: Person, bond: Any) -> list[dict[str, Any]]:
    from mutual.bonds import selectors
    from mutual.bonds.models import Prompt

    return [
        {
            "question": selectors.prompt_text_for(prompt=prompt, bond=bond, viewer=person),
            "depth": prompt.depth,
            "theme": prompt.theme,
            "written_at": _iso(prompt.created_at),
        }
        for prompt in Prompt.objects.filter(bond=bond, author=person).order_by("created_at")
    ]


def _checkins(person: Person, bond: Any) -> list[dict[str, Any]]:
    """The person's own check-ins: their feeling, their guess and their note."""

    return [
        {
            "feeling": round_.mine.feeling,
            "intensity": round_.mine.intensity,
            "guessed_feeling": round_.mine.guess_feeling,
            "guessed_intensity": round_.mine.guess_intensity,
            "note": round_.mine.note or None,
            "written_at": _iso(round_.mine.created_at),
        }
        for round_ in reversed(
            checkin_selectors.checkin_rounds(bond=bond, viewer=person, limit=10_000)
        )
        if round_.mine is not None
    ]


def _differences(person: Person, bond: Any, at: datetime) -> list[dict[str, Any]]:
    """Each topic the person took part in: its words if they raised it, and in every
    round their own view and their restatement of the other's."""

    rows = []
    for summary in reversed(difference_selectors.differences_for(bond=bond, viewer=person, at=at)):
        view = difference_selectors.difference_get(
            bond=bond, difference_id=summary.id, viewer=person, at=at
        )
        rows.append(
            {
                "topic": summary.topic if summary.raised_by_me else None,
                "raised_by_me": summary.raised_by_me,
                "raised_at": _iso(summary.created_at),
                "outcome": summary.outcome,
                "rounds": [
                    {
                        "number": r.number,
                        "my_view": r.my_perspective,
                        "my_restatement": r.my_restatement,
                    }
                    for r in view.rounds
                    if r.my_perspective is not None or r.my_restatement is not None
                ],
            }
        )
    return rows


def account_export(*, person: Person, at: datetime, device: str = "") -> dict[str, Any]:
    """Everything ``person`` wrote, and the replies they received, read through the same
    selectors as their pages: never the partner's answers, ratings, reports or trust, and
    nothing of a partner once either of them left. Noted in their security log, with
    ``device`` saying where it was made (a browser, or ``mutual export`` on the server)."""
    from mutual.bonds import selectors

    bonds = []
    for bond in selectors.bonds_for(viewer=person):
        side = selectors.side_of(bond=bond, person=person)
        bonds.append(
            {
                "id": str(bond.id),
                "kind": bond.kind,
                "status": bond.status,
                "my_side": side,
                "created_at": _iso(bond.created_at),
                "ended_at": _iso(bond.ended_at),
                "my_answers": _revelations(person, bond),
                "my_replies": _replies_written(person, bond),
                "my_questions": _prompts(person, bond),
                "my_checkins": _checkins(person, bond),
                "my_differences": _differences(person, bond, at),
                "my_private_reports": _reports(person, bond),
            }
        )
    log = [
        {"kind": e.kind, "at": _iso(e.at), "device": e.user_agent}
        for e in SecurityEvent.objects.filter(person=person).order_by("at", "kind")
    ]
    SecurityEvent.objects.create(person=person, kind="export", at=at, user_agent=device[:300])
    return {
        "format": FORMAT,
        "exported_at": _iso(at),
        "person": {
            "email": person.email,
            "name": person.display_name,
            "joined": _iso(person.date_joined),
            "idle_lock_minutes": person.idle_lock_minutes,
            "country": person.country,
            "time_zone": person.time_zone,
        },
        "bonds": bonds,
        "security_log": log,
    }


def account_delete(*, person: Person, at: datetime) -> None:
    """Delete the account: leave every bond, destroy the data key, remove the person.

    What they wrote is erased with them; the partner keeps nothing of it but the fact
    that the bond ended."""
    from mutual.bonds import selectors
    from mutual.bonds.models import Bond, Prompt

    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    if person is None or person.pk is None:
        raise ValueError("no such person")
    with transaction.atomic():
        for bond in selectors.bonds_for(viewer=person):
            if bond.status != Bond.Status.ENDED:
                safety_services.bond_leave(bond=bond, person=person, at=at)
        # The questions they wrote stay as rows (exchanges refer to them); their words go.
        Prompt.objects.filter(author=person).update(text_enc=None)
        Person.objects.filter(pk=person.pk).update(wrapped_key=None)
        Person.objects.filter(pk=person.pk).delete()
        transaction.on_commit(checkpoint)
    person.wrapped_key = None
