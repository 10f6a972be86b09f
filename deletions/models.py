"""A player's request to have their account erased, and what moderators decided."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


def grace_period() -> datetime.timedelta:
    """How long a player can change their mind before a moderator may approve."""
    return datetime.timedelta(days=settings.DELETION_GRACE_DAYS)


class DeletionRequest(models.Model):
    """One player's request to erase their account; at most one per account."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        CANCELLED = "cancelled", "Cancelled"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deletion_request",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_at = models.DateTimeField(default=timezone.now)
    grace_ends_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["grace_ends_at"]
        indexes = [models.Index(fields=["status", "grace_ends_at"])]
        permissions = [("decide_deletionrequest", "Can approve or reject")]

    def __str__(self) -> str:
        return f"Deletion request of account {self.user_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.REQUESTED

    def in_grace_period(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) < self.grace_ends_at
