"""Two requests at once on PostgreSQL: the balance and each claim stay consistent.

Each test runs two threads, each with its own database connection, and slows
the step after the check so that, without the locks, both would pass it.
"""

import threading
import time
import uuid

from django.db import connection

import pytest

from payouts import services
from payouts.models import PayoutClaim
from profiles.models import WalletTransaction
from tests.factories import UserFactory
from tests.services import needs_postgres

pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]

PAUSE = 0.3


def run_together(*calls):
    """Run each call in its own thread at the same moment; return what each did."""
    start = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            outcomes[index] = ("done", call())
        except services.PayoutRefused as refusal:
            outcomes[index] = ("refused", refusal.message)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def slowed(monkeypatch, name):
    original = getattr(services, name)

    def slow(*args, **kwargs):
        time.sleep(PAUSE)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, name, slow)


def test_two_claims_at_once_cannot_overdraw_the_balance(payee, monkeypatch):
    slowed(monkeypatch, "place_claim")

    def claim_all():
        return services.claim_payout(
            payee.profile,
            amount_poisha=150_000,
            method="bkash",
            token=uuid.uuid4(),
            minimum_poisha=10_000,
        )

    outcomes = run_together(claim_all, claim_all)

    assert sorted(kind for kind, _ in outcomes) == ["done", "refused"]
    assert PayoutClaim.objects.count() == 1
    assert WalletTransaction.balance_poisha(payee.profile) == 0


def test_one_form_sent_twice_at_once_makes_one_claim(payee, monkeypatch):
    slowed(monkeypatch, "place_claim")
    token = uuid.uuid4()

    def claim_once():
        return services.claim_payout(
            payee.profile,
            amount_poisha=50_000,
            method="bkash",
            token=token,
            minimum_poisha=10_000,
        )

    outcomes = run_together(claim_once, claim_once)

    assert [kind for kind, _ in outcomes] == ["done", "done"]
    assert sorted(created for _, (_, created) in outcomes) == [False, True]
    assert PayoutClaim.objects.count() == 1
    assert WalletTransaction.balance_poisha(payee.profile) == 100_000


def test_two_moderators_at_once_cannot_both_settle_a_claim(payee, monkeypatch):
    claim, _ = services.claim_payout(
        payee.profile,
        amount_poisha=40_000,
        method="bkash",
        token=uuid.uuid4(),
        minimum_poisha=10_000,
    )
    first = UserFactory(is_staff=True)
    second = UserFactory(is_staff=True)
    slowed(monkeypatch, "_resolve")

    outcomes = run_together(
        lambda: services.mark_claim_paid(claim.pk, first, "9J7K2L8M4N"),
        lambda: services.reject_claim(claim.pk, second, "Duplicate"),
    )

    assert sorted(kind for kind, _ in outcomes) == ["done", "refused"]
    claim.refresh_from_db()
    settled_by = first if claim.status == PayoutClaim.Status.PAID else second
    assert claim.resolved_by == settled_by
    releases = WalletTransaction.objects.filter(
        profile=payee.profile, amount_poisha__gt=0
    ).count()
    assert releases == (2 if claim.status == PayoutClaim.Status.REJECTED else 1)
