"""Presenters: functions that turn what the selectors return into the API's response
bodies (plain dicts the response schemas validate). Nothing here decides visibility:
every value comes from a selector that already did.

These are the presenters several features share (a bond, a prompt, an exchange); a
presenter only one feature uses lives in that feature's module."""

from __future__ import annotations

from typing import Any

from mutual.bonds import selectors
from mutual.bonds.models import Bond, Exchange, Prompt
from mutual.web import names


def bond_out(bond: Bond, viewer: Any) -> dict[str, Any]:
    partner = selectors.partner_of(bond=bond, viewer=viewer)
    return {
        "id": bond.id,
        "kind": bond.kind,
        "status": bond.status,
        "created_at": bond.created_at,
        "my_side": selectors.side_of(bond=bond, person=viewer),
        "partner": {"name": partner.name} if partner is not None else None,
    }


def bond_detail(home: selectors.BondHome, viewer: Any) -> dict[str, Any]:
    """The bond read. In safety mode (``nudges`` false) nothing in it asks anything of the
    reader: nothing waits for them and the gate lists no needs — the same body in shape,
    and only ever the reader's own (the partner's read does not depend on it)."""
    trust = home.my_trust
    asks = home.nudges
    return {
        **bond_out(home.bond, viewer),
        "open_depth": home.open_depth,
        "depth_name": home.depth_name,
        "mutual_index": home.mutual_index,
        "index_change": home.index_change,
        "breadth": home.breadth,
        "my_trust": {
            "expected": trust.expected,
            "lower": trust.lower,
            "effective": trust.effective,
            "effective_lower": trust.effective_lower,
        },
        "gate": {
            "next_depth": home.gate.next_depth,
            "can_open": home.gate.can_open,
            "needs": home.gate_needs if asks else [],
        },
        "i_am_ready": home.i_am_ready,
        "partner_ready": home.partner_ready,
        "desire_opt_in": bool(getattr(home.bond, f"desire_{home.side}")),
        "waiting": [
            {"kind": w.kind, "exchange_id": w.exchange.id, "prompt": w.prompt_text}
            for w in home.waiting
            if asks
        ],
        "nudges": home.nudges,
        "in_safety_mode": selectors.in_safety_mode(bond=home.bond, viewer=viewer),
        "reflect": home.reflect,
    }


def prompt_out(prompt: Prompt, open_depth: int, text: str) -> dict[str, Any]:
    """A prompt with its words as the caller may read them (``selectors.prompt_text_for``)."""
    return {
        "id": prompt.id,
        "text": text,
        "depth": prompt.depth,
        "depth_name": names.depth_name(prompt.depth),
        "theme": prompt.theme,
        "emotional": prompt.emotional,
        "own": prompt.bond_id is not None,
        "open": prompt.depth <= open_depth,
    }


def _response(view: selectors.ReplyView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {
        "id": view.id,
        "heard": view.heard,
        "makes_sense": view.makes_sense,
        "care": view.care,
        "costly": view.costly,
        "mine": view.mine,
        "created_at": view.created_at,
        "thanked": view.thanked,
    }


def _rating(view: selectors.RatingView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {
        "understood": view.understood,
        "validated": view.validated,
        "cared": view.cared,
        "thanked": view.thanked,
        "created_at": view.created_at,
    }


def _answer(view: selectors.AnswerView) -> dict[str, Any]:
    return {
        "side": view.side,
        "mine": view.mine,
        "name": view.name,
        "answered": view.answered,
        "revelation_id": view.revelation.id if view.revelation is not None else None,
        "text": view.text,
        "withdrawn_at": view.withdrawn_at,
        "edited_at": view.edited_at,
        "response": _response(view.reply),
        "rating": _rating(view.rating),
        "can_reply": view.can_reply,
        "can_rate": view.can_rate,
    }


def exchange_out(exchange: Exchange, viewer: Any) -> dict[str, Any]:
    view = selectors.exchange_view(exchange=exchange, viewer=viewer)
    prompt = view.prompt
    return {
        "id": exchange.id,
        "bond_id": exchange.bond_id,
        "prompt": {
            "id": prompt.id,
            "text": view.prompt_text,
            "depth": prompt.depth,
            "theme": prompt.theme,
        },
        "opened_at": exchange.opened_at,
        "revealed_at": exchange.revealed_at,
        "sealed": view.sealed,
        "mine": _answer(view.mine),
        "theirs": _answer(view.theirs),
    }
