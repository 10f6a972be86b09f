"""Players claim their prize balance from /me/payouts/; the ledger holds it at once."""

import datetime
import uuid
from http import HTTPStatus

from django.core import mail
from django.test import Client
from django.utils import timezone

from wagtail.models import Site

import pytest
from prometheus_client import REGISTRY

from payouts import services
from payouts.models import PayoutClaim, PayoutSettings, WalletNumberChange
from profiles.models import WalletSettings, WalletTransaction
from tests.factories import UserFactory, WalletTransactionFactory

URL = "/me/payouts/"


def claim(client, amount, *, method="bkash", token=None):
    return client.post(
        URL, {"amount": amount, "method": method, "token": str(token or uuid.uuid4())}
    )


def balance(user) -> int:
    return WalletTransaction.balance_poisha(user.profile)


@pytest.fixture
def payee_client(payee):
    client = Client()
    client.force_login(payee)
    return client


def test_the_page_asks_strangers_to_sign_in(db):
    response = Client().get(URL)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith("/accounts/login/?next=/me/payouts/")


def test_the_page_shows_balance_and_the_number_masked(payee_client):
    response = payee_client.get(URL)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Tk 1,500.00" in html
    assert "bKash 017*****678" in html
    assert "01712345678" not in html


def test_a_claim_holds_the_amount_at_once(payee, payee_client):
    response = claim(payee_client, "250.50")

    assert response.status_code == HTTPStatus.FOUND
    made = PayoutClaim.objects.get()
    assert made.amount_poisha == 25_050
    assert made.status == PayoutClaim.Status.PENDING
    assert made.destination_masked == "017*****678"
    assert made.hold.amount_poisha == -25_050
    assert balance(payee) == 150_000 - 25_050
    page = payee_client.get(URL).content.decode()
    assert "Tk 1,249.50" in page
    assert f"Claim #{made.pk}: Tk 250.50" in page


def test_the_exact_balance_can_be_claimed(payee, payee_client):
    response = claim(payee_client, "1500")

    assert response.status_code == HTTPStatus.FOUND
    assert balance(payee) == 0


def test_a_claim_over_the_balance_is_refused(payee, payee_client):
    response = claim(payee_client, "1500.01")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "You can claim at most Tk 1,500.00" in response.content.decode()
    assert not PayoutClaim.objects.exists()
    assert balance(payee) == 150_000


def test_a_claim_under_the_minimum_is_refused(payee, payee_client):
    response = claim(payee_client, "99.99")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "The smallest claim is Tk 100.00." in response.content.decode()
    assert not PayoutClaim.objects.exists()


def test_the_minimum_comes_from_the_site_settings(payee, payee_client):
    settings = PayoutSettings.for_site(Site.objects.get(is_default_site=True))
    settings.minimum_claim = "500.00"
    settings.save()

    refused = claim(payee_client, "499")
    accepted = claim(payee_client, "500")

    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "The smallest claim is Tk 500.00." in refused.content.decode()
    assert accepted.status_code == HTTPStatus.FOUND


@pytest.mark.parametrize(
    ("amount", "sentence"),
    [
        ("12.345", "at most two decimals"),
        ("-5", "greater than or equal to 0.01"),
        ("lots", "Enter a number."),
    ],
)
def test_an_amount_that_is_not_taka_is_refused(payee_client, amount, sentence):
    response = claim(payee_client, amount)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert sentence in response.content.decode()
    assert not PayoutClaim.objects.exists()


def test_a_method_without_a_number_cannot_be_chosen(payee_client):
    response = claim(payee_client, "200", method="nagad")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not PayoutClaim.objects.exists()


def test_the_same_form_sent_twice_makes_one_claim(payee, payee_client):
    token = uuid.uuid4()

    first = claim(payee_client, "300", token=token)
    second = claim(payee_client, "300", token=token)

    assert first.status_code == second.status_code == HTTPStatus.FOUND
    assert PayoutClaim.objects.count() == 1
    assert balance(payee) == 150_000 - 30_000
    followed = payee_client.get(second.url)
    assert "was already received" in followed.content.decode()


def test_a_player_without_a_verified_email_cannot_claim(db):
    user = UserFactory()
    WalletSettings.objects.filter(profile=user.profile).update(
        bkash_number="01712345678"
    )
    WalletTransactionFactory(profile=user.profile, amount_poisha=150_000)
    client = Client()
    client.force_login(user)

    response = claim(client, "200")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Confirm your email address" in response.content.decode()
    assert not PayoutClaim.objects.exists()


