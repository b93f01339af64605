"""Bond pages kept in each app process's memory, keyed by everything they show — and
holding nothing that people wrote.

A bond's home page, an exchange page and the API's bond read are the same for one person
as long as nothing in the bond changed, the two names are the same and the minute is the
same. So a rendered page is kept under a key made of the bond's id, the viewer's side's
version of the bond (raised by every write to the bond or anything in it that this side
can see, in :func:`mutual.bonds.ledger.lock`), the viewer's side, both persons and their
names, and the current minute. The key is read from the database on every request — the
same small query that checks membership — so a process never shows a page rendered from
an older version, whichever process made the change. What depends on the time alone
(trust that fades, a difference due today) is at most a minute old. A write that stays
private to one side (a report) raises only that side's version: the partner's kept pages
stay as they are, so not even the cost of their next page tells them anything happened.

**No cache holds what people wrote.** A page is kept as a :class:`Frame`: rendered while
every text people wrote — answers, replies, their own questions, topics — stands as a
numbered blank (:func:`blank`), so the frame holds where each text goes and which one it
is, never the text. Each response fills the blanks afresh (:func:`fill`) with texts read
through the same selectors as a fresh page, and they are dropped with the response. An
exchange page is nearly all such text: it reads its answers on every request, and keeps
only the work of rendering them. The home page shows few (a question a person wrote, a
topic due again), read by one small query each only when the page shows one. Names are
account data, kept plain like an email address, and may stay in a frame.

The forms' CSRF token is never kept either: a placeholder stands in its place and each
response gets its own (:func:`with_csrf`). Bounded: the least recently used page goes
first, and none lives longer than :data:`MAX_AGE`.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.defaultfilters import linebreaks_filter, linebreaksbr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Bond, Prompt

#: Seconds a kept page lives at most (the key's minute makes it unreachable sooner).
MAX_AGE = 120.0

#: Stands for the CSRF token in a kept page; never a valid token.
CSRF_PLACEHOLDER = "mutual-csrf-placeholder-0f3a9c"


class PageCache:
    """A thread-safe, bounded least-recently-used map whose entries also expire: one
    older than ``max_age`` seconds is never returned and is dropped at the next write."""

    def __init__(self, size: int, max_age: float = MAX_AGE) -> None:
        self.size = size
        self.max_age = max_age
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            born, value = found
            if time.monotonic() - born > self.max_age:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        if self.size <= 0:
            return
        now = time.monotonic()
        with self._lock:
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            # Drop what has expired, oldest first (an entry read lately moved to the end).
            for old in [k for k, (born, _v) in self._items.items() if now - born > self.max_age]:
                del self._items[old]

    def fetch(
        self,
        key: Hashable,
        make: Callable[[], Any],
        texts: Callable[[tuple[Hashable, ...]], Mapping[Hashable, str]],
        *,
        keep: bool = True,
    ) -> Any:
        """The page kept under ``key``, or ``make()``'s, filled with this response's texts
        (:func:`fill`). A page made here is kept as its frame (:func:`framed`) unless
        ``keep`` is false (one that must not be reused, such as one with a form sent); a
        kept frame is filled with ``texts(refs)``, read afresh for this response."""
        if not keep:
            return make()
        frame = self.get(key)
        found: Mapping[Hashable, str]
        if frame is None:
            frame, found = framed(make)
            self.put(key, frame)
        else:
            found = texts(frame.refs)
        return fill(frame, found)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


#: Rendered pages and API reads of bonds in this process.
PAGES = PageCache(int(getattr(settings, "MUTUAL_PAGE_CACHE", 512)))


def key(bond: Bond, *, side: str, at: datetime, what: Hashable) -> tuple[Hashable, ...]:
    """Everything a kept bond page depends on (see the module's docstring)."""
    names = tuple(
        (person.pk, person.name) if person is not None else None
        for person in (bond.person_a, bond.person_b)
    )
    version = getattr(bond, f"version_{side}")
    return (what, bond.pk, version, side, names, at.strftime("%Y%m%d%H%M"))


def with_csrf(page: str, request: HttpRequest) -> SafeString:
    """A kept page with this request's own CSRF token in place of the placeholder."""
    return mark_safe(page.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308


# ---------------------------------------------------------------------------------------
# Frames: pages with blanks where the texts people wrote go

#: Random for each process, so that no name (which a frame may hold) can pass for a blank.
_NONCE = secrets.token_hex(8)
#: Which blank a text took: ``\ue000<nonce>-<n>-a`` and ``…-b`` around a paragraph break,
#: so the filter a template applied shows in the frame: as it is (escaped),
#: ``linebreaksbr`` (``<br><br>`` between the halves) or ``linebreaks`` (two paragraphs).
_HALF = "\ue000" + _NONCE + "-{n}-{half}"
_BLANK = re.compile(
    rf"<p>\ue000{_NONCE}-(\d+)-a</p>\n\n<p>\ue000{_NONCE}-\1-b</p>"
    rf"|\ue000{_NONCE}-(\d+)-a(<br><br>|\n\n)\ue000{_NONCE}-\2-b"
)


class Frame(NamedTuple):
    """A page (HTML) or an API body (JSON-like) with a blank for each text people wrote,
    and, for each blank in order, a reference to its text (kind and row id)."""

    content: Any
    refs: tuple[Hashable, ...]


class _Blanks:
    def __init__(self) -> None:
        self.refs: list[Hashable] = []
        self.texts: dict[Hashable, str] = {}

    def add(self, text: str, ref: Hashable) -> str:
        number = len(self.refs)
        self.refs.append(ref)
        self.texts[ref] = text
        return _HALF.format(n=number, half="a") + "\n\n" + _HALF.format(n=number, half="b")


_FRAMING: ContextVar[_Blanks | None] = ContextVar("mutual_framing", default=None)

T = TypeVar("T")


def blank(text: T, ref: Hashable) -> T:
    """``text`` — a string people wrote, or ``None`` — as it goes into a page: itself,
    or, while a frame is made (:func:`framed`), a numbered blank that stands for ``ref``."""
    blanks = _FRAMING.get()
    if blanks is None or not isinstance(text, str) or not text:
        return text
    return blanks.add(text, ref)  # type: ignore[return-value]


@contextmanager
def _framing() -> Iterator[_Blanks]:
    blanks = _Blanks()
    token = _FRAMING.set(blanks)
    try:
        yield blanks
    finally:
        _FRAMING.reset(token)


def framed(make: Callable[[], Any]) -> tuple[Frame, dict[Hashable, str]]:
    """``make()`` with every text passed through :func:`blank` left blank: the frame to
    keep, and the texts to fill it with for this response alone."""
    with _framing() as blanks:
        content = make()
    return Frame(content, tuple(blanks.refs)), blanks.texts


def texts_of(walk: Callable[[], object]) -> dict[Hashable, str]:
    """The texts ``walk()`` passes through :func:`blank`, by reference."""
    with _framing() as blanks:
        walk()
    return blanks.texts


def fill(frame: Frame, texts: Mapping[Hashable, str]) -> Any:
    """The frame's content with each blank filled from ``texts`` (by its reference), as
    the template would have drawn it: escaped, with ``<br>`` or in paragraphs."""
    if isinstance(frame.content, str):

        def one(match: re.Match[str]) -> str:
            number = int(match[1] if match[1] is not None else match[2])
            text = texts.get(frame.refs[number], "")
            if match[1] is not None:
                return str(linebreaks_filter(text, autoescape=True))
            if match[3] == "<br><br>":
                return str(linebreaksbr(text, autoescape=True))
            return str(escape(text))

        return _BLANK.sub(one, frame.content)
    return _fill_data(frame.content, frame.refs, texts)


def _fill_data(value: Any, refs: tuple[Hashable, ...], texts: Mapping[Hashable, str]) -> Any:
    if isinstance(value, dict):
        return {k: _fill_data(v, refs, texts) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill_data(v, refs, texts) for v in value]
    if isinstance(value, str) and value.startswith("\ue000"):
        match = _BLANK.fullmatch(value)
        if match is not None and match[3] == "\n\n":
            return texts.get(refs[int(match[2])], "")
    return value


# ---------------------------------------------------------------------------------------
# Where the texts of each kept page are


def exchange_words(view: Any) -> Any:
    """An exchange as :func:`mutual.bonds.selectors.exchange_view` shows it, with the
    question, both answers and their replies passed through :func:`blank`."""

    def reply(view: Any) -> Any:
        if view is None:
            return None
        return replace(
            view,
            heard=blank(view.heard, ("reply", view.id, "heard")),
            makes_sense=blank(view.makes_sense, ("reply", view.id, "makes_sense")),
            care=blank(view.care, ("reply", view.id, "care")),
        )

    def answer(side: Any) -> Any:
        ref = ("answer", side.revelation.pk if side.revelation is not None else side.side)
        return replace(side, text=blank(side.text, ref), reply=reply(side.reply))

    return replace(
        view,
        prompt_text=blank(view.prompt_text, ("question", view.prompt.pk)),
        mine=answer(view.mine),
        theirs=answer(view.theirs),
    )


def _question(item: Any) -> Any:
    """A waiting or history item of the home page: a question someone wrote is blank
    (the deck's own words stay, so most pages need no text read at all)."""
    prompt = item.exchange.prompt
    if prompt.bond_id is None:
        return item
    return replace(item, prompt_text=blank(item.prompt_text, ("question", prompt.pk)))


def home_words(home: Any) -> Any:
    """The home page's facts (:func:`mutual.bonds.selectors.bond_home`) with the
    questions people wrote passed through :func:`blank`."""
    return replace(
        home,
        waiting=[_question(item) for item in home.waiting],
        history=[_question(item) for item in home.history],
    )


def home_texts(
    refs: tuple[Hashable, ...], *, bond: Bond, viewer: Any, at: datetime
) -> dict[Hashable, str]:
    """The texts a kept home page (or API bond read) shows, read as a fresh page reads
    them: the questions people wrote in one query, topics due through their selector.
    Nothing is read for a page that shows none."""
    from mutual.differences import selectors as difference_selectors

    from . import selectors

    wanted = {ref[1] for ref in refs if isinstance(ref, tuple) and ref[0] == "question"}
    texts: dict[Hashable, str] = {}
    if wanted:
        for prompt in Prompt.objects.filter(bond=bond, pk__in=wanted):
            texts[("question", prompt.pk)] = selectors.prompt_text_for(
                prompt=prompt, bond=bond, viewer=viewer
            )
    if any(isinstance(ref, tuple) and ref[0] == "topic" for ref in refs):
        for due in difference_selectors.differences_due(bond=bond, viewer=viewer, at=at):
            texts[("topic", due.id)] = due.topic
    return texts
