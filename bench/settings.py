"""Mutual's settings for the app processes of the bench and the drills: exactly those of
``mutual.config.settings`` (the environment decides the rest, as in production), with the
floor view mounted at ``/bench/floor/`` (``bench/floor.py``)."""

from mutual.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor"
