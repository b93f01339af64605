"""The checks every page and every write of a bond repeats, in one place: that the person
belongs to the bond (otherwise it does not exist for them: 404), that the bond is active,
and that an action on an answer is allowed by :mod:`mutual.bonds.rules`.

The views of the core loop, check-ins, differences and safety use :func:`member_view`
and :func:`bond_or_404`; the services refuse a write through :func:`require_active` and
:func:`require`, with the messages a person reads.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from . import rules, selectors
from .errors import Conflict, NotFound
from .models import Bond

#: A text for a person: a string, or one marked for translation at import.
StrOrPromise = str | Promise

View = Callable[..., HttpResponse]

# ---------------------------------------------------------------------------------------
# For views


def not_found_as_404(view: View) -> View:
    """Turn :class:`NotFound` from a selector or service into Django's 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404() from exc

    return wrapper


def member_view(view: View) -> View:
    """A page for signed-in people, where whatever they may not see is a 404."""
    return login_required(not_found_as_404(view))


def bond_or_404(request: HttpRequest, bond_id: Any) -> Bond:
    """The bond ``bond_id`` if the signed-in person belongs to it; otherwise 404."""
    try:
        return selectors.bond_get(id=bond_id, viewer=request.user)
    except NotFound as exc:
        raise Http404() from exc


def is_active(bond: Bond) -> bool:
    """Whether anything new can be added to ``bond`` (pages offer their forms then)."""
    return bond.status == Bond.Status.ACTIVE


# ---------------------------------------------------------------------------------------
# For services


def require_active(bond: Bond, message: StrOrPromise | None = None) -> None:
    """:class:`Conflict` unless ``bond`` is active: with ``message`` when given, else
    with words for why it is not (waiting, paused or ended)."""
    if is_active(bond):
        return
    if message is not None:
        raise Conflict(str(message))
    if bond.status == Bond.Status.WAITING:
        raise Conflict(
            gettext("This bond begins once the invite is accepted. Until then, nothing to add.")
        )
    if bond.status == Bond.Status.PAUSED:
        raise Conflict(
            gettext("This bond is paused, so nothing new can be added. It rests until resumed.")
        )
    raise Conflict(gettext("This bond has ended, so nothing new can be added."))


#: What a person is told when the rule refuses an action, by action and refusal; a
#: refusal not named here is :class:`NotFound` (the answer is not there for them).
_REFUSED: dict[tuple[str, str], tuple[type[Exception], StrOrPromise]] = {
    (rules.ANSWER, rules.ANSWERED): (
        Conflict,
        gettext_lazy("You have already answered. Open your answer to edit it."),
    ),
    (rules.EDIT, rules.WITHDRAWN): (
        Conflict,
        gettext_lazy("You withdrew this answer. A withdrawn answer stays withdrawn."),
    ),
    (rules.REPLY, rules.YOURS): (
        Conflict,
        gettext_lazy("A reply is written by the other person, not by the one who shared."),
    ),
    (rules.REPLY, rules.REPLIED): (
        Conflict,
        gettext_lazy("You have already replied to this answer."),
    ),
    (rules.RATE, rules.WITHDRAWN): (
        Conflict,
        gettext_lazy("You withdrew this answer, so there is nothing to rate."),
    ),
    (rules.RATE, rules.SEALED): (Conflict, gettext_lazy("There is no reply to rate yet.")),
    (rules.RATE, rules.NO_REPLY): (Conflict, gettext_lazy("There is no reply to rate yet.")),
    (rules.RATE, rules.RATED): (
        Conflict,
        gettext_lazy("You have already rated this reply. A rating is final once given."),
    ),
    (rules.TAKE_BACK, rules.REVEALED): (
        Conflict,
        gettext_lazy(
            "Both answers are already open, so this one can no longer be taken back "
            "unseen. You can still withdraw it."
        ),
    ),
    (rules.WITHDRAW, rules.WITHDRAWN): (
        Conflict,
        gettext_lazy("You have already withdrawn this answer."),
    ),
}


def require(action: str, facts: rules.Facts, bond: Bond) -> None:
    """Refuse ``action`` with the first thing the rule puts in its way, in words for
    the person (``bond`` says why it is not active); nothing when it is allowed."""
    reason = rules.refusal(action, facts)
    if reason is None:
        return
    if reason == rules.INACTIVE:
        require_active(bond)
    error, message = _REFUSED.get((action, reason), (NotFound, gettext_lazy("Not found.")))
    raise error(str(message))
