"""Prize payout claims, the wallet-number changes that hold them back, and the
site's payout settings."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from profiles.models import WalletSettings

from . import money


class PayoutClaim(models.Model):
    """A player's request to be paid part of their balance, settled by hand.

    The amount leaves the balance at once through its hold entry in the ledger.
    Paid, the hold stays as the payout's debit; rejected, a release entry puts
    the amount back.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PAID = "paid", "Paid"
        REJECTED = "rejected", "Rejected"

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.PROTECT, related_name="payout_claims"
    )
    amount_poisha = models.PositiveBigIntegerField()
    method = models.CharField(max_length=10, choices=WalletSettings.Method.choices)
    # The destination as it may be shown, and a keyed digest of the full number
    # that tells whether it changed since, without keeping a copy of it.
    destination_masked = models.CharField("number", max_length=11)
    destination_digest = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # One claim per form: the same form sent twice names the same token.
    token = models.UUIDField(editable=False)
    hold = models.OneToOneField(
        "profiles.WalletTransaction",
        on_delete=models.PROTECT,
        related_name="payout_claim_held",
    )
    release = models.OneToOneField(
        "profiles.WalletTransaction",
        on_delete=models.PROTECT,
        related_name="payout_claim_released",
        null=True,
        blank=True,
    )
    reference = models.CharField(
        "provider reference",
        max_length=40,
        blank=True,
        help_text="The transaction ID the wallet provider gave for the payment.",
    )
    reason = models.CharField("rejection reason", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = [
            models.Case(
                models.When(status="pending", then=models.Value(0)),
                default=models.Value(1),
            ),
            "-created_at",
            "-pk",
        ]
        default_permissions = ("view",)
        permissions = [
            ("resolve_payoutclaim", "Can mark payout claims paid or reject them"),
            (
                "reveal_payoutclaim",
                "Can see the full number a payout claim is paid to",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "token"], name="payout_claim_once_per_form"
            )
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["profile", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"Payout claim #{self.pk}: Tk {self.amount}"

    @property
    def amount(self) -> str:
        return money.taka(self.amount_poisha)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class WalletNumberChange(models.Model):
    """When a wallet number was set, changed or removed; a fresh one waits a day."""

    profile = models.ForeignKey(
        "profiles.Profile",
        on_delete=models.CASCADE,
        related_name="wallet_number_changes",
    )
    method = models.CharField(max_length=10, choices=WalletSettings.Method.choices)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["profile", "method", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.method} number of {self.profile_id} changed"


@register_setting(icon="form")
class PayoutSettings(BaseSiteSetting):
    """How prize payouts are claimed."""

    minimum_claim = models.DecimalField(
        "minimum claim (taka)",
        max_digits=10,
        decimal_places=2,
        default=Decimal("100.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="The smallest amount a player may claim at once.",
    )

    class Meta:
        verbose_name = "payout settings"
        verbose_name_plural = "payout settings"

    @property
    def minimum_claim_poisha(self) -> int:
        return money.to_poisha(self.minimum_claim)
