"""Every text a person reads that Mutual's Python code writes is marked for translation,
where its place gives it away (:mod:`tests.i18n.unmarked_python`): messages, form labels,
help texts and errors, choices, the errors services raise, the API's problem details,
mails, and the words of the charts."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from .unmarked_python import Finding, error_classes, findings, unmarked

SRC = Path(__file__).resolve().parents[2] / "src" / "mutual"

#: Parts of the package no person reads through the web, by their reason:
SKIPPED = {
    # what was true when each migration was written; never shown
    "migrations",
    # the simulator's report and figures are for researchers at a command line
    "simulate",
    # commands an operator runs; they speak English like the rest of the tooling
    "management",
}

#: Findings that are not text to translate, each with its reason (path, the text).
ALLOWED = {
    # the name of the API in its OpenAPI document: a name, the same in every language
    ("api/api.py", "Mutual API"),
}


@cache
def package_findings() -> tuple[Finding, ...]:
    files = sorted(
        path for path in SRC.rglob("*.py") if not SKIPPED.intersection(path.relative_to(SRC).parts)
    )
    return tuple(unmarked(files, SRC))


def check(source: str) -> list[str]:
    tree = ast.parse(source)
    return [f"{f.where}: {f.text}" for f in findings(Path("x.py"), tree, error_classes([tree]))]


def test_the_checker_finds_unmarked_text() -> None:
    source = """
from django.contrib import messages
from django.utils.translation import gettext, gettext_lazy as _

class Invalid(ServiceError): ...
class Kind(models.TextChoices):
    BOOK = "book", "Book"
    PAPER = "paper", _("Paper")

class F(forms.Form):
    name = forms.CharField(label="Your name", help_text=_("Marked"),
                           error_messages={"required": "Write it."})
    kind = forms.ChoiceField(choices=[("a", "Any"), ("b", _("Marked"))])

def view(request, n):
    messages.success(request, "Saved.")
    messages.info(request, gettext("Marked."))
    messages.error(request, f"Only {n} left.")
    raise Invalid(f"{n} is too long.")
    raise ValidationError("Not valid.")
    raise ApiProblem(404, "Not found.")
    EmailMessage(subject="Hello", body=gettext("Marked"))
    gettext(f"Formatted {n} first.")
    gettext("Formatted %(n)s after.") % {"n": n}
    messages.info(request, words[n])
    f"{gettext('Unseen')} by xgettext"
"""
    assert check(source) == [
        "Kind choice: Book",
        "label: Your name",
        "error_messages: Write it.",
        "choices: Any",
        "messages.success: Saved.",
        "messages.error: Only  left.",
        "Invalid:  is too long.",
        "ValidationError: Not valid.",
        "ApiProblem: Not found.",
        "EmailMessage subject: Hello",
        "gettext of a formatted text: Formatted  first.",
        "marked inside an f-string: gettext('Unseen')",
    ]


def test_every_text_people_read_in_python_is_marked() -> None:
    found: list[Finding] = [
        f for f in package_findings() if (f.path.as_posix(), f.text) not in ALLOWED
    ]
    assert not found, "unmarked text:\n" + "\n".join(str(f) for f in found[:20])


def test_the_allow_list_holds_only_what_is_still_found() -> None:
    found = {(f.path.as_posix(), f.text) for f in package_findings()}
    assert found >= ALLOWED, f"no longer found, take off ALLOWED: {ALLOWED - found}"
