from django.db import models
from django.db.models import Sum


class WalletSettings(models.Model):
    """Where prize money is paid: mobile-wallet numbers, stored as 01XXXXXXXXX."""

    class Method(models.TextChoices):
        BKASH = "bkash", "bKash"
        NAGAD = "nagad", "Nagad"
        ROCKET = "rocket", "Rocket"

    profile = models.OneToOneField(
        "profiles.Profile", on_delete=models.CASCADE, related_name="wallet"
    )
    bkash_number = models.CharField("bKash number", max_length=11, blank=True)
    nagad_number = models.CharField("Nagad number", max_length=11, blank=True)
    rocket_number = models.CharField("Rocket number", max_length=11, blank=True)
    preferred_method = models.CharField(
        max_length=10, choices=Method.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "wallet settings"

    def __str__(self) -> str:
        return f"Wallet of {self.profile_id}"

    def number(self, method: str) -> str:
        """The number saved for a wallet method; "" for none or an unknown method."""
        if method not in self.Method.values:
            return ""
        return getattr(self, f"{method}_number")


class WalletTransaction(models.Model):
    """One entry of a player's append-only wallet ledger, in poisha (1/100 taka)."""

    class Kind(models.TextChoices):
        PRIZE = "prize", "Prize"
        PAYOUT = "payout", "Payout"
        ENTRY_FEE = "entry_fee", "Entry fee"
        ADJUSTMENT = "adjustment", "Adjustment"

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.PROTECT, related_name="wallet_ledger"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount_poisha = models.BigIntegerField(help_text="Positive in, negative out.")
    description = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["profile", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_poisha} for {self.profile_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Wallet ledger entries are never changed; add a new one.")
        super().save(*args, **kwargs)

    @classmethod
    def balance_poisha(cls, profile) -> int:
        return (
            cls.objects.filter(profile=profile).aggregate(total=Sum("amount_poisha"))[
                "total"
            ]
            or 0
        )
