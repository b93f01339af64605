"""Who belongs to a bond, and which rows and texts each of the two may read.

Deny by default. Anything a viewer may not see raises :class:`NotFound`, exactly as if
it did not exist; texts the viewer may not read come back as ``None``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from mutual import engine
from mutual.accounts.crypto import CryptoError
from mutual.accounts.models import Person
from mutual.web.joined import Part, Read

from .. import ledger
from ..errors import NotFound
from ..models import Bond, Exchange, Prompt, Revelation


def _person(viewer: Any) -> Person | None:
    """The signed-in person, or ``None`` for an anonymous viewer."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    return viewer if isinstance(viewer, Person) else None


def _uuid(value: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError) as exc:
        raise NotFound() from exc


def _member_q(person: Person, prefix: str = "") -> Q:
    return Q(**{f"{prefix}person_a": person}) | Q(**{f"{prefix}person_b": person})


# ---------------------------------------------------------------------------------------
# Bonds


def bonds_for(*, viewer: Any) -> QuerySet[Bond]:
    """The bonds the viewer belongs to, newest first (none for an anonymous viewer)."""
    person = _person(viewer)
    if person is None:
        return Bond.objects.none()
    return (
        Bond.objects.filter(_member_q(person))
        .select_related("person_a", "person_b")
        .order_by("-created_at")
    )


def with_people(bond: Bond) -> Bond:
    """``bond`` with both persons loaded: the same object when a read already loaded them
    (as :func:`bond_get` does), otherwise a fresh row."""
    loaded = (bond.person_a_id is None or Bond.person_a.is_cached(bond)) and (
        bond.person_b_id is None or Bond.person_b.is_cached(bond)
    )
    if loaded:
        return bond
    return Bond.objects.select_related("person_a", "person_b").get(pk=bond.pk)


#: The bond and both its people, read on every page of a bond (``web.joined``).
_BOND = Read(
    Part(Bond, "b"), Part(Person, "pa", "b", "person_a"), Part(Person, "pb", "b", "person_b")
)


def bond_get(*, id: Any, viewer: Any) -> Bond:
    """The bond ``id`` if the viewer belongs to it; otherwise :class:`NotFound`."""
    person = _person(viewer)
    if person is None:
        raise NotFound()
    # Membership is checked on the row read by its key: the same answer as a filter on
    # both persons, for less work.
    row = _BOND.one(_uuid(id))
    if row is None:
        raise NotFound()
    bond: Bond = row["b"]
    if person.pk is None or person.pk not in (bond.person_a_id, bond.person_b_id):
        raise NotFound()
    return bond


def is_member(*, bond: Bond, person: Any) -> bool:
    p = _person(person)
    return p is not None and p.pk in (bond.person_a_id, bond.person_b_id)


def side_of(*, bond: Bond, person: Any) -> engine.Side:
    """``"a"`` or ``"b"``: the person's side of the bond; :class:`NotFound` for others."""
    p = _person(person)
    if p is not None and p.pk is not None:
        if p.pk == bond.person_a_id:
            return "a"
        if p.pk == bond.person_b_id:
            return "b"
    raise NotFound()


def partner_of(*, bond: Bond, viewer: Any) -> Person | None:
    """The other person of the bond (``None`` while the invite is not accepted)."""
    side = side_of(bond=bond, person=viewer)
    return bond.person_b if side == "a" else bond.person_a


def display_name(person: Person) -> str:
    """The name shown to the partner, with a capital first letter."""
    name = person.name
    return name[:1].upper() + name[1:]


def person_on(*, bond: Bond, side: str) -> Person | None:
    return bond.person_a if side == "a" else bond.person_b


def partner_left(*, bond: Bond, side: str) -> bool:
    """Whether the person on ``side`` left the bond."""
    return bool(bond.left_by) and bond.left_by == side


def parted(*, bond: Bond) -> bool:
    """Whether one of the two left ``bond``. From then on each sees only their own words:
    the one who stays nothing the leaver wrote, and the leaver nothing of the other's
    (answers, replies, check-ins, views of a difference, questions)."""
    return bool(bond.left_by)


# ---------------------------------------------------------------------------------------
# Exchanges and revelations


#: The exchange with its prompt, its bond and both people (``web.joined``).
_EXCHANGE = Read(
    Part(Exchange, "e"),
    Part(Prompt, "p", "e", "prompt"),
    Part(Bond, "b", "e", "bond"),
    Part(Person, "pa", "b", "person_a"),
    Part(Person, "pb", "b", "person_b"),
)


def exchange_get(*, id: Any, viewer: Any) -> Exchange:
    """The exchange ``id`` if the viewer belongs to its bond; otherwise :class:`NotFound`."""
    person = _person(viewer)
    if person is None:
        raise NotFound()
    row = _EXCHANGE.one(_uuid(id))
    if row is None:
        raise NotFound()
    exchange: Exchange = row["e"]
    bond = exchange.bond
    if person.pk is None or person.pk not in (bond.person_a_id, bond.person_b_id):
        raise NotFound()
    return exchange


def _partner_may_read(revelation: Revelation, exchange: Exchange) -> bool:
    return (
        exchange.revealed_at is not None
        and revelation.withdrawn_at is None
        and not parted(bond=exchange.bond)
    )


def revelation_get(*, id: Any, viewer: Any) -> Revelation:
    """The revelation ``id`` for its author always, for the partner only once the exchange
    is revealed, while the revelation is not withdrawn and while neither has left;
    otherwise :class:`NotFound`."""
    person = _person(viewer)
    if person is None:
        raise NotFound()
    try:
        revelation = Revelation.objects.select_related(
            "exchange",
            "exchange__bond",
            "exchange__bond__person_a",
            "exchange__bond__person_b",
            "exchange__prompt",
            "author",
        ).get(_member_q(person, "exchange__bond__"), pk=_uuid(id))
    except Revelation.DoesNotExist as exc:
        raise NotFound() from exc
    if revelation.author_id == person.pk:
        return revelation
    if _partner_may_read(revelation, revelation.exchange):
        return revelation
    raise NotFound()


