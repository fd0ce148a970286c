from collections.abc import Iterable
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models.functions import Length, Now
from django.db.models.lookups import Exact


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


UNSIGNED = "Write audit events through audit.services, which signs them."
PLACED = "Audit events are placed in the chain by the chainer, after they are written."


class DatabaseNow(Now):
    """The database's clock as a column default: on PostgreSQL ``now()``, the transaction's
    start, which is what the stamp trigger (migration 0005) sets, so it has nothing to do."""

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template="now()", **extra_context)


def _refuse_unsigned(event: "AuditEvent") -> None:
    if len(event.mac) != 64:
        raise AppendOnlyError(UNSIGNED)
    if event.seq is not None or event.chain_hash is not None:
        raise AppendOnlyError(PLACED)


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def bulk_create(self, objs: Iterable["AuditEvent"], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for event in objs:
            _refuse_unsigned(event)
        return super().bulk_create(objs, *args, **kwargs)  # type: ignore[arg-type]


class AuditEvent(models.Model):
    """One thing someone did to, or saw of, case data. Append-only.

    The trail is how a scheme answers "who looked at this person's record, and who changed
    it". It is worthless if it can be edited, so the ORM refuses updates and deletes here and
    the database refuses them with a trigger (migrations 0002, 0009: only the chainer's one
    update, placing the event, is allowed), whatever code or admin tries.
    The target is stored as type and id, not a foreign key, so it outlives what it describes.

    Tamper-evident as well (audit/chain.py): the database sets ``created_at``; each event
    carries a keyed ``mac`` over its random ``uuid`` and fields from the moment it is written;
    and the chainer then gives it a ``seq`` and a ``chain_hash`` linking it to the one before,
    so a row slipped in by raw SQL, or one removed, fails ``manage.py audit_verify``.
    """

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the system (a scheduled job).",
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set by the database (a default, and a trigger, migration 0005), not by the application.
    created_at = models.DateTimeField(db_index=True, db_default=DatabaseNow())
    detail = models.JSONField(default=dict, blank=True)
    mac = models.CharField(max_length=64, help_text="HMAC over the uuid and the fields.")
    # Empty until the chainer (audit.services.audit_chain_pending) places the event.
    seq = models.BigIntegerField(
        unique=True, null=True, blank=True, help_text="The event's place in the chain."
    )
    # NULL, not "": "not placed yet" for the trigger and the check constraints, as ``seq``.
    chain_hash = models.CharField(  # noqa: DJ001
        max_length=64, null=True, blank=True, help_text="HMAC over the previous link."
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["actor", "created_at"]),
            # The chainer's queue: the events not yet chained, oldest first.
            models.Index(fields=["id"], condition=models.Q(seq=None), name="audit_event_unchained"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="audit_event_seq"),
            models.CheckConstraint(
                condition=Exact(Length("chain_hash"), 64), name="audit_event_chain_hash"
            ),
            models.CheckConstraint(
                condition=models.Q(seq=None, chain_hash=None)
                | models.Q(seq__isnull=False, chain_hash__isnull=False),
                name="audit_event_placed_whole",
            ),
            models.CheckConstraint(condition=Exact(Length("mac"), 64), name="audit_event_mac"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        _refuse_unsigned(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")
