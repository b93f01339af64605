"""Reads: the one place that decides who may see what (DESIGN §3).

Deny by default. Anything a viewer may not see raises :class:`NotFound`, exactly as if
it did not exist; texts the viewer may not read come back as ``None``. Views, the API
and the other services read through these functions and never filter by hand.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Min, Prefetch, Q, QuerySet

from mutual import engine
from mutual.accounts.crypto import CryptoError
from mutual.accounts.models import Person

from . import ledger, waiting
from .errors import NotFound
from .models import Bond, Exchange, Prompt, Rating, Reading, Revelation

#: Statuses in which a bond is still there for its members to read.
TREND_WINDOW = timedelta(days=14)


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


def bond_get(*, id: Any, viewer: Any) -> Bond:
    """The bond ``id`` if the viewer belongs to it; otherwise :class:`NotFound`."""
    person = _person(viewer)
    if person is None:
        raise NotFound()
    try:
        return Bond.objects.select_related("person_a", "person_b").get(
            _member_q(person), pk=_uuid(id)
        )
    except Bond.DoesNotExist as exc:
        raise NotFound() from exc


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


def exchange_get(*, id: Any, viewer: Any) -> Exchange:
    """The exchange ``id`` if the viewer belongs to its bond; otherwise :class:`NotFound`."""
    person = _person(viewer)
    if person is None:
        raise NotFound()
    try:
        return Exchange.objects.select_related(
            "bond", "bond__person_a", "bond__person_b", "prompt"
        ).get(_member_q(person, "bond__"), pk=_uuid(id))
    except Exchange.DoesNotExist as exc:
        raise NotFound() from exc


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
        costly=reply.costly,
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


@dataclass(frozen=True)
class AnswerView:
    """One side of an exchange as the viewer may see it."""

    side: str
    mine: bool
    name: str
    answered: bool
    revelation: Revelation | None
    #: ``None`` while sealed, withdrawn or hidden.
    text: str | None
    withdrawn_at: datetime | None
    edited_at: datetime | None
    reply: ReplyView | None
    rating: RatingView | None
    #: The viewer may reply to this answer now.
    can_reply: bool
    #: The viewer may rate the reply to this answer now.
    can_rate: bool


@dataclass(frozen=True)
class ExchangeView:
    exchange: Exchange
    prompt: Prompt
    #: The question's words as the viewer may read them (:func:`prompt_text_for`).
    prompt_text: str
    my_side: str
    sealed: bool
    mine: AnswerView
    theirs: AnswerView
    #: The viewer may write or edit their answer now (the bond is active and, for a new
    #: answer, the prompt's depth is open).
    can_write: bool


def exchange_revelations() -> Prefetch[Any]:
    """Prefetch for a list of exchanges read through :func:`exchange_view`."""
    return Prefetch("revelations", queryset=Revelation.objects.select_related("reply", "rating"))


def _revelations_of(exchange: Exchange) -> list[Revelation]:
    """The exchange's answers with reply and rating; their authors are the bond's two
    persons, already loaded with the bond, so no query fetches them again."""
    prefetched = getattr(exchange, "_prefetched_objects_cache", {}).get("revelations")
    rows = list(
        prefetched
        if prefetched is not None
        else exchange.revelations.select_related("reply", "rating")
    )
    bond = exchange.bond
    people = {
        p.pk: p
        for p in (
            bond.person_a if Bond.person_a.is_cached(bond) else None,
            bond.person_b if Bond.person_b.is_cached(bond) else None,
        )
        if p is not None
    }
    for row in rows:
        if row.author_id in people:
            row.author = people[row.author_id]
        reply = waiting.related(row, "reply")
        if reply is not None and reply.author_id in people:
            reply.author = people[reply.author_id]
    return rows


def exchange_view(*, exchange: Exchange, viewer: Any) -> ExchangeView:
    """Everything of ``exchange`` the viewer may see, decided here and nowhere else."""
    bond = exchange.bond
    my_side = side_of(bond=bond, person=viewer)
    by_side = {r.side: r for r in _revelations_of(exchange)}
    sealed = exchange.revealed_at is None

    def answer(side: str) -> AnswerView:
        rev = by_side.get(side)
        mine = side == my_side
        person = person_on(bond=bond, side=side)
        text = revelation_text_for(revelation=rev, viewer=viewer) if rev else None
        reply = reply_for(revelation=rev, viewer=viewer) if rev else None
        rating = rating_for(revelation=rev, viewer=viewer) if rev else None
        visible = rev is not None and (mine or text is not None)
        active = bond.status == Bond.Status.ACTIVE
        return AnswerView(
            side=side,
            mine=mine,
            name="You" if mine else (display_name(person) if person else "Your partner"),
            answered=rev is not None,
            revelation=rev if visible else None,
            text=text,
            withdrawn_at=rev.withdrawn_at if rev and (mine or not sealed) else None,
            edited_at=rev.edited_at if rev and text is not None else None,
            reply=reply,
            rating=rating,
            can_reply=bool(
                active
                and not mine
                and text is not None
                and rev
                and waiting.related(rev, "reply") is None
            ),
            can_rate=bool(
                active and mine and text is not None and reply is not None and rating is None
            ),
        )

    other_side = "b" if my_side == "a" else "a"
    mine = answer(my_side)
    can_write = bond.status == Bond.Status.ACTIVE and (
        (mine.answered and mine.withdrawn_at is None and mine.text is not None)
        or (not mine.answered and engine.can_answer(ledger.state_of(bond), exchange.prompt.depth))
    )
    return ExchangeView(
        exchange=exchange,
        prompt=exchange.prompt,
        prompt_text=_prompt_text(exchange.prompt, bond, my_side),
        my_side=my_side,
        sealed=sealed,
        mine=mine,
        theirs=answer(other_side),
        can_write=can_write,
    )


def open_depth_of(*, bond: Bond) -> int:
    """The deepest depth open in ``bond`` (shared by both persons)."""
    return ledger.state_of(bond).open_depth


# ---------------------------------------------------------------------------------------
# Prompts

#: Stands wherever a question was shown whose words are gone: its author deleted their
#: account, or one of the two left the bond and the question is the other's.
QUESTION_GONE = "A question that is no longer here"


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
        return QUESTION_GONE
    return _prompt_text(prompt, bond, side)


def _prompt_text(prompt: Prompt, bond: Bond, side: str) -> str:
    """:func:`prompt_text_for`, for the person on ``side`` of ``bond`` (already a member).
    The author is one of the bond's two persons, loaded with it: no query."""
    if prompt.bond_id is None:
        return prompt.text
    if prompt.bond_id != bond.pk or prompt.text_enc is None or prompt.author_id is None:
        return QUESTION_GONE
    author = person_on(bond=bond, side=side)
    if author is None or author.pk != prompt.author_id:
        if parted(bond=bond):
            return QUESTION_GONE
        author = person_on(bond=bond, side=engine.other(side))  # type: ignore[arg-type]
    if author is None or author.pk != prompt.author_id:
        return QUESTION_GONE
    try:
        return author.open(bytes(prompt.text_enc), prompt.aad)
    except CryptoError:
        return QUESTION_GONE


