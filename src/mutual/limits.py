"""Every limit on text people write, in one place.

Forms (``max_length``), API schemas (``max_length`` in the OpenAPI document) and services
(the check that holds whichever way the text came in) all read these numbers, so the
three can never disagree. Lengths count characters after surrounding space is stripped.
"""

from __future__ import annotations

from typing import Final

#: A name one goes by in a bond.
NAME: Final = 60
#: An invite code as typed (codes are far shorter; this only bounds the input).
INVITE_CODE: Final = 200
#: A question someone writes for their bond.
QUESTION: Final = 300
#: An answer.
ANSWER: Final = 20_000
#: Each of the three parts of a reply (heard, why it makes sense, care).
REPLY_PART: Final = 5_000
#: The private note of a report.
REPORT_NOTE: Final = 5_000
#: The note of a check-in.
CHECKIN_NOTE: Final = 280
#: The topic of a difference.
TOPIC: Final = 200
#: A perspective on a difference, and a restatement of the other's.
PERSPECTIVE: Final = 4_000

__all__ = [
    "ANSWER",
    "CHECKIN_NOTE",
    "INVITE_CODE",
    "NAME",
    "PERSPECTIVE",
    "QUESTION",
    "REPLY_PART",
    "REPORT_NOTE",
    "TOPIC",
]
