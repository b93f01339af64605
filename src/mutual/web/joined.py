"""Hand-written joined reads: one ``SELECT`` over several tables, built into model instances
with their relations already in place.

The reads every request makes — the token and its person, the bond and its two people, the
exchange with its bond and prompt — are the same few statements every time. Django's ORM
compiles each queryset anew on every call, and for a join of four tables that compiling
costs several times what the database spends answering. Here the statement is written
once (its column list taken from the models, so it follows every migration) and each row
becomes instances through the same doors the ORM uses: the database's converters, then
:meth:`~django.db.models.Model.from_db`, then the relation cache of the parent row.

Only reads by key belong here; anything with a filter a person chooses stays in the ORM.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, ForeignObjectRel, Model

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


@dataclass(frozen=True)
class Part:
    """One table of a join: ``model`` under ``alias``. ``parent`` and ``relation`` name the
    part and the relation through which the instance is reached (``None`` for the first
    part): a foreign key of the parent, or the reverse of a one-to-one field pointing at
    it. A part joined with ``LEFT JOIN`` may come back empty (``None``)."""

    model: type[Model]
    alias: str
    parent: str | None = None
    relation: str | None = None
    fields: Sequence[Field[Any, Any]] = field(init=False, repr=False)
    names: Sequence[str] = field(init=False, repr=False)
    pk_index: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        fields = tuple(self.model._meta.concrete_fields)
        object.__setattr__(self, "fields", fields)
        object.__setattr__(self, "names", [f.attname for f in fields])
        pk = self.model._meta.pk
        object.__setattr__(self, "pk_index", next(i for i, f in enumerate(fields) if f is pk))

    def columns(self, connection: BaseDatabaseWrapper) -> str:
        q = connection.ops.quote_name
        return ", ".join(f"{q(self.alias)}.{q(_column(f))}" for f in self.fields)

    def table(self, connection: BaseDatabaseWrapper) -> str:
        q = connection.ops.quote_name
        return f"{q(self.model._meta.db_table)} {q(self.alias)}"


class Read:
    """A read of one row by a unique key of the first part's model, joined (``LEFT JOIN``
    on the foreign key) to every other part; the whole statement is written here from
    the models, so it follows every migration.

    ``by`` names the unique field the row is read by (the primary key by default);
    ``null`` names fields of the first part that must be ``NULL`` for the row to count.

    :meth:`many` reads several rows instead: ``where`` is then the condition after ``by``
    (columns written ``{alias.column}``, compared with literals of the code or with
    ``%s`` parameters, never with text a person sent), ``order`` the ``ORDER BY`` and
    ``limit`` the most rows.
    """

    def __init__(
        self,
        *parts: Part,
        by: str = "pk",
        null: Sequence[str] = (),
        where: str = "",
        order: str = "",
        limit: int | None = None,
    ) -> None:
        self.parts = parts
        first = parts[0].model._meta
        self._by = first.pk if by == "pk" else first.get_field(by)
        self._null = [first.get_field(name) for name in null]
        self._where, self._order, self._limit = where, order, limit
        self._compiled: dict[str, tuple[str, list[list[tuple[int, Any, list[Converter]]]]]] = {}

    def _sql(self, connection: BaseDatabaseWrapper) -> str:
        q = connection.ops.quote_name
        first, *joined = self.parts
        select = ", ".join(part.columns(connection) for part in self.parts)
        text = [f"SELECT {select} FROM {first.table(connection)}"]  # noqa: S608 - names only
        by_alias = {part.alias: part for part in self.parts}
        for part in joined:
            assert part.parent is not None
            assert part.relation is not None
            parent = by_alias[part.parent]
            relation = parent.model._meta.get_field(part.relation)
            if isinstance(relation, ForeignObjectRel):
                # The reverse of a one-to-one field: the child row points at the parent.
                mine, theirs = _column(relation.field), _column(parent.model._meta.pk)
            else:
                mine, theirs = _column(part.model._meta.pk), _column(relation)
            text.append(
                f"LEFT JOIN {part.table(connection)} ON {q(part.alias)}.{q(mine)}"
                f" = {q(parent.alias)}.{q(theirs)}"
            )
        conditions = [f"{q(first.alias)}.{q(_column(self._by))} = %s"]
        conditions += [f"{q(first.alias)}.{q(_column(f))} IS NULL" for f in self._null]
        if self._where:
            conditions.append(self._columns(self._where, q))
        text.append("WHERE " + " AND ".join(conditions))
        if self._order:
            text.append("ORDER BY " + self._columns(self._order, q))
        if self._limit is not None:
            text.append(f"LIMIT {int(self._limit)}")
        return " ".join(text)

    @staticmethod
    def _columns(text: str, q: Callable[[str], str]) -> str:
        """``text`` with each ``{alias.column}`` quoted for the database."""
        return re.sub(r"\{(\w+)\.(\w+)\}", lambda m: f"{q(m.group(1))}.{q(m.group(2))}", text)

    def _compile(self, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        found = self._compiled.get(connection.alias)
        if found is not None:
            return found
        converters = []
        for part in self.parts:
            # Only the fields that have converters: most columns come back as they are.
            per_field = []
            for i, f in enumerate(part.fields):
                col = f.get_col(part.alias)
                funcs = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
                if funcs:
                    per_field.append((i, col, funcs))
            converters.append(per_field)
        compiled = (self._sql(connection), converters)
        self._compiled[connection.alias] = compiled
        return compiled

    def one(self, key: Any, *, using: str = "default") -> dict[str, Any] | None:
        """The instances of the row whose ``by`` field is ``key``, by alias, with their
        relations set (``None`` for a part with no row); ``None`` when there is no row."""
        rows = self.many(key, using=using)
        return rows[0] if rows else None

    def many(
        self, key: Any, *, using: str = "default", where: Sequence[tuple[str, Any]] = ()
    ) -> list[dict[str, Any]]:
        """Every row whose ``by`` field is ``key`` (and that meets ``where``), in order.

        ``where`` gives the values of the ``%s`` parameters of the condition, in order,
        each with the name of the first part's field it is compared with (which prepares
        it for the database, as the ORM would)."""
        connection = connections[using]
        sql, converters = self._compile(connection)
        value = self._by.get_db_prep_value(self._by.to_python(key), connection, prepared=False)  # type: ignore[union-attr]
        first = self.parts[0].model._meta
        params = [value] + [
            first.get_field(name).get_db_prep_value(given, connection, prepared=False)  # type: ignore[union-attr]
            for name, given in where
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [self._build(row, converters, connection, using) for row in rows]

    def _build(
        self,
        row: Sequence[Any],
        converters: list[list[tuple[int, Any, list[Converter]]]],
        connection: BaseDatabaseWrapper,
        using: str,
    ) -> dict[str, Any]:
        built: dict[str, Any] = {}
        start = 0
        for part, per_field in zip(self.parts, converters, strict=True):
            values = list(row[start : start + len(part.fields)])
            start += len(part.fields)
            if values[part.pk_index] is None:
                built[part.alias] = None
                continue
            for i, col, funcs in per_field:
                for convert in funcs:
                    values[i] = convert(values[i], col, connection)
            built[part.alias] = part.model.from_db(using, part.names, values)
        for part in self.parts:
            parent = built[part.parent] if part.parent is not None else None
            if parent is not None and part.relation is not None:
                # The relation's cache, exactly as ``select_related`` leaves it.
                relation = parent._meta.get_field(part.relation)
                relation.set_cached_value(parent, built[part.alias])
                if isinstance(relation, ForeignObjectRel) and built[part.alias] is not None:
                    relation.field.set_cached_value(built[part.alias], parent)
        return built


def _column(field: Any) -> str:
    """The database column of a concrete field."""
    column = getattr(field, "column", None)
    assert isinstance(column, str), field
    return column
