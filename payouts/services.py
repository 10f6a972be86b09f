"""Claiming a payout, settling it, and the wallet-number changes that hold one back.

Each function that changes state runs in one transaction and logs one line.
Every balance check happens with the player's wallet row locked, so two claims
at once cannot both spend the same money; every settlement locks its claim, so
two moderators at once cannot both settle it.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from wagtail.log_actions import log

from allauth.account.models import EmailAddress

from profiles import wallet_numbers
from profiles.models import Profile, WalletSettings, WalletTransaction

from . import metrics, money
from .models import PayoutClaim, WalletNumberChange

logger = logging.getLogger(__name__)

# A number set or changed this recently cannot receive a payout: someone who
# took over an account must not be able to redirect its prizes at once.
SETTLING_PERIOD = datetime.timedelta(hours=24)


class PayoutRefused(Exception):
    """A claim or settlement refused, with one sentence for the person asking."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Wallet:
    """What a player may claim now: balance, what is held, and where it can go."""

    balance_poisha: int
    held_poisha: int
    methods: list[tuple[str, str]]


def method_label(method: str) -> str:
    return WalletSettings.Method(method).label


def number_digest(number: str) -> str:
    """A keyed digest of a wallet number: equal numbers match, none can be read."""
    return salted_hmac("payouts.destination", number, algorithm="sha256").hexdigest()


def settled_from(profile: Profile, method: str) -> datetime.datetime | None:
    """When the method's number may receive a payout, if it is still settling."""
    last = (
        WalletNumberChange.objects.filter(profile=profile, method=method)
        .order_by("-changed_at")
        .values_list("changed_at", flat=True)
        .first()
    )
    if last is None or last + SETTLING_PERIOD <= timezone.now():
        return None
    return last + SETTLING_PERIOD


def get_wallet(profile: Profile) -> Wallet:
    """The player's balance, what pending claims hold, and their numbers."""
    wallet = WalletSettings.objects.filter(profile=profile).first()
    held = PayoutClaim.objects.filter(
        profile=profile, status=PayoutClaim.Status.PENDING
    ).aggregate(total=Sum("amount_poisha"))["total"]
    methods = [
        (method, f"{label} {wallet_numbers.mask(number)}")
        for method, label in WalletSettings.Method.choices
        if wallet and (number := wallet.number(method))
    ]
    if wallet and wallet.preferred_method:
        methods.sort(key=lambda choice: choice[0] != wallet.preferred_method)
    return Wallet(
        balance_poisha=WalletTransaction.balance_poisha(profile),
        held_poisha=held or 0,
        methods=methods,
    )


def claim_payout(
    profile: Profile,
    *,
    amount_poisha: int,
    method: str,
    token: uuid.UUID,
    minimum_poisha: int,
) -> tuple[PayoutClaim, bool]:
    """Hold part of a player's balance for a payout to one of their numbers.

    Returns the claim and whether it is new: the same form sent twice (the
    same token) gives back the claim the first one made.
    """
    with transaction.atomic():
        wallet = _locked_wallet(profile)
        existing = PayoutClaim.objects.filter(profile=profile, token=token).first()
        if existing is not None:
            return existing, False

        number = _check_claim(profile, wallet, amount_poisha, method, minimum_poisha)
        claim = place_claim(profile, amount_poisha, method, number, token)

    metrics.record_claim("claimed")
    logger.info(
        "Payout claimed claim_id=%s public_id=%s method=%s amount_poisha=%s",
        claim.pk,
        profile.public_id,
        method,
        amount_poisha,
    )
    return claim, True


def _locked_wallet(profile: Profile) -> WalletSettings:
    """The player's wallet row, locked until the transaction ends.

    Every claim of one player takes this lock first, so their balance is read
    and spent by one claim at a time.
    """
    wallet = WalletSettings.objects.select_for_update().filter(profile=profile).first()
    if wallet is None:
        # Older data may lack the companion row.
        WalletSettings.objects.get_or_create(profile=profile)
        wallet = WalletSettings.objects.select_for_update().get(profile=profile)
    return wallet


def _check_claim(
    profile: Profile,
    wallet: WalletSettings,
    amount_poisha: int,
    method: str,
    minimum_poisha: int,
) -> str:
    """The number a claim may be paid to, or PayoutRefused saying why not."""
    if method not in WalletSettings.Method.values:
        raise _refuse("Choose bKash, Nagad or Rocket.", "refused")
    label = method_label(method)
    number = wallet.number(method)
    if not number:
        raise _refuse(
            f"Add a {label} number in your wallet settings before claiming to it.",
            "refused",
        )
    if not EmailAddress.objects.filter(
        user_id=profile.user_id, primary=True, verified=True
    ).exists():
        raise _refuse("Confirm your email address before claiming a payout.", "refused")
    if (ready := settled_from(profile, method)) is not None:
        when = timezone.localtime(ready).strftime("%d %b %Y, %H:%M")
        raise _refuse(
            f"Your {label} number changed in the last 24 hours, so it cannot "
            f"receive a payout until {when}. Nothing was claimed.",
            "refused",
        )
    if amount_poisha < minimum_poisha:
        raise _refuse(
            f"The smallest claim is Tk {money.taka(minimum_poisha)}.", "too_small"
        )
    balance = WalletTransaction.balance_poisha(profile)
    if amount_poisha > balance:
        raise _refuse(
            f"You can claim at most Tk {money.taka(max(balance, 0))}, "
            "your available balance.",
            "too_large",
        )
    return number


def _refuse(message: str, outcome: str) -> PayoutRefused:
    metrics.record_claim(outcome)
    return PayoutRefused(message)


