"""Moderators settle payout claims in the Wagtail admin; nobody else can."""

import uuid
from http import HTTPStatus

from django.contrib.auth.models import Group, Permission
from django.test import Client

from wagtail.models import ModelLogEntry

import pytest

from payouts import services
from payouts.models import PayoutClaim, WalletNumberChange
from profiles.models import WalletSettings, WalletTransaction
from tests.factories import UserFactory, payout_moderator

INDEX = "/admin/payout_claims/"


@pytest.fixture
def pending(payee):
    """Rakib's claim of Tk 400.00 to his bKash number, waiting for staff."""
    claim, _ = services.claim_payout(
        payee.profile,
        amount_poisha=40_000,
        method="bkash",
        token=uuid.uuid4(),
        minimum_poisha=10_000,
    )
    return claim


def paid_url(claim):
    return f"{INDEX}{claim.pk}/mark-paid/"


def reject_url(claim):
    return f"{INDEX}{claim.pk}/reject/"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_listing_shows_pending_claims_first_with_the_number_masked(
    pending, moderator_client
):
    newer, _ = services.claim_payout(
        pending.profile,
        amount_poisha=20_000,
        method="bkash",
        token=uuid.uuid4(),
        minimum_poisha=10_000,
    )
    services.reject_claim(newer.pk, payout_moderator(), "Sent twice by mistake.")

    response = moderator_client.get(INDEX)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "017*****678" in html
    assert "01712345678" not in html
    assert html.index(f"Payout claim #{pending.pk}") < html.index(
        f"Payout claim #{newer.pk}"
    )
    assert paid_url(pending) in html
    assert paid_url(newer) not in html


def test_the_listing_filters_by_status_and_method(pending, moderator_client):
    shown = moderator_client.get(INDEX, {"status": "pending", "method": "bkash"})
    hidden = moderator_client.get(INDEX, {"status": "paid"})

    assert f"Payout claim #{pending.pk}" in shown.content.decode()
    assert f"Payout claim #{pending.pk}" not in hidden.content.decode()


def test_marking_paid_keeps_the_hold_as_the_debit_and_is_audited(
    pending, moderator_client
):
    before = WalletTransaction.balance_poisha(pending.profile)
    page = moderator_client.get(paid_url(pending))
    details = moderator_client.get(f"{INDEX}inspect/{pending.pk}/")

    response = moderator_client.post(paid_url(pending), {"reference": "9J7K2L8M4N"})

    assert page.status_code == HTTPStatus.OK
    assert "017*****678" in page.content.decode()
    assert paid_url(pending) in details.content.decode()
    assert response.status_code == HTTPStatus.FOUND
    pending.refresh_from_db()
    assert pending.status == PayoutClaim.Status.PAID
    assert pending.reference == "9J7K2L8M4N"
    assert pending.resolved_by.username == "mod"
    assert WalletTransaction.balance_poisha(pending.profile) == before
    assert WalletTransaction.objects.filter(profile=pending.profile).count() == 2
    entry = ModelLogEntry.objects.get(action="payouts.claim.paid")
    assert entry.user.username == "mod"
    assert entry.object_id == str(pending.pk)
    assert entry.data["reference"] == "9J7K2L8M4N"
    assert entry.timestamp is not None


def test_rejecting_returns_the_amount_and_is_audited(pending, moderator_client):
    before = WalletTransaction.balance_poisha(pending.profile)

    response = moderator_client.post(
        reject_url(pending), {"reason": "Prize under review by the organiser."}
    )

    assert response.status_code == HTTPStatus.FOUND
    pending.refresh_from_db()
    assert pending.status == PayoutClaim.Status.REJECTED
    assert pending.reason == "Prize under review by the organiser."
    assert pending.release.amount_poisha == 40_000
    assert WalletTransaction.balance_poisha(pending.profile) == before + 40_000
    entry = ModelLogEntry.objects.get(action="payouts.claim.rejected")
    assert entry.user.username == "mod"
    assert entry.data["reason"] == "Prize under review by the organiser."


def test_the_player_sees_the_outcome(pending, moderator_client, payee):
    moderator_client.post(paid_url(pending), {"reference": "9J7K2L8M4N"})

    page = signed_in(payee).get("/me/payouts/").content.decode()

    assert "paid" in page
    assert "transaction 9J7K2L8M4N" in page


def test_a_settled_claim_cannot_be_settled_again(pending, moderator_client):
    moderator_client.post(paid_url(pending), {"reference": "9J7K2L8M4N"})

    again = moderator_client.post(reject_url(pending), {"reason": "Oops"})

    assert again.status_code == HTTPStatus.CONFLICT
    assert "already paid" in again.content.decode()
    pending.refresh_from_db()
    assert pending.status == PayoutClaim.Status.PAID
    assert pending.release is None
    assert ModelLogEntry.objects.filter(action__startswith="payouts.").count() == 1


def test_a_claim_whose_number_changed_since_cannot_be_marked_paid(
    pending, moderator_client
):
    WalletSettings.objects.filter(profile=pending.profile).update(
        bkash_number="01812345999"
    )

    response = moderator_client.post(paid_url(pending), {"reference": "9J7K2L8M4N"})

    assert response.status_code == HTTPStatus.CONFLICT
    assert "number changed after this claim" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == PayoutClaim.Status.PENDING


def test_a_number_changed_and_changed_back_still_blocks_payment(
    pending, moderator_client
):
    WalletNumberChange.objects.create(profile=pending.profile, method="bkash")

    response = moderator_client.post(paid_url(pending), {"reference": "9J7K2L8M4N"})

    assert response.status_code == HTTPStatus.CONFLICT
    pending.refresh_from_db()
    assert pending.status == PayoutClaim.Status.PENDING