def test_a_number_changed_in_the_last_day_cannot_receive_a_payout(payee, payee_client):
    WalletNumberChange.objects.create(profile=payee.profile, method="bkash")

    response = claim(payee_client, "200")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "changed in the last 24 hours" in response.content.decode()
    assert not PayoutClaim.objects.exists()
    assert balance(payee) == 150_000


def test_a_number_changed_over_a_day_ago_can(payee, payee_client):
    change = WalletNumberChange.objects.create(profile=payee.profile, method="bkash")
    WalletNumberChange.objects.filter(pk=change.pk).update(
        changed_at=timezone.now() - datetime.timedelta(hours=24, minutes=1)
    )

    response = claim(payee_client, "200")

    assert response.status_code == HTTPStatus.FOUND
    assert PayoutClaim.objects.count() == 1


def save_wallet(client, **fields):
    return client.post(
        "/me/settings/wallet/",
        {**fields, "_fields": ",".join(fields)},
        headers={"Accept": "text/html"},
    )


def test_changing_a_number_in_settings_holds_payouts_back(payee, player_client):
    response = save_wallet(player_client, bkash_number="01812345999")

    assert response.status_code == HTTPStatus.FOUND
    assert WalletNumberChange.objects.filter(
        profile=payee.profile, method="bkash"
    ).exists()
    refused = claim(player_client, "200")
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "changed in the last 24 hours" in refused.content.decode()


def test_a_number_change_is_emailed_masked(
    payee, player_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = save_wallet(
            player_client, bkash_number="01812345999", nagad_number="01912345111"
        )

    assert response.status_code == HTTPStatus.FOUND
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [payee.email]
    assert "wallet numbers were changed" in message.subject
    assert "bKash: 017*****678 -> 018*****999" in message.body
    assert "Nagad: none -> 019*****111" in message.body
    for full in ("01712345678", "01812345999", "01912345111"):
        assert full not in message.body


def test_saving_the_same_number_again_sends_nothing(
    payee, player_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = save_wallet(
            player_client, bkash_number="+880 1712-345678", preferred_method="bkash"
        )

    assert response.status_code == HTTPStatus.FOUND
    assert callbacks == []
    assert mail.outbox == []
    assert not WalletNumberChange.objects.exists()


def test_removing_a_number_is_announced_too(
    payee, player_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = save_wallet(player_client, bkash_number="", preferred_method="")

    assert response.status_code == HTTPStatus.FOUND
    assert "bKash: 017*****678 -> removed" in mail.outbox[0].body


def test_a_refused_number_changes_nothing_and_sends_nothing(payee, player_client):
    response = save_wallet(player_client, bkash_number="01212345678")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert mail.outbox == []
    assert not WalletNumberChange.objects.exists()


def test_the_claim_is_logged_without_the_number(payee, payee_client, caplog):
    caplog.set_level("INFO", logger="payouts")

    claim(payee_client, "200")

    lines = [r.getMessage() for r in caplog.records if r.name == "payouts.services"]
    assert any(line.startswith("Payout claimed claim_id=") for line in lines)
    assert not any("01712345678" in line for line in lines)


def test_the_service_never_lets_the_balance_go_negative(payee):
    profile = payee.profile
    refusals = []
    for _ in range(3):
        try:
            services.claim_payout(
                profile,
                amount_poisha=60_000,
                method="bkash",
                token=uuid.uuid4(),
                minimum_poisha=10_000,
            )
        except services.PayoutRefused as refusal:
            refusals.append(refusal.message)

    assert refusals == ["You can claim at most Tk 300.00, your available balance."]
    assert PayoutClaim.objects.count() == 2
    assert balance(payee) == 30_000


def test_settings_link_to_the_payouts_page(player_client):
    response = player_client.get("/me/settings/")

    assert 'href="/me/payouts/"' in response.content.decode()


def test_claims_are_counted_by_outcome(payee_client):
    def count(outcome):
        return (
            REGISTRY.get_sample_value(
                "deltacrown_payout_claims_total", {"outcome": outcome}
            )
            or 0
        )

    before = {outcome: count(outcome) for outcome in ("claimed", "too_large")}

    claim(payee_client, "200")
    claim(payee_client, "5000")

    assert count("claimed") == before["claimed"] + 1
    assert count("too_large") == before["too_large"] + 1
