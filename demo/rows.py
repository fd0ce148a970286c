"""Plumbing for writing demo rows fast: ids counted in advance, rows held until they are
flushed, and plain tuples inserted with COPY. A national seed of about a million meetings
keeps memory flat this way, and costs seconds rather than minutes."""

import io
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import DateTimeField, Field, Max, Model, UUIDField

from relationships.models import Goal, GoalScore, Pause, Review, Step

BATCH = 5000

#: The columns of a meeting row, in the order of the tuples in ``Rows.meetings``.
MEETING_COLUMNS = [
    "id", "relationship", "client_id", "held_at", "duration_minutes", "mode", "initiated_by",
    "outcome", "purpose", "note_shared", "note_private", "expenses", "logged_by",
    "created_at",
]  # fmt: skip

#: One meeting, in ``MEETING_COLUMNS`` order.
MeetingRow = tuple[Any, ...]


@dataclass
class Rows:
    """Rows waiting to be written, flushed in order so foreign keys are always met."""

    pauses: list[Pause] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    scores: list[GoalScore] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)
    touched: list[tuple[int, int]] = field(default_factory=list)  # (meeting id, goal id)


class Ids:
    """Primary keys handed out here rather than by the database, so rows can point at rows
    not written yet (a meeting at its relationship, a score at its review)."""

    def __init__(self, models: Iterable[type[Model]]) -> None:
        self.next = {model: _next_id(model) for model in models}

    def __call__(self, model: type[Model]) -> int:
        value = self.next[model]
        self.next[model] += 1
        return value

    def reset_sequences(self) -> None:
        """Move the database's counters past the ids handed out, once the rows are in."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.next)):
                cursor.execute(sql)


def _next_id(model: type[Model]) -> int:
    top: int | None = model._default_manager.aggregate(top=Max("pk"))["top"]
    return (top or 0) + 1


def _csv(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return str(value)


def insert_rows(model: type[Model], columns: list[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert plain tuples fast: COPY on PostgreSQL, one executemany elsewhere.

    A million meetings through ``bulk_create`` cost minutes of Django preparing each value;
    COPY takes them as text in seconds. ``columns`` are field names, in the tuples' order.
    """
    if not rows:
        return
    fields = [_concrete(model, name) for name in columns]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.get_attname_column()[1] or f.name) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write(",".join(map(_csv, row)))
                buffer.write("\n")
            buffer.seek(0)
            sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)"
            cursor.cursor.copy_expert(sql, buffer)
        else:
            # Only datetimes and UUIDs need adapting for SQLite; the rest go as they are.
            adapt: list[Callable[[Any], Any]] = [
                connection.ops.adapt_datetimefield_value
                if isinstance(f, DateTimeField)
                else _uuid_hex
                if isinstance(f, UUIDField)
                else _same
                for f in fields
            ]
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 (model names)
                [tuple(a(v) for a, v in zip(adapt, row, strict=True)) for row in rows],
            )


def _concrete(model: type[Model], name: str) -> "Field[Any, Any]":
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.concrete:
        raise TypeError(f"{model.__name__}.{name} is not a column of its table.")
    return field


def _uuid_hex(value: uuid.UUID) -> str:
    return value.hex


def _same(value: object) -> object:
    return value
