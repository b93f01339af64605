"""Writes: every change to bonds, invites, prompts, exchanges, replies and ratings.

Each service takes keyword arguments only, runs in one transaction and is given the time
(``at``) instead of reading a clock. Services load, ask the engine, and save; changes to
the model go through the ledger (:func:`mutual.bonds.ledger.record`). Errors are
:mod:`mutual.bonds.errors`, with messages written for the person.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from mutual import engine, limits
from mutual.accounts.models import Person
from mutual.accounts.services import checkpoint
from mutual.web import names

from . import guards, ledger, rules, selectors, signals, waiting
from .cleaning import clean_name, clean_score, clean_text
from .errors import Conflict, Invalid, NotFound
from .models import Bond, Exchange, Invite, Prompt, Rating, Reply, Revelation

INVITE_LIFETIME = timedelta(days=7)


# ---------------------------------------------------------------------------------------
# Helpers


def _require_time(at: datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")


def _locked_member(bond: Bond, person: Any) -> tuple[Bond, engine.Side]:
    """The bond's row locked for this transaction, and the person's side of it."""
    side = selectors.side_of(bond=bond, person=person)
    return ledger.lock(bond), side


def _facts(
    bond: Bond,
    exchange: Exchange,
    viewer: str,
    revelation: Revelation | None,
    author: str = "",
    **replies: bool,
) -> rules.Facts:
    """What the rule needs about ``revelation`` (or the empty place of ``author``), as the
    person on ``viewer``'s side of the locked ``bond`` may act on it. Its reply and rating
    are read only by the writes whose rule looks at them, and given as ``replies``."""
    return rules.Facts(
        viewer=viewer,  # type: ignore[arg-type]
        author=(revelation.side if revelation is not None else author),  # type: ignore[arg-type]
        answered=revelation is not None,
        revealed=exchange.revealed_at is not None,
        withdrawn=revelation is not None and revelation.withdrawn_at is not None,
        active=bond.status == Bond.Status.ACTIVE,
        partner_present=not selectors.parted(bond=bond),
        **replies,
    )


def _set_name(person: Person, name: str | None) -> None:
    """Save ``name`` (already cleaned) as the name partners see, if it changed."""
    if name is None or name == person.display_name:
        return
    person.display_name = name
    person.save(update_fields=["display_name"])


def hash_code(code: str) -> str:
    """The SHA-256 of an invite code: only this is stored."""
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------
# Bonds and invites


def bond_create(*, creator: Person, kind: str, at: datetime, name: str | None = None) -> Bond:
    """A new bond of ``kind`` (``partners`` or ``friends``) that waits for an invite.
    ``name``, when given, becomes the name the other person will see."""
    _require_time(at)
    if not getattr(creator, "is_authenticated", False) or creator.pk is None:
        raise NotFound()
    if kind not in Bond.Kind.values:
        raise Invalid(gettext("Choose whether this bond is for partners or for friends."))
    clean = None if name is None else clean_name(name)
    with transaction.atomic():
        _set_name(creator, clean)
        return Bond.objects.create(
            kind=kind,
            status=Bond.Status.WAITING,
            person_a=creator,
            created_at=at,
            snapshot=engine.state_to_dict(engine.new_bond(ledger.PARAMS)),
        )


def invite_create(*, bond: Bond, by: Person, at: datetime) -> tuple[Invite, str]:
    """A single-use invite to ``bond``, valid for seven days. The code is returned once
    and stored only as its hash."""
    _require_time(at)
    with transaction.atomic():
        locked, _side = _locked_member(bond, by)
        if locked.person_b_id is not None:
            raise Conflict(gettext("Both places in this bond are taken, so no invite is needed."))
        if locked.status != Bond.Status.WAITING:
            raise Conflict(
                gettext("Invites can only be made while the bond waits for its second person.")
            )
        code = secrets.token_urlsafe(18)
        invite = Invite.objects.create(
            bond=locked,
            code_hash=hash_code(code),
            created_by=by,
            created_at=at,
            expires_at=at + INVITE_LIFETIME,
        )
        return invite, code


def invite_accept(*, code: str, person: Person, at: datetime, name: str | None = None) -> Bond:
    """Join the bond of an invite: single-use, within seven days, not by its creator and
    not once the bond is full. The bond becomes active. ``name``, when given, becomes the
    name the other person will see; a refused invite leaves it unchanged."""
    _require_time(at)
    if not getattr(person, "is_authenticated", False):
        raise NotFound()
    if not isinstance(code, str) or not code.strip() or len(code) > 200:
        raise Invalid(gettext("That invite code is not valid. Check it and try again."))
    clean = None if name is None else clean_name(name)
    with transaction.atomic():
        try:
            invite = Invite.objects.select_for_update().get(code_hash=hash_code(code))
        except Invite.DoesNotExist as exc:
            raise NotFound(
                gettext("That invite code is not valid. Check it and try again.")
            ) from exc
        bond = ledger.lock(invite.bond)
        if invite.used_at is not None:
            raise Conflict(gettext("This invite has already been used. Ask for a new one."))
        if invite.revoked_at is not None or at >= invite.expires_at:
            raise Conflict(gettext("This invite has expired. Ask for a new one."))
        if bond.person_a_id == person.pk:
            raise Conflict(
                gettext("This is your own invite. Share it with the person you want to invite.")
            )
        if bond.person_b_id is not None or bond.status != Bond.Status.WAITING:
            raise Conflict(gettext("This bond already has two people."))
        bond.person_b = person
        bond.status = Bond.Status.ACTIVE
        bond.save(update_fields=["person_b", "status"])
        invite.used_at = at
        invite.save(update_fields=["used_at"])
        _set_name(person, clean)
        return bond


def desire_opt_in(*, bond: Bond, person: Person, opt_in: bool, at: datetime) -> None:
    """Opt in or out of `desire` prompts (partners only; offered when both opt in)."""
    _require_time(at)
    with transaction.atomic():
        locked, side = _locked_member(bond, person)
        if locked.kind != Bond.Kind.PARTNERS:
            raise Conflict(gettext("Prompts about desire are offered to partners only."))
        if locked.status == Bond.Status.ENDED:
            raise Conflict(gettext("This bond has ended, so nothing new can be added."))
        setattr(locked, f"desire_{side}", bool(opt_in))
        locked.save(update_fields=[f"desire_{side}"])
        setattr(bond, f"desire_{side}", bool(opt_in))


def not_ready_message(blocks: tuple[str, ...], open_depth: int) -> str:
    return gettext("You can say you are ready once this is in place: %(needs)s") % {
        "needs": " ".join(selectors.readiness_words(blocks, open_depth))
    }


def readiness_set(*, bond: Bond, person: Person, ready: bool, at: datetime) -> int | None:
    """Say whether you are ready to go one depth deeper (recorded by the engine). The
    depth this word opened, when it was the second "ready"; ``None`` otherwise."""
    _require_time(at)
    with transaction.atomic():
        locked, side = _locked_member(bond, person)
        guards.require_active(locked)
        state = ledger.state_of(locked)
        if ready and engine.is_ready(state, side, at, ledger.PARAMS):
            return None
        if not ready and not state.side(side).ready:
            return None
        if ready:
            # Private trust acts only through its owner: the word is refused while their
            # own conditions do not hold, and they alone are told why (docs/engine.md §10).
            blocks = engine.readiness(state, side, at, ledger.PARAMS)
            if blocks:
                raise Conflict(not_ready_message(blocks, state.open_depth))
        ledger.record(locked, [engine.ReadinessChanged(at=at, side=side, ready=bool(ready))])
        bond.snapshot, bond.snapshot_seq = locked.snapshot, locked.snapshot_seq
        opened = ledger.state_of(locked).open_depth
        return opened if opened > state.open_depth else None


def bond_step_back(*, bond: Bond, person: Person, at: datetime) -> None:
    """Step the bond back one depth. Either person may, alone, at any time."""
    _require_time(at)
    with transaction.atomic():
        locked, side = _locked_member(bond, person)
        if locked.status in (Bond.Status.WAITING, Bond.Status.ENDED):
            raise Conflict(gettext("There is nothing to step back from in this bond."))
        ledger.record(locked, [engine.SteppedBack(at=at, side=side)])
        bond.snapshot, bond.snapshot_seq = locked.snapshot, locked.snapshot_seq


# ---------------------------------------------------------------------------------------
# Prompts and exchanges


def prompt_write(
    *, bond: Bond, by: Person, text: str, depth: int, theme: str, emotional: bool, at: datetime
) -> Prompt:
    """A person's own prompt for this bond, at a depth that is open. Its words are sealed
    with the author's key, as everything people write is; they are read back only through
    :func:`mutual.bonds.selectors.prompt_text_for`."""
    _require_time(at)
    clean = clean_text(text, what=gettext("The question"), limit=limits.QUESTION)
    try:
        depth = int(depth)
    except (TypeError, ValueError) as exc:
        raise Invalid(gettext("Choose a depth for the question.")) from exc
    if not 0 <= depth <= engine.MAX_DEPTH:
        raise Invalid(gettext("Choose a depth for the question."))
    if theme not in engine.THEMES:
        raise Invalid(gettext("Choose a theme for the question."))
    with transaction.atomic():
        locked, _side = _locked_member(bond, by)
        guards.require_active(locked)
        if not engine.can_answer(ledger.state_of(locked), depth):
            raise Conflict(
                gettext("%(depth)s depth is not open in this bond yet.")
                % {"depth": names.depth_name(depth)}
            )
        prompt = Prompt(
            depth=depth,
            theme=theme,
            emotional=bool(emotional),
            bond=locked,
            author=by,
            created_at=at,
        )
        if not selectors.prompt_allowed(bond=locked, prompt=prompt):
            raise Conflict(
                gettext("Prompts about desire are offered only to partners who both opted in.")
            )
        prompt.text_enc = by.seal(clean, prompt.aad)
        prompt.save(force_insert=True)
        return prompt


def exchange_open(*, bond: Bond, by: Person, prompt: Prompt, at: datetime) -> Exchange:
    """Open an exchange on ``prompt``: both will answer; answers stay sealed until both did."""
    _require_time(at)
    with transaction.atomic():
        locked, side = _locked_member(bond, by)
        guards.require_active(locked)
        if not selectors.prompt_allowed(bond=locked, prompt=prompt):
            raise NotFound()
        if not engine.can_answer(ledger.state_of(locked), prompt.depth):
            raise Conflict(
                gettext(
                    "%(depth)s depth is not open yet. It opens when trust "
                    "has grown both ways and you both say you are ready."
                )
                % {"depth": names.depth_name(prompt.depth)}
            )
        if Exchange.objects.filter(bond=locked, prompt=prompt, revealed_at__isnull=True).exists():
            raise Conflict(gettext("This question is already open between you. Answer it there."))
        return Exchange.objects.create(bond=locked, prompt=prompt, opened_by=side, opened_at=at)


def revelation_write(
    *, exchange: Exchange, author: Person, body: str, emotional: bool, at: datetime
) -> Revelation:
    """Write or edit one's answer. Before the reveal edits are free; after it an edit is
    marked with its date. The second answer reveals both, and the engine records each."""
    _require_time(at)
    text = clean_text(body, what=gettext("Your answer"), limit=limits.ANSWER)
    given = exchange
    with transaction.atomic():
        locked, side = _locked_member(exchange.bond, author)
        exchange = Exchange.objects.select_for_update().select_related("prompt").get(pk=exchange.pk)
        exchange.bond = locked
        existing = Revelation.objects.filter(exchange=exchange, side=side).first()
        action = rules.ANSWER if existing is None else rules.EDIT
        guards.require(action, _facts(locked, exchange, side, existing, side), locked)
        if existing is not None:
            existing.body_enc = author.seal(text, existing.aad)
            fields = ["body_enc"]
            if exchange.revealed_at is None:
                existing.emotional = bool(emotional)
                fields.append("emotional")
            else:
                existing.edited_at = at
                fields.append("edited_at")
            existing.save(update_fields=fields)
            return existing
        if not engine.can_answer(ledger.state_of(locked), exchange.prompt.depth):
            raise Conflict(
                gettext("%(depth)s depth is not open right now.")
                % {"depth": names.depth_name(exchange.prompt.depth)}
            )
        revelation = Revelation(
            id=uuid.uuid4(),
            exchange=exchange,
            author=author,
            side=side,
            emotional=bool(emotional),
            created_at=at,
        )
        revelation.body_enc = author.seal(text, revelation.aad)
        try:
            with transaction.atomic():
                revelation.save(force_insert=True)
        except IntegrityError as exc:
            raise Conflict(
                gettext("You have already answered. Open your answer to edit it.")
            ) from exc
        signals.waits(locked, engine.other(side), signals.ANSWERED, f"answered:{revelation.id}", at)
        answers = {r.side: r for r in Revelation.objects.filter(exchange=exchange)}
        if exchange.revealed_at is None and set(answers) == {"a", "b"}:
            exchange.revealed_at = given.revealed_at = at
            exchange.save(update_fields=["revealed_at"])
            prompt = exchange.prompt
            ledger.record(
                locked,
                [
                    engine.Revealed(
                        at=at,
                        author=s,
                        depth=prompt.depth,
                        theme=prompt.theme,
                        emotional=answers[s].emotional,
                    )
                    for s in ("a", "b")
                ],
            )
        waiting.refresh(exchange.pk)
        return revelation


def revelation_take_back(*, revelation: Revelation, person: Person, at: datetime) -> None:
    """Take back one's own answer while it is still sealed. The partner never read it,
    so it is deleted outright, leaving no tombstone; the question waits for an answer
    again. Once both answers have opened, only withdrawal remains (``safety.py``).
    Possible in any state of the bond, as withdrawal is."""
    _require_time(at)
    with transaction.atomic():
        found = selectors.revelation_get(id=getattr(revelation, "pk", revelation), viewer=person)
        locked, side = _locked_member(found.exchange.bond, person)
        exchange = Exchange.objects.select_for_update().get(pk=found.exchange_id)
        guards.require(rules.TAKE_BACK, _facts(locked, exchange, side, found), locked)
        Revelation.objects.filter(pk=found.pk).delete()
        waiting.refresh(exchange.pk)
        # On SQLite the deleted page is overwritten; the write-ahead log follows here.
        transaction.on_commit(checkpoint)


def reply_write(
    *,
    revelation: Revelation,
    author: Person,
    heard: str,
    makes_sense: str,
    care: str,
    costly: bool,
    at: datetime,
) -> Reply:
    """The partner's reply to a revealed answer, in three coached parts, each sealed with
    the responder's key. Why it makes sense may stay empty below
    :data:`rules.SENSE_REQUIRED_FROM`. ``costly`` is the responder's own note that replying
    kindly took effort: the engine weighs it, and no one but the responder is shown it."""
    _require_time(at)
    parts = {
        "heard": clean_text(heard, what=gettext("What you heard"), limit=limits.REPLY_PART),
        "makes_sense": clean_text(
            makes_sense, what=gettext("Why it makes sense"), limit=limits.REPLY_PART, required=False
        ),
        "care": clean_text(care, what=gettext("Your care"), limit=limits.REPLY_PART),
    }
    with transaction.atomic():
        revelation = selectors.revelation_get(id=revelation.pk, viewer=author)
        if not parts["makes_sense"] and rules.sense_required(revelation.exchange.prompt.depth):
            raise Invalid(gettext("Why it makes sense is empty. Write a few words first."))
        locked, side = _locked_member(revelation.exchange.bond, author)
        replied = Reply.objects.filter(revelation=revelation).exists()
        facts = _facts(locked, revelation.exchange, side, revelation, replied=replied)
        guards.require(rules.REPLY, facts, locked)
        reply = Reply(
            id=uuid.uuid4(),
            revelation=revelation,
            author=author,
            costly=bool(costly),
            created_at=at,
        )
        for name, value in parts.items():
            setattr(reply, f"{name}_enc", author.seal(value, reply.aad(name)))
        reply.save(force_insert=True)
        waiting.refresh(revelation.exchange_id)
        signals.waits(locked, revelation.side, signals.REPLIED, f"replied:{reply.id}", at)
        return reply


def rating_give(
    *,
    revelation: Revelation,
    rater: Person,
    understood: int,
    validated: int,
    cared: int,
    thanked: bool,
    at: datetime,
) -> Rating:
    """The revealer's private rating of the reply, final once given; the engine records it."""
    _require_time(at)
    scores = (
        clean_score(understood, gettext("Choose how understood you felt, from 1 to 7.")),
        clean_score(validated, gettext("Choose how validated you felt, from 1 to 7.")),
        clean_score(cared, gettext("Choose how cared for you felt, from 1 to 7.")),
    )
    with transaction.atomic():
        revelation = selectors.revelation_get(id=revelation.pk, viewer=rater)
        locked, side = _locked_member(revelation.exchange.bond, rater)
        reply = Reply.objects.filter(revelation=revelation).first()
        facts = _facts(
            locked,
            revelation.exchange,
            side,
            revelation,
            replied=reply is not None,
            reply_stands=reply is not None and reply.withdrawn_at is None,
            rated=Rating.objects.filter(revelation=revelation).exists(),
        )
        guards.require(rules.RATE, facts, locked)
        assert reply is not None
        rating = Rating.objects.create(
            revelation=revelation,
            understood=scores[0],
            validated=scores[1],
            cared=scores[2],
            thanked=bool(thanked),
            created_at=at,
        )
        prompt = revelation.exchange.prompt
        ledger.record(
            locked,
            [
                engine.Rated(
                    at=at,
                    author=side,
                    depth=prompt.depth,
                    theme=prompt.theme,
                    emotional=revelation.emotional,
                    understood=scores[0],
                    validated=scores[1],
                    cared=scores[2],
                    costly=reply.costly,
                )
            ],
        )
        waiting.refresh(revelation.exchange_id)
        if rating.thanked:
            signals.waits(locked, engine.other(side), signals.THANKED, f"thanked:{rating.id}", at)
        return rating
