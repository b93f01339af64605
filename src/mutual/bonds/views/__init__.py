"""Web views of the core loop, by concern: :mod:`.bond_pages` (the list of bonds, a
bond's home page, its history, readiness, questions), :mod:`.exchange_pages` (an exchange,
replying, rating, taking back) and :mod:`.joining` (invites and joining). Thin: parse the
form, call one service or one selector, render. :mod:`.common` holds what they share.

Anything the viewer may not see raises ``NotFound`` in the selectors and answers 404
(:func:`mutual.bonds.guards.member_view`). A refused write (``Invalid``/``Conflict``)
re-renders the form with the service's message or, for one-button actions, returns to the
bond with that message; nothing changes.
"""
