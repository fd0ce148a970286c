from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


UNCHAINED = "Write audit events through audit.services, which chains them."


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def bulk_create(self, objs: Iterable["AuditEvent"], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        if any(len(e.chain_hash) != 64 for e in objs):
            raise AppendOnlyError(UNCHAINED)
        return super().bulk_create(objs, *args, **kwargs)  # type: ignore[arg-type]


class AuditEvent(models.Model):
    """One thing someone did to, or saw of, case data. Append-only.

    The trail is how a scheme answers "who looked at this person's record, and who changed
    it". It is worthless if it can be edited, so the ORM refuses updates and deletes here and
    PostgreSQL refuses them with a trigger (migration 0002), whatever code or admin tries.
    The target is stored as type and id, not a foreign key, so it outlives what it describes.

    Tamper-evident as well (audit/chain.py): the database sets ``created_at``, and each
    event's ``chain_hash`` is a keyed hash over the event before it and this event's fields,
    in ``seq`` order, so a row slipped in by raw SQL breaks ``manage.py audit_verify``.
    """

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
    # Set by the database (a trigger, migration 0005), not by the application.
    created_at = models.DateTimeField(db_index=True)
    detail = models.JSONField(default=dict, blank=True)
    seq = models.BigIntegerField(unique=True, help_text="The event's place in the chain.")
    chain_hash = models.CharField(max_length=64, help_text="HMAC over the previous hash.")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["actor", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="audit_event_seq"),
            models.CheckConstraint(
                condition=Exact(Length("chain_hash"), 64), name="audit_event_chain_hash"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        if len(self.chain_hash) != 64:
            raise AppendOnlyError(UNCHAINED)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")
