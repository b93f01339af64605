"""Errors that services and selectors raise; views and the API turn them into answers.

``NotFound`` → 404 (also for anything the viewer may not see: it does not exist for
them). ``Invalid`` → 400/422 with the message shown to the person. ``Conflict`` → 409.
Messages are written for the person, in plain words.
"""

from __future__ import annotations

from django.utils.translation import gettext


class ServiceError(Exception):
    """Base of the errors a person can be shown."""

    status = 400

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        #: The form field the error is about, when it is one (pages show it beside it).
        self.field = field


class NotFound(ServiceError):
    status = 404

    def __init__(self, message: str | None = None) -> None:
        super().__init__(gettext("Not found.") if message is None else message)


class Invalid(ServiceError):
    status = 422


class Conflict(ServiceError):
    status = 409
