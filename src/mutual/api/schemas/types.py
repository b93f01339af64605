"""Types the request bodies share, so the server accepts exactly what the OpenAPI document
calls valid.

JSON Schema's ``integer`` is a number with no fractional part, ``3.0`` included; pydantic's
``StrictInt`` would refuse ``3.0``. :data:`Whole` takes ``3`` and ``3.0`` alike and still
refuses ``"3"``, ``true`` and ``3.5`` (none of them an integer in the document either).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictInt


def _whole(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Whole = Annotated[StrictInt, BeforeValidator(_whole)]

#: Every character Python's ``str.strip()`` removes (``str.isspace``), as a class body.
SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: A text that holds something besides those spaces: the services strip surrounding space
#: and refuse what is left empty. A JSON Schema pattern matches anywhere in the string.
SOME_TEXT = f"[^{SPACES}]"
#: An address as Django's validator takes it: a dot-atom, @, host names and a top-level
#: domain of letters (ASCII; `tests/api/test_contract_exact.py` checks the two agree).
EMAIL = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z-]{0,61}[A-Za-z]$"
)


class Out(BaseModel):
    """A response body the presenters (``api.presenters``) build as plain dicts.

    Validated by pydantic itself, as every response is, and keeping only the fields it
    names; ``ninja.Schema`` would first wrap each nested dict in a getter that resolves
    ORM objects, which a plain dict does not need and which cost the hot reads (the bond,
    the exchange) a large part of their time."""

    model_config = ConfigDict(from_attributes=True)
