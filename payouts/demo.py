"""Demo payouts for `manage.py seed_demo`: prize winnings and claims waiting for staff.

Safe to repeat: each prize and claim is made once, recognised by its
description or its fixed token.
"""

import uuid

from django.db import transaction
from django.db.models import Q

from profiles.models import Profile, WalletSettings, WalletTransaction

from . import services
from .models import PayoutClaim

DEMO_NAMESPACE = uuid.UUID("5d0c1c1e-8a43-4c1e-9d0e-7a1b2c3d4e5f")
PRIZE = "Prize — DeltaCrown Winter Cup 2026, champions"
PRIZE_POISHA = 250_000
CLAIM_POISHA = 80_000
# Rakib (who can sign in) and a few others, so moderators have a queue.
OTHER_CLAIMANTS = 3


def seed_payouts(player_username: str) -> int:
    """Give the demo players a prize and a pending claim; return the claims made."""
    with_number = Q(wallet__bkash_number__gt="") | Q(wallet__nagad_number__gt="")
    candidates = Profile.objects.filter(with_number, user__is_staff=False)
    claimants = list(candidates.filter(user__username__iexact=player_username))
    claimants += list(
        candidates.exclude(user__username__iexact=player_username).order_by("pk")[
            :OTHER_CLAIMANTS
        ]
    )
    made = 0
    with transaction.atomic():
        for profile in claimants:
            made += _seed_one(profile)
    return made


def _seed_one(profile: Profile) -> int:
    if not WalletTransaction.objects.filter(
        profile=profile, description=PRIZE
    ).exists():
        WalletTransaction.objects.create(
            profile=profile,
            kind=WalletTransaction.Kind.PRIZE,
            amount_poisha=PRIZE_POISHA,
            description=PRIZE,
        )
    token = uuid.uuid5(DEMO_NAMESPACE, profile.public_id)
    if PayoutClaim.objects.filter(profile=profile, token=token).exists():
        return 0
    wallet = WalletSettings.objects.select_for_update().get(profile=profile)
    method = "bkash" if wallet.bkash_number else "nagad"
    # As though the player had claimed through the page.
    services.place_claim(profile, CLAIM_POISHA, method, wallet.number(method), token)
    return 1