def prompt_allowed(*, bond: Bond, prompt: Prompt) -> bool:
    """Whether ``prompt`` may be used in ``bond`` at all (depth aside): deck prompts,
    own prompts of this bond, and `desire` only for partners who both opted in."""
    if prompt.bond_id is not None and prompt.bond_id != bond.pk:
        return False
    desire_ok = bond.kind == Bond.Kind.PARTNERS and bond.desire_a and bond.desire_b
    if prompt.audience == Prompt.Audience.PARTNERS and not desire_ok:
        return False
    return not (prompt.theme in engine.OPT_IN_THEMES and not desire_ok)


def prompts_available(*, bond: Bond, viewer: Any) -> list[Prompt]:
    """Prompts the viewer may pick in ``bond``, every depth (the page marks deeper ones
    as not open yet): the deck, own prompts of this bond, `desire` only when allowed."""
    side_of(bond=bond, person=viewer)
    candidates = Prompt.objects.filter(Q(bond__isnull=True) | Q(bond=bond)).order_by(
        "depth", "theme", "key", "created_at"
    )
    return [p for p in candidates if prompt_allowed(bond=bond, prompt=p)]


def prompts_asked(*, bond: Bond, viewer: Any) -> dict[uuid.UUID, Exchange]:
    """For each prompt already asked in ``bond``, its latest exchange: one still sealed
    is answered there rather than asked again."""
    side_of(bond=bond, person=viewer)
    latest: dict[uuid.UUID, Exchange] = {}
    for exchange in Exchange.objects.filter(bond=bond).order_by("opened_at"):
        latest[exchange.prompt_id] = exchange
    return latest


