"""The demo: a living bond of Alice and Bob with about three weeks of history, written
through the real services (``seed``), with the check-ins (``checkins``) and the difference
(``differences``) of those weeks. Used by ``mutual demo`` and the browser tests; never by
the product itself."""
