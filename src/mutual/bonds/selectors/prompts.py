"""The questions a bond may use, and the page that picks one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from mutual import engine
from mutual.web import names

from .. import ledger, onion
from ..errors import NotFound
from ..models import Bond, Exchange, Prompt
from .access import _uuid, prompt_text_for_side, side_of


def prompt_allowed(*, bond: Bond, prompt: Prompt) -> bool:
    """Whether ``prompt`` may be asked in ``bond`` at all (depth aside): deck prompts still
    in the deck, own prompts of this bond, friends-only prompts only between friends, and
    `desire` only for partners who both opted in."""
    if prompt.bond_id is not None and prompt.bond_id != bond.pk:
        return False
    if prompt.retired:
        return False
    if prompt.audience == Prompt.Audience.FRIENDS and bond.kind != Bond.Kind.FRIENDS:
        return False
    desire_ok = bond.kind == Bond.Kind.PARTNERS and bond.desire_a and bond.desire_b
    if prompt.audience == Prompt.Audience.PARTNERS and not desire_ok:
        return False
    return not (prompt.theme in engine.OPT_IN_THEMES and not desire_ok)


def prompts_available(*, bond: Bond, viewer: Any) -> list[Prompt]:
    """Prompts the viewer may pick in ``bond``, every depth (the page marks deeper ones
    as not open yet): the deck, own prompts of this bond, `desire` only when allowed."""
    side_of(bond=bond, person=viewer)
    candidates = Prompt.objects.filter(Q(bond__isnull=True) | Q(bond=bond), retired=False).order_by(
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


#: Questions shown per theme at the open depth before "show more" (a phone stays short).
PROMPTS_PER_THEME = 1


@dataclass(frozen=True)
class PromptChoice:
    """One question in the picker, with the exchange it already has in this bond."""

    prompt: Prompt
    exchange: Exchange | None
    #: The question's words as the viewer may read them (``prompt_text_for``).
    text: str

    @property
    def waiting(self) -> bool:
        """Already asked and still sealed: it is answered there, not asked again."""
        return self.exchange is not None and self.exchange.revealed_at is None


@dataclass(frozen=True)
class PromptPicker:
    """The page that picks a question: the open depth's questions by theme, those of
    the depths already open below it, and how many wait at the depths not open yet."""

    themes: list[str]
    #: The theme chosen ("" for all of them).
    theme: str
    depth_name: str
    current: list[dict[str, Any]]
    current_count: int
    earlier: list[dict[str, Any]]
    locked: list[dict[str, Any]]
    safety_mode: bool = False


def bond_themes(bond: Bond) -> list[str]:
    """The themes of ``bond``'s questions: `desire` only for partners who both opted in."""
    return onion.themes_for(kind=bond.kind, desire=bond.desire_a and bond.desire_b)


def _by_theme(choices: list[PromptChoice], themes: list[str]) -> list[dict[str, Any]]:
    """Choices grouped by theme; the ones not asked yet first, then the rest."""
    groups = []
    for theme in themes:
        mine = [c for c in choices if c.prompt.theme == theme]
        mine.sort(key=lambda c: c.exchange is not None)
        if mine:
            groups.append(
                {
                    "theme": theme,
                    "shown": mine[:PROMPTS_PER_THEME],
                    "more": mine[PROMPTS_PER_THEME:],
                }
            )
    return groups


def prompt_picker(*, bond: Bond, viewer: Any, theme: str = "") -> PromptPicker:
    """The question picker of ``bond`` as the viewer sees it, for one ``theme`` or all."""
    side = side_of(bond=bond, person=viewer)
    state = ledger.state_of(bond)
    open_depth = state.open_depth
    available = prompts_available(bond=bond, viewer=viewer)
    asked = prompts_asked(bond=bond, viewer=viewer)
    themes = bond_themes(bond)
    if theme not in themes:
        theme = ""
    chosen = [theme] if theme else themes
    choices = [
        PromptChoice(p, asked.get(p.pk), prompt_text_for_side(p, bond, side))
        for p in available
        if p.theme in chosen
    ]
    current = [c for c in choices if c.prompt.depth == open_depth]
    earlier = [
        {
            "depth": depth,
            "name": names.depth_name(depth),
            "choices": [c for c in choices if c.prompt.depth == depth],
        }
        for depth in range(open_depth - 1, -1, -1)
    ]
    locked = [
        {
            "name": names.depth_name(depth),
            "count": sum(1 for c in choices if c.prompt.depth == depth),
        }
        for depth in range(open_depth + 1, engine.MAX_DEPTH + 1)
    ]
    return PromptPicker(
        themes=themes,
        theme=theme,
        depth_name=names.depth_name(open_depth),
        current=_by_theme(current, chosen),
        current_count=len(current),
        earlier=[group for group in earlier if group["choices"]],
        locked=locked,
        safety_mode=state.side(side).safety,
    )


@dataclass(frozen=True)
class PromptForm:
    """What the page to write one's own question needs: the depths open and the themes."""

    open_depth: int
    themes: list[str]
    safety_mode: bool


def prompt_form(*, bond: Bond, viewer: Any) -> PromptForm:
    """The page to write one's own question in ``bond``."""
    side = side_of(bond=bond, person=viewer)
    state = ledger.state_of(bond)
    return PromptForm(state.open_depth, bond_themes(bond), state.side(side).safety)
