"""Finds text in Mutual's Python code that a person will read but that is not marked for
translation, where it can be found by its place alone:

* a message (``messages.success/info/error/warning/debug``, ``messages.add_message``);
* a form's ``label=``, ``help_text=``, ``empty_label=`` or ``error_messages=``, a
  field's ``choices=``, and a ``TextChoices``/``IntegerChoices`` member's label;
* a ``ValidationError``, and the errors services raise for people to read (every
  subclass of ``mutual.bonds.errors.ServiceError``);
* the API's problem details (``ApiProblem``, ``problem``, ``HttpError``: the detail);
* a mail (``EmailMessage``, ``send_mail``: subject and body);
* a ``gettext`` (or kin) of a text formatted before it is looked up (an f-string, ``%``),
  which ``makemessages`` cannot collect. (A variable may be looked up: its texts are
  marked where they are written, with ``gettext_noop``.) Nor is a ``gettext`` inside an
  f-string: ``xgettext`` does not look there.

"Text" is a string literal, an f-string or a literal formatted with ``%`` or
``.format()`` that holds a word; ``gettext("…")`` and its kin are calls, so they pass.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

WORD = re.compile(r"[^\W\d_]{2,}")
MESSAGE_LEVELS = {"success", "info", "error", "warning", "debug"}
TEXT_KEYWORDS = {"label", "help_text", "empty_label", "xlabel", "ylabel", "title", "desc"}
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}
#: The error classes whose message people read, by the index of that message.
ERRORS = {"ValidationError": 0, "ServiceError": 0}
#: Calls whose second argument is a problem's detail.
PROBLEMS = {"ApiProblem": 1, "problem": 1, "HttpError": 1}
MAILS = {"EmailMessage": (0, 1), "EmailMultiAlternatives": (0, 1), "send_mail": (0, 1)}
#: The marking functions, with the index of the text they mark: it must be a plain literal,
#: or ``makemessages`` cannot put it in the catalogue.
MARKERS = {
    "gettext": 0,
    "gettext_lazy": 0,
    "_": 0,
    "pgettext": 1,
    "pgettext_lazy": 1,
    "ngettext": 0,
    "ngettext_lazy": 0,
}


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    column: int
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} ({self.where}): {self.text[:60]!r}"


def literal_text(node: ast.AST | None) -> str | None:
    """The words of ``node`` when it is unmarked text, else ``None``."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if WORD.search(node.value) else None
    if isinstance(node, ast.JoinedStr):
        parts = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
        return parts if WORD.search(parts) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return literal_text(node.left) or literal_text(node.right)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        return literal_text(node.func.value)
    return None


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _argument(call: ast.Call, index: int, keyword: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return call.args[index] if len(call.args) > index else None


def error_classes(trees: list[ast.Module]) -> set[str]:
    """``ServiceError`` and every class that derives from it, by name, across the code."""
    names = set(ERRORS)
    grew = True
    while grew:
        grew = False
        for tree in trees:
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in names
                    and any(_name(base) in names for base in node.bases)
                ):
                    names.add(node.name)
                    grew = True
    return names


def _choices(value: ast.AST) -> Iterator[ast.AST]:
    """The labels of a ``choices=`` list or tuple of pairs."""
    if isinstance(value, (ast.List, ast.Tuple)):
        for item in value.elts:
            if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                yield item.elts[1]


def findings(path: Path, tree: ast.Module, errors: set[str]) -> Iterator[Finding]:
    def found(node: ast.AST | None, where: str) -> Iterator[Finding]:
        text = literal_text(node)
        if text is not None and node is not None:
            yield Finding(
                path, getattr(node, "lineno", 0), getattr(node, "col_offset", 0), where, text
            )

    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
            _name(base) in CHOICES_BASES for base in node.bases
        ):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple):
                    yield from found(statement.value.elts[-1], f"{node.name} choice")
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and _name(inner.func) in MARKERS
                    and any(isinstance(a, ast.Constant) for a in inner.args)
                ):
                    text = ast.unparse(inner)
                    yield Finding(
                        path, inner.lineno, inner.col_offset, "marked inside an f-string", text
                    )
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        is_messages = isinstance(receiver, ast.Name) and receiver.id == "messages"
        if name in MARKERS and len(node.args) > MARKERS[name]:
            marked = node.args[MARKERS[name]]
            text = literal_text(marked)
            if text is not None and not isinstance(marked, ast.Constant):
                yield Finding(
                    path, node.lineno, node.col_offset, f"{name} of a formatted text", text
                )
        if is_messages and name in MESSAGE_LEVELS:
            yield from found(_argument(node, 1, "message"), f"messages.{name}")
        elif is_messages and name == "add_message":
            yield from found(_argument(node, 2, "message"), "messages.add_message")
        elif name in errors:
            yield from found(_argument(node, 0, "message"), name)
        elif name in PROBLEMS:
            yield from found(_argument(node, PROBLEMS[name], "detail"), name)
        elif name in MAILS:
            subject, body = MAILS[name]
            yield from found(_argument(node, subject, "subject"), f"{name} subject")
            yield from found(_argument(node, body, "body"), f"{name} body")
        for kw in node.keywords:
            if kw.arg in TEXT_KEYWORDS:
                yield from found(kw.value, kw.arg)
            elif kw.arg == "choices":
                for label in _choices(kw.value):
                    yield from found(label, "choices")
            elif kw.arg == "error_messages" and isinstance(kw.value, ast.Dict):
                for value in kw.value.values:
                    yield from found(value, "error_messages")


def unmarked(files: list[Path], root: Path) -> list[Finding]:
    """Every finding in ``files`` (paths shown relative to ``root``)."""
    trees = [(path.relative_to(root), ast.parse(path.read_text(), str(path))) for path in files]
    errors = error_classes([tree for _, tree in trees])
    return [found for path, tree in trees for found in findings(path, tree, errors)]
