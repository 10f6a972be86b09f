"""The demo data shows payouts: prize winnings and claims waiting for staff."""

from django.core.management import call_command

import pytest

from payouts.demo import PRIZE
from payouts.models import PayoutClaim
from profiles.models import WalletTransaction

# Seeding twice takes a few seconds.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_demo_players_have_prizes_and_pending_claims_once():
    call_command("seed_demo", players=12, verbosity=0)
    claims = PayoutClaim.objects.count()
    prizes = WalletTransaction.objects.filter(description=PRIZE).count()

    call_command("seed_demo", players=12, verbosity=0)

    assert claims >= 2
    assert PayoutClaim.objects.filter(profile__slug="rakib").count() == 1
    assert PayoutClaim.objects.count() == claims
    assert WalletTransaction.objects.filter(description=PRIZE).count() == prizes
    assert all(claim.is_pending for claim in PayoutClaim.objects.all())
    for claim in PayoutClaim.objects.select_related("profile"):
        assert WalletTransaction.balance_poisha(claim.profile) >= 0