def place_claim(
    profile: Profile, amount_poisha: int, method: str, number: str, token: uuid.UUID
) -> PayoutClaim:
    """Write the hold and its claim; the caller has checked and locked."""
    masked = wallet_numbers.mask(number)
    hold = WalletTransaction.objects.create(
        profile=profile,
        kind=WalletTransaction.Kind.PAYOUT,
        amount_poisha=-amount_poisha,
        description=f"Payout to {method_label(method)} {masked}",
    )
    return PayoutClaim.objects.create(
        profile=profile,
        amount_poisha=amount_poisha,
        method=method,
        destination_masked=masked,
        destination_digest=number_digest(number),
        token=token,
        hold=hold,
    )


def mark_claim_paid(
    claim_id: int, moderator: AbstractBaseUser, reference: str
) -> PayoutClaim:
    """Record that staff paid a claim, with the provider's transaction reference.

    The hold entry stays in the ledger as the payout's debit.
    """
    reference = reference.strip()
    with transaction.atomic():
        claim = _locked_pending_claim(claim_id)
        wallet = WalletSettings.objects.filter(profile_id=claim.profile_id).first()
        number = wallet.number(claim.method) if wallet else ""
        changed = WalletNumberChange.objects.filter(
            profile_id=claim.profile_id,
            method=claim.method,
            changed_at__gt=claim.created_at,
        ).exists()
        if changed or not number or number_digest(number) != claim.destination_digest:
            raise PayoutRefused(
                f"The player's {method_label(claim.method)} number changed after "
                "this claim, so it cannot be paid. Reject it and let them claim "
                "again once the new number has settled."
            )
        used = (
            PayoutClaim.objects.filter(
                status=PayoutClaim.Status.PAID, reference__iexact=reference
            )
            .values_list("pk", flat=True)
            .first()
        )
        if used is not None:
            raise PayoutRefused(
                f"That reference is already recorded for claim #{used}; check it "
                "against the provider's receipt."
            )

        claim.status = PayoutClaim.Status.PAID
        claim.reference = reference
        _resolve(claim, moderator)
        log(
            claim,
            "payouts.claim.paid",
            user=moderator,
            data={"reference": reference, "amount_poisha": claim.amount_poisha},
        )

    metrics.record_claim("paid")
    logger.info(
        "Payout marked paid claim_id=%s moderator_id=%s", claim.pk, moderator.pk
    )
    return claim


def reveal_claim_number(claim_id: int, moderator: AbstractBaseUser) -> str:
    """The full number a pending claim is paid to, with an audit entry each time."""
    with transaction.atomic():
        claim = _locked_pending_claim(claim_id)
        wallet = WalletSettings.objects.filter(profile_id=claim.profile_id).first()
        number = getattr(wallet, f"{claim.method}_number", "") if wallet else ""
        if not number or number_digest(number) != claim.destination_digest:
            raise PayoutRefused(
                f"The player's {method_label(claim.method)} number changed after "
                "this claim, so it is not shown. Reject the claim instead."
            )
        log(claim, "payouts.claim.number_revealed", user=moderator)

    logger.info(
        "Payout number revealed claim_id=%s moderator_id=%s", claim.pk, moderator.pk
    )
    return number


def reject_claim(
    claim_id: int, moderator: AbstractBaseUser, reason: str
) -> PayoutClaim:
    """Refuse a claim with a reason and put its amount back in the balance."""
    reason = reason.strip()
    with transaction.atomic():
        claim = _locked_pending_claim(claim_id)
        claim.release = WalletTransaction.objects.create(
            profile_id=claim.profile_id,
            kind=WalletTransaction.Kind.ADJUSTMENT,
            amount_poisha=claim.amount_poisha,
            description=f"Payout claim #{claim.pk} rejected; amount returned",
        )
        claim.status = PayoutClaim.Status.REJECTED
        claim.reason = reason
        _resolve(claim, moderator)
        log(
            claim,
            "payouts.claim.rejected",
            user=moderator,
            data={"reason": reason, "amount_poisha": claim.amount_poisha},
        )

    metrics.record_claim("rejected")
    logger.info(
        "Payout claim rejected claim_id=%s moderator_id=%s", claim.pk, moderator.pk
    )
    return claim


def _locked_pending_claim(claim_id: int) -> PayoutClaim:
    """The claim, locked until the transaction ends, or refused if settled.

    A second moderator's request waits here for the first to finish, then
    finds the claim settled.
    """
    claim = PayoutClaim.objects.select_for_update().filter(pk=claim_id).first()
    if claim is None:
        raise PayoutRefused("There is no such payout claim.")
    if not claim.is_pending:
        raise PayoutRefused(
            f"This claim was already {claim.get_status_display().lower()}; "
            "nothing was changed."
        )
    return claim


def _resolve(claim: PayoutClaim, moderator: AbstractBaseUser) -> None:
    claim.resolved_by = moderator
    claim.resolved_at = timezone.now()
    claim.save(
        update_fields=[
            "status",
            "reference",
            "reason",
            "release",
            "resolved_by",
            "resolved_at",
        ]
    )


def record_number_changes(profile: Profile, changes: dict[str, tuple[str, str]]):
    """Note each wallet number set, changed or removed, and tell the player.

    Runs inside the saving transaction; the email leaves once it commits.
    """
    WalletNumberChange.objects.bulk_create(
        WalletNumberChange(profile=profile, method=method) for method in changes
    )
    from .emails import send_number_changed

    user_id = profile.user_id
    masked = {
        method: (wallet_numbers.mask(old), wallet_numbers.mask(new))
        for method, (old, new) in changes.items()
    }
    transaction.on_commit(lambda: send_number_changed(user_id, masked))
    logger.info(
        "Wallet numbers changed public_id=%s methods=%s",
        profile.public_id,
        ",".join(sorted(changes)),
    )
