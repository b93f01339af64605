"""Support near the person: the helplines the operator lists, country by country.

Mutual ships no phone number. A number that is wrong for someone at their hardest moment
is worse than none, and only whoever runs a server knows whom it serves. So the operator
writes a JSON file (its path in ``MUTUAL_SUPPORT_FILE``, docs/configuration.md) listing,
for each country they choose, the services to offer: a name, what it is for, and a phone
number, a text number, a web address and opening hours as they have them. A person picks
their country in their settings; the support pages show that country's services, and for
anyone else the neutral words on finding local help.

The file is read once per change (its modification time), checked strictly: a file that
does not hold what is described here is refused with a message that says what is wrong,
at start-up by the system check ``safety.E001``, and never half-read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

#: What a service may say of itself, and the longest each may be.
RESOURCE_FIELDS = {"name": 120, "for": 200, "phone": 40, "text": 60, "web": 200, "hours": 120}
#: At least one way to reach a service.
CONTACT_FIELDS = ("phone", "text", "web")
CODE = re.compile(r"^[A-Z]{2}$")
PHONE = re.compile(r"^[0-9+()\- ]{2,40}$")


class SupportFileError(ValueError):
    """The support file is missing, unreadable or not in the described shape."""


@dataclass(frozen=True)
class Resource:
    name: str
    #: Whom or what it is for ("domestic abuse", "thoughts of suicide", ...).
    serves: str = ""
    phone: str = ""
    text: str = ""
    web: str = ""
    hours: str = ""

    @property
    def phone_link(self) -> str:
        """The number as a ``tel:`` address (digits and a leading +)."""
        return "tel:" + re.sub(r"[^0-9+]", "", self.phone) if self.phone else ""


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    resources: tuple[Resource, ...]


@dataclass(frozen=True)
class Directory:
    countries: tuple[Country, ...]

    def get(self, code: str) -> Country | None:
        """The country of ``code``, if the operator lists it."""
        return next((c for c in self.countries if c.code == code), None)

    def choices(self) -> list[tuple[str, str]]:
        """(code, name) of every listed country, by name."""
        return sorted(((c.code, c.name) for c in self.countries), key=lambda c: c[1])


EMPTY = Directory(countries=())


def _text(value: Any, where: str, limit: int) -> str:
    if not isinstance(value, str):
        raise SupportFileError(f"{where} must be text.")
    value = value.strip()
    if len(value) > limit:
        raise SupportFileError(f"{where} is longer than {limit} characters.")
    return value


def _resource(raw: Any, where: str) -> Resource:
    if not isinstance(raw, dict):
        raise SupportFileError(f"{where} must be an object.")
    unknown = sorted(set(raw) - set(RESOURCE_FIELDS))
    if unknown:
        raise SupportFileError(f"{where} has fields Mutual does not know: {', '.join(unknown)}.")
    values = {
        key: _text(raw.get(key, ""), f"{where}.{key}", n) for key, n in RESOURCE_FIELDS.items()
    }
    if not values["name"]:
        raise SupportFileError(f"{where} needs a name.")
    if not any(values[key] for key in CONTACT_FIELDS):
        raise SupportFileError(f"{where} needs a phone, a text number or a web address.")
    for key in ("phone", "text"):
        if values[key] and not PHONE.match(values[key]):
            raise SupportFileError(
                f"{where}.{key} may hold only digits, spaces, +, - and brackets."
            )
    if values["web"] and not values["web"].startswith("https://"):
        raise SupportFileError(f"{where}.web must begin with https://.")
    return Resource(
        name=values["name"],
        serves=values["for"],
        phone=values["phone"],
        text=values["text"],
        web=values["web"],
        hours=values["hours"],
    )


def parse(data: Any) -> Directory:
    """The directory in ``data`` (the file's JSON), or :class:`SupportFileError`."""
    if not isinstance(data, dict) or set(data) != {"countries"}:
        raise SupportFileError('The support file must be an object with one key, "countries".')
    raw_countries = data["countries"]
    if not isinstance(raw_countries, list):
        raise SupportFileError('"countries" must be a list.')
    countries: list[Country] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_countries):
        where = f"countries[{i}]"
        if not isinstance(raw, dict) or set(raw) != {"code", "name", "resources"}:
            raise SupportFileError(f'{where} must have exactly "code", "name" and "resources".')
        code = _text(raw["code"], f"{where}.code", 2)
        if not CODE.match(code):
            raise SupportFileError(f"{where}.code must be two capital letters (ISO 3166-1).")
        if code in seen:
            raise SupportFileError(f"{where}.code {code} is listed twice.")
        seen.add(code)
        name = _text(raw["name"], f"{where}.name", 80)
        if not name:
            raise SupportFileError(f"{where} needs a name.")
        resources = raw["resources"]
        if not isinstance(resources, list) or not resources:
            raise SupportFileError(f"{where}.resources must be a list of at least one service.")
        countries.append(
            Country(
                code=code,
                name=name,
                resources=tuple(
                    _resource(r, f"{where}.resources[{j}]") for j, r in enumerate(resources)
                ),
            )
        )
    return Directory(countries=tuple(countries))


def read(path: Path) -> Directory:
    """The directory in the file at ``path``, or :class:`SupportFileError`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SupportFileError(f"The support file {path} cannot be read: {exc.strerror}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SupportFileError(f"The support file {path} is not valid JSON: {exc}.") from None
    return parse(data)


@lru_cache(maxsize=4)
def _read_cached(path: str, mtime_ns: int) -> Directory:
    return read(Path(path))


def directory() -> Directory:
    """The operator's directory (:data:`EMPTY` when none is configured). A file that
    cannot be used raises :class:`SupportFileError`; the system check reports it at
    start-up, so a running server meets it only if the file was broken since."""
    configured = getattr(settings, "SUPPORT_FILE", "")
    if not configured:
        return EMPTY
    path = Path(configured)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise SupportFileError(f"The support file {path} cannot be read: {exc.strerror}.") from None
    return _read_cached(str(path), mtime)


def for_country(code: str) -> Country | None:
    """The services the operator lists for ``code``; ``None`` means: show the neutral
    words on finding local help. A broken file shows the neutral words too, rather than
    no page at all."""
    if not code:
        return None
    try:
        return directory().get(code)
    except SupportFileError:
        return None


def country_choices() -> list[tuple[str, str]]:
    """The countries a person may choose (those the operator lists), by name."""
    try:
        return directory().choices()
    except SupportFileError:
        return []
