"""What moderators work with: players as they see them, reports, suspensions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from profiles.models import Profile


class Player(Profile):
    """A player's account as moderators see it in the admin.

    A proxy of the profile, so the players listing and the player view have
    permissions of their own, apart from anything editors are given.
    """

    class Meta:
        proxy = True
        default_permissions = ("view",)
        permissions = [
            ("reveal_wallet_number", "Can reveal a player's full wallet number"),
        ]

    @property
    def status(self) -> str:
        """Where the account stands, as the players listing and view show it."""
        deletion = getattr(self.user, "deletion_request", None)
        asked = deletion.status if deletion else None
        if asked == "approved":
            return "Erased"
        state = "Active" if self.user.is_active else "Suspended"
        return f"{state}, deletion requested" if asked == "requested" else state


class Report(models.Model):
    """A player's report that another player's profile breaks the rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Harassment or hate"
        IMPERSONATION = "impersonation", "Pretending to be someone else"
        CHEATING = "cheating", "Cheating or match fixing"
        SCAM = "scam", "Scam or fraud"
        OFFENSIVE = "offensive", "Offensive name, picture or bio"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DISMISSED = "dismissed", "Dismissed"
        WARNED = "warned", "Player warned"
        SUSPENDED = "suspended", "Player suspended"

    NOTE_MAX_LENGTH = 1000
    # How many of one player's reports may wait for the moderators at once.
    OPEN_PER_REPORTER = 10

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="reports_against"
    )
    reporter = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="reports_made"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution_note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("resolve_report", "Can resolve reports")]
        default_permissions = ("view",)
        constraints = [
            # A reporter waits for the moderators' answer before reporting the
            # same profile again.
            models.UniqueConstraint(
                fields=["reporter", "profile"],
                condition=Q(status="open"),
                name="one_open_report_per_reporter_and_profile",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.get_reason_display()})"


class SuspensionQuerySet(models.QuerySet):
    def in_force(self, now=None):
        """Suspensions not lifted whose end, if any, is still to come."""
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class Suspension(models.Model):
    """A player barred from signing in, with why and until when."""

    REASON_MAX_LENGTH = 1000

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions"
    )
    reason = models.TextField(max_length=REASON_MAX_LENGTH)
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty to suspend until lifted."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        default_permissions = ("add", "view")
        permissions = [("lift_suspension", "Can lift a suspension early")]

    def __str__(self) -> str:
        return f"Suspension {self.pk}"

    @property
    def has_ended(self) -> bool:
        return self.ends_at is not None and self.ends_at <= timezone.now()