def prompt_get(*, id: Any, bond: Bond, viewer: Any) -> Prompt:
    side_of(bond=bond, person=viewer)
    try:
        prompt = Prompt.objects.get(Q(bond__isnull=True) | Q(bond=bond), pk=_uuid(id))
    except Prompt.DoesNotExist as exc:
        raise NotFound() from exc
    if not prompt_allowed(bond=bond, prompt=prompt):
        raise NotFound()
    return prompt


# ---------------------------------------------------------------------------------------
# The bond's home page


@dataclass(frozen=True)
class WaitingItem:
    kind: str  # "answer" | "reply" | "rate"
    exchange: Exchange
    prompt_text: str


@dataclass(frozen=True)
class HistoryItem:
    exchange: Exchange
    status: str  # "sealed-mine" | "sealed-theirs" | "sealed-none" | "revealed"
    edited: bool
    #: The question's words as the viewer may read them (:func:`prompt_text_for`).
    prompt_text: str
    #: What this exchange waits for from the viewer: "answer", "reply", "rate".
    waits: tuple[str, ...] = ()


@dataclass(frozen=True)
class BondHome:
    bond: Bond
    side: str
    partner: Person | None
    partner_name: str
    state: engine.BondState
    open_depth: int
    depth_name: str
    mutual_index: int
    #: Change of the index over the last two weeks (from 0 for a young bond).
    index_change: int
    breadth: int
    #: The viewer's own trust in the partner: shown to the viewer alone.
    my_trust: engine.TrustView
    gate: engine.GateStatus
    #: Gate conditions in words, phrased so nothing private of the partner shows.
    gate_needs: list[str]
    #: Why the viewer may not say "ready" now (``engine.OWN_REASONS``): theirs alone.
    my_blocks: tuple[str, ...]
    i_am_ready: bool
    partner_ready: bool
    cells: frozenset[tuple[int, str]]
    waiting: list[WaitingItem] = field(default_factory=list)
    #: The newest exchanges (at most :data:`HISTORY_MAX`).
    history: list[HistoryItem] = field(default_factory=list)
    #: There are older exchanges than ``history`` shows.
    more_history: bool = False
    nudges: bool = True
    reflect: bool = False


def gate_needs(
    status: engine.GateStatus, side: str, partner_name: str, my_blocks: tuple[str, ...] = ()
) -> list[str]:
    """What the next depth still needs, in words, as ``side`` may know it: their own
    conditions, and whose word is missing. The partner's conditions never show — to
    the viewer a partner held back by something private has simply not said yes yet
    (docs/engine.md §10)."""
    if status.next_depth is None:
        return []
    needs = readiness_words(my_blocks, status.open_depth)
    mine, theirs = f"ready_{side}", f"ready_{'b' if side == 'a' else 'a'}"
    if mine in status.reasons:
        needs.append("Your word that you are ready to go deeper.")
    if theirs in status.reasons:
        needs.append(f"{partner_name}'s word that they are ready to go deeper.")
    return needs