@pytest.mark.parametrize(
    ("url", "data", "sentence"),
    [
        (paid_url, {"reference": ""}, "This field is required."),
        (paid_url, {"reference": "no spaces please"}, "4 to 40"),
        (reject_url, {"reason": "   "}, "This field is required."),
    ],
)
def test_an_action_without_its_detail_changes_nothing(
    pending, moderator_client, url, data, sentence
):
    response = moderator_client.post(url(pending), data)

    assert response.status_code == HTTPStatus.OK
    assert sentence in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == PayoutClaim.Status.PENDING


def test_one_reference_is_not_recorded_for_two_claims(pending, moderator_client):
    other, _ = services.claim_payout(
        pending.profile,
        amount_poisha=20_000,
        method="bkash",
        token=uuid.uuid4(),
        minimum_poisha=10_000,
    )
    moderator_client.post(paid_url(pending), {"reference": "9J7K2L8M4N"})

    response = moderator_client.post(paid_url(other), {"reference": "9j7k2l8m4n"})

    assert response.status_code == HTTPStatus.CONFLICT
    assert f"already recorded for claim #{pending.pk}" in response.content.decode()


def test_the_admin_home_lists_pending_claims_for_moderators(pending, moderator_client):
    response = moderator_client.get("/admin/")

    html = response.content.decode()
    assert "Payout claims waiting: 1" in html
    assert "017*****678" in html


def staff_without_payouts():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    return user


@pytest.mark.parametrize("who", ["player", "staff"])
def test_only_moderators_reach_claims_even_by_direct_url(pending, who):
    user = UserFactory() if who == "player" else staff_without_payouts()
    client = signed_in(user)

    answers = [
        client.get(INDEX),
        client.get(f"{INDEX}inspect/{pending.pk}/"),
        client.get(paid_url(pending)),
        client.post(paid_url(pending), {"reference": "9J7K2L8M4N"}),
        client.post(reject_url(pending), {"reason": "No"}),
    ]

    for response in answers:
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
        if response.status_code == HTTPStatus.FOUND:
            assert "/admin/login/" in response.url or response.url == "/admin/"
    pending.refresh_from_db()
    assert pending.status == PayoutClaim.Status.PENDING
    assert "Payout claims waiting" not in client.get("/admin/").content.decode()


def test_a_viewer_without_the_settle_permission_cannot_settle(pending):
    group = Group.objects.create(name="Auditors")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_payoutclaim"])
    )
    auditor = UserFactory(is_staff=True)
    auditor.groups.add(group)
    client = signed_in(auditor)

    listing = client.get(INDEX)
    refused = client.post(paid_url(pending), {"reference": "9J7K2L8M4N"})

    assert listing.status_code == HTTPStatus.OK
    assert paid_url(pending) not in listing.content.decode()
    assert refused.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    pending.refresh_from_db()
    assert pending.status == PayoutClaim.Status.PENDING


@pytest.mark.parametrize("path", ["new/", "edit/{pk}/", "delete/{pk}/", "copy/{pk}/"])
def test_nobody_adds_edits_or_deletes_a_claim(pending, path):
    superuser = UserFactory(is_staff=True, is_superuser=True)

    response = signed_in(superuser).get(INDEX + path.format(pk=pending.pk))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_moderators_group_holds_the_payout_permissions(db):
    group = Group.objects.get(name="Moderators")

    codenames = set(group.permissions.values_list("codename", flat=True))

    assert {"view_payoutclaim", "resolve_payoutclaim", "access_admin"} <= codenames


def test_a_claim_shows_its_details_and_audit_history(pending, moderator_client):
    moderator_client.post(reject_url(pending), {"reason": "Wrong tournament."})

    inspect = moderator_client.get(f"{INDEX}inspect/{pending.pk}/")
    history = moderator_client.get(f"{INDEX}history/{pending.pk}/")

    assert inspect.status_code == HTTPStatus.OK
    assert "Wrong tournament." in inspect.content.decode()
    assert reject_url(pending) not in inspect.content.decode()
    assert "017*****678" in inspect.content.decode()
    assert history.status_code == HTTPStatus.OK
    assert "Payout claim rejected" in history.content.decode()


def test_a_moderator_can_see_the_full_number_and_it_is_audited(
    pending, moderator_client
):
    page = moderator_client.get(paid_url(pending))

    response = moderator_client.post(paid_url(pending), {"action": "reveal"})

    assert "Show the full number" in page.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "01712345678" in response.content.decode()
    entry = ModelLogEntry.objects.get(action="payouts.claim.number_revealed")
    assert entry.user.username == "mod"
    assert entry.object_id == str(pending.pk)
    pending.refresh_from_db()
    assert pending.status == PayoutClaim.Status.PENDING


def test_revealing_needs_its_own_permission(pending):
    group = Group.objects.create(name="Payout clerks")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_payoutclaim", "resolve_payoutclaim"]
        )
    )
    clerk = UserFactory(is_staff=True)
    clerk.groups.add(group)
    client = signed_in(clerk)

    page = client.get(paid_url(pending))
    response = client.post(paid_url(pending), {"action": "reveal"})

    assert "Show the full number" not in page.content.decode()
    # Wagtail answers a refused permission by sending the user to the dashboard.
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == "/admin/"
    assert not ModelLogEntry.objects.filter(
        action="payouts.claim.number_revealed"
    ).exists()


def test_a_changed_number_is_not_revealed(pending, moderator_client):
    WalletSettings.objects.filter(profile=pending.profile).update(
        bkash_number="01812345999"
    )

    response = moderator_client.post(paid_url(pending), {"action": "reveal"})

    assert response.status_code == HTTPStatus.CONFLICT
    assert "01812345999" not in response.content.decode()