def revelation_text_for(*, revelation: Revelation, viewer: Any) -> str | None:
    """The revelation's text if the viewer may read it now, else ``None`` (sealed,
    withdrawn, hidden after leaving, or its key destroyed)."""
    person = _person(viewer)
    if person is None or revelation.withdrawn_at is not None:
        return None
    exchange = revelation.exchange
    if not is_member(bond=exchange.bond, person=person):
        return None
    if revelation.author_id != person.pk and not _partner_may_read(revelation, exchange):
        return None
    try:
        return revelation.author.open(bytes(revelation.body_enc), revelation.aad)
    except CryptoError:
        return None


@dataclass(frozen=True)
class ReplyView:
    """A reply as one of the two may see it."""

    id: uuid.UUID
    heard: str
    makes_sense: str
    care: str
    costly: bool
    mine: bool
    created_at: datetime
    #: For the responder: the revealer said "thank you for hearing me".
    thanked: bool = False


def reply_for(*, revelation: Revelation, viewer: Any) -> ReplyView | None:
    """The reply to ``revelation`` for its responder and for the revealer (while the
    revelation stands); ``None`` for anyone else or when there is none."""
    person = _person(viewer)
    if person is None or revelation.withdrawn_at is not None:
        return None
    try:
        reply = revelation.reply
    except Revelation.reply.RelatedObjectDoesNotExist:
        return None
    bond = revelation.exchange.bond
    if not is_member(bond=bond, person=person) or reply.withdrawn_at is not None:
        return None
    mine = reply.author_id == person.pk
    if not mine and revelation.author_id != person.pk:
        return None
    if not mine and parted(bond=bond):
        return None
    author = reply.author
    try:
        parts = [author.open(bytes(getattr(reply, f"{p}_enc")), reply.aad(p)) for p in _PARTS]
    except CryptoError:
        return None
    thanked = False
    if mine:
        rating = getattr(revelation, "rating", None)
        thanked = bool(rating and rating.thanked)
    return ReplyView(
        id=reply.id,
        heard=parts[0],
        makes_sense=parts[1],
        care=parts[2],
        # The responder's own note of effort: never shown to the one replied to.
        costly=reply.costly and mine,
        mine=mine,
        created_at=reply.created_at,
        thanked=thanked,
    )


_PARTS = ("heard", "makes_sense", "care")


@dataclass(frozen=True)
class RatingView:
    understood: int
    validated: int
    cared: int
    thanked: bool
    created_at: datetime


def rating_for(*, revelation: Revelation, viewer: Any) -> RatingView | None:
    """The rating of the reply to ``revelation``: for the revealer alone, never the partner."""
    person = _person(viewer)
    if person is None or revelation.author_id != person.pk:
        return None
    rating = getattr(revelation, "rating", None)
    if rating is None:
        return None
    return RatingView(
        rating.understood, rating.validated, rating.cared, rating.thanked, rating.created_at
    )


def open_depth_of(*, bond: Bond) -> int:
    """The deepest depth open in ``bond`` (shared by both persons)."""
    return ledger.state_of(bond).open_depth


# ---------------------------------------------------------------------------------------
# Prompts

#: Stands wherever a question was shown whose words are gone: its author deleted their
#: account, or one of the two left the bond and the question is the other's.
QUESTION_GONE = gettext_lazy("A question that is no longer here")


def prompt_text_for(*, prompt: Prompt, bond: Bond, viewer: Any) -> str:
    """The words of ``prompt`` as the viewer may read them in ``bond``.

    The deck's questions are the same for everyone. A question someone wrote is theirs,
    sealed with their key: its author reads it, and so does the partner while neither has
    left; anyone else, or once its author's key is gone, meets :data:`QUESTION_GONE`.
    Every page, API body and export that shows a question reads it here."""
    if prompt.bond_id is None:
        return prompt.text
    try:
        side = side_of(bond=bond, person=viewer)
    except NotFound:
        return str(QUESTION_GONE)
    return prompt_text_for_side(prompt, bond, side)


def prompt_text_for_side(prompt: Prompt, bond: Bond, side: str) -> str:
    """:func:`prompt_text_for`, for the person on ``side`` of ``bond`` (already a member).
    The author is one of the bond's two persons, loaded with it: no query."""
    if prompt.bond_id is None:
        return prompt.text
    if prompt.bond_id != bond.pk or prompt.text_enc is None or prompt.author_id is None:
        return str(QUESTION_GONE)
    author = person_on(bond=bond, side=side)
    if author is None or author.pk != prompt.author_id:
        if parted(bond=bond):
            return str(QUESTION_GONE)
        author = person_on(bond=bond, side=engine.other(side))  # type: ignore[arg-type]
    if author is None or author.pk != prompt.author_id:
        return str(QUESTION_GONE)
    try:
        return author.open(bytes(prompt.text_enc), prompt.aad)
    except CryptoError:
        return str(QUESTION_GONE)


def in_safety_mode(*, bond: Bond, viewer: Any) -> bool:
    """Whether the viewer is in safety mode in ``bond``. Only ever asked about oneself."""
    side = side_of(bond=bond, person=viewer)
    return ledger.state_of(bond).side(side).safety


def nudges_allowed(*, bond: Bond, viewer: Any) -> bool:
    """Whether the viewer may be nudged to disclose (never in safety mode)."""
    side = side_of(bond=bond, person=viewer)
    return engine.nudges_allowed(ledger.state_of(bond), side)