def day_start(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _shown_reading(bond: Bond, before: datetime) -> tuple[int, int]:
    """The shared index (in steps) and breadth of the last reading before ``before``."""
    row = (
        Reading.objects.filter(bond=bond, at__lt=before)
        .order_by("-at", "-seq")
        .values_list("mutual_index", "breadth")
        .first()
    )
    if row is None:
        return 0, 0
    return engine.index_shown(row[0], ledger.PARAMS), row[1]


def shown_measures(bond: Bond, at: datetime) -> tuple[int, int, int]:
    """The shared index, its two-week change and breadth as both persons see them: as of
    the end of the previous day (UTC), the index in steps of five — so that one private
    rating can neither be timed nor solved for (docs/engine.md §11)."""
    today = day_start(at)
    index, breadth = _shown_reading(bond, today)
    earlier, _ = _shown_reading(bond, today - TREND_WINDOW)
    return index, index - earlier, breadth


def honored_total() -> int:
    """The least sum of the three 1–7 ratings that the engine counts as honored."""
    return next(
        total
        for total in range(3, 22)
        if engine.classify((total / 3 - 1) / 6, ledger.PARAMS) == "honored"
    )


def first_honored(
    bond: Bond, *, before: datetime | None = None
) -> dict[tuple[str, int, str], date]:
    """When each side was first honored at each (depth, theme), counting ratings given
    before ``before`` (all, when it is ``None``): at most 2 × 5 × 8 rows, however long
    the history."""
    ratings = Rating.objects.filter(revelation__exchange__bond=bond)
    if before is not None:
        ratings = ratings.filter(created_at__lt=before)
    rows = (
        ratings.annotate(total=F("understood") + F("validated") + F("cared"))
        .filter(total__gte=honored_total())
        .values(
            "revelation__side",
            "revelation__exchange__prompt__depth",
            "revelation__exchange__prompt__theme",
        )
        .annotate(first=Min("created_at"))
    )
    return {
        (
            r["revelation__side"],
            r["revelation__exchange__prompt__depth"],
            r["revelation__exchange__prompt__theme"],
        ): r["first"].date()
        for r in rows
    }


def shown_cells(bond: Bond, at: datetime) -> frozenset[tuple[int, str]]:
    """The onion's mutual cells as of the end of the previous day (as :func:`shown_measures`)."""
    first = first_honored(bond, before=day_start(at))
    mine = {(depth, theme) for side, depth, theme in first if side == "a"}
    theirs = {(depth, theme) for side, depth, theme in first if side == "b"}
    return frozenset(mine & theirs)


def readiness_words(blocks: tuple[str, ...], open_depth: int) -> list[str]:
    """A person's own reasons not to say "ready" yet, in words for them alone."""
    words = {
        "deepest": "Every depth is already open to you both.",
        "honored": (
            f"One of your own answers at {engine.DEPTHS[open_depth]} depth that felt "
            "honored to you."
        ),
        "distinct_days": "Sharing at Tender depth that felt honored to you, on two separate days.",
        "trust": "More trust of your own. It grows each time what you share is honored.",
    }
    return [words[block] for block in blocks]


#: At most this many waiting items and history entries on the home page; the page of all
#: exchanges (:func:`exchanges_page`) lists the rest.
WAITING_MAX = 20
HISTORY_MAX = 10


def _history_revelations() -> Prefetch[Any]:
    return Prefetch(
        "revelations",
        queryset=Revelation.objects.only("id", "exchange_id", "side", "edited_at", "withdrawn_at"),
    )


@dataclass(frozen=True)
class _WaitRules:
    """What the whole bond decides about waiting items, read once per page."""

    active: bool
    nudges: bool
    partner_gone: bool

    @classmethod
    def of(cls, bond: Bond, side: str, state: engine.BondState) -> _WaitRules:
        return cls(
            active=bond.status == Bond.Status.ACTIVE,
            nudges=engine.nudges_allowed(state, side),  # type: ignore[arg-type]
            partner_gone=partner_left(bond=bond, side=engine.other(side)),  # type: ignore[arg-type]
        )

    def kinds(self, ex: Exchange, side: str) -> tuple[str, ...]:
        if not self.active:
            return ()
        return tuple(
            kind
            for kind in waiting.kinds(getattr(ex, f"waits_{side}"))
            if not (kind == "answer" and not self.nudges)
            and not (kind == "reply" and self.partner_gone)
        )


def _history_item(ex: Exchange, bond: Bond, side: str, rules: _WaitRules) -> HistoryItem:
    revs = {r.side: r for r in ex.revelations.all()}
    edited = any(r.edited_at for r in revs.values() if r.withdrawn_at is None)
    if ex.revealed_at is None:
        mine, theirs = revs.get(side), revs.get(engine.other(side))  # type: ignore[arg-type]
        status_word = "sealed-mine" if mine else ("sealed-theirs" if theirs else "sealed-none")
    else:
        status_word = "revealed"
    return HistoryItem(
        ex, status_word, edited, _prompt_text(ex.prompt, bond, side), rules.kinds(ex, side)
    )


def _waiting_for(bond: Bond, side: str, rules: _WaitRules) -> list[WaitingItem]:
    """What waits for ``side`` in ``bond``, newest first: one indexed query over the
    exchanges whose waiting bits are set (:mod:`mutual.bonds.waiting`), whatever the
    length of the history; ``rules`` decide what depends on the whole bond."""
    if not rules.active:
        return []
    rows = (
        Exchange.objects.filter(bond=bond, **{f"waits_{side}__gt": 0})
        .select_related("prompt")
        .order_by("-opened_at")[:WAITING_MAX]
    )
    return [
        WaitingItem(kind, ex, _prompt_text(ex.prompt, bond, side))
        for ex in rows
        for kind in rules.kinds(ex, side)
    ]


#: Exchanges per page on the page of all exchanges.
HISTORY_PAGE = 25


def exchanges_page(*, bond: Bond, viewer: Any, page: Any) -> tuple[Page, list[HistoryItem]]:
    """One page of all the bond's exchanges, newest first, as the viewer may see them (a
    page number that is not one gives the nearest page)."""
    side = side_of(bond=bond, person=viewer)
    rules = _WaitRules.of(bond, side, ledger.state_of(bond))
    rows = (
        Exchange.objects.filter(bond=bond)
        .select_related("prompt")
        .prefetch_related(_history_revelations())
        .order_by("-opened_at", "-id")
    )
    paginator = Paginator(rows, HISTORY_PAGE)
    try:
        number = int(page)
    except (TypeError, ValueError):
        number = 1
    found = paginator.page(min(max(number, 1), paginator.num_pages))
    return found, [_history_item(ex, bond, side, rules) for ex in found.object_list]


def bond_home(*, bond: Bond, viewer: Any, at: datetime, history: bool = True) -> BondHome:
    """What the viewer sees on the bond's home page, as of ``at`` (without the newest
    exchanges when ``history`` is false, as the API's bond read needs them not)."""
    side = side_of(bond=bond, person=viewer)
    partner = partner_of(bond=bond, viewer=viewer)
    partner_name = display_name(partner) if partner else "your partner"
    state = ledger.state_of(bond)
    params = ledger.PARAMS
    index, change, breadth = shown_measures(bond, at)
    status = engine.shared_gate(state, at, params)
    my_blocks = engine.readiness(state, side, at, params)  # type: ignore[arg-type]
    other_side = engine.other(side)
    rules = _WaitRules.of(bond, side, state)
    recent = (
        list(
            Exchange.objects.filter(bond=bond)
            .select_related("prompt")
            .prefetch_related(_history_revelations())
            .order_by("-opened_at")[: HISTORY_MAX + 1]
        )
        if history
        else []
    )
    newest = [_history_item(ex, bond, side, rules) for ex in recent[:HISTORY_MAX]]
    bal = engine.balance(state, params)
    return BondHome(
        bond=bond,
        side=side,
        partner=partner,
        partner_name=partner_name,
        state=state,
        open_depth=state.open_depth,
        depth_name=engine.DEPTHS[state.open_depth],
        mutual_index=index,
        index_change=change,
        breadth=breadth,
        my_trust=engine.trust(state, side, at, params),
        gate=status,
        gate_needs=gate_needs(status, side, partner_name, my_blocks),
        my_blocks=my_blocks,
        i_am_ready=engine.is_ready(state, side, at, params),  # type: ignore[arg-type]
        partner_ready=engine.is_ready(state, other_side, at, params),
        cells=shown_cells(bond, at),
        waiting=_waiting_for(bond, side, rules),
        history=newest,
        more_history=len(recent) > HISTORY_MAX,
        nudges=rules.nudges,
        reflect=bal.reflect and bal.more_exposed == side,
    )


def in_safety_mode(*, bond: Bond, viewer: Any) -> bool:
    """Whether the viewer is in safety mode in ``bond``. Only ever asked about oneself."""
    side = side_of(bond=bond, person=viewer)
    return ledger.state_of(bond).side(side).safety


def nudges_allowed(*, bond: Bond, viewer: Any) -> bool:
    """Whether the viewer may be nudged to disclose (never in safety mode)."""
    side = side_of(bond=bond, person=viewer)
    return engine.nudges_allowed(ledger.state_of(bond), side)
