"""Sensitive changes ask for the password again; wallet saves need a verified email."""

import re
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from django.test import Client

import pytest
from allauth.account.models import EmailAddress

from profiles.models import WalletSettings
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WALLET = "/me/settings/wallet/"
JSON = {"HTTP_ACCEPT": "application/json"}
HTML = {"HTTP_ACCEPT": "text/html"}
NUMBER = "01712345678"


def player_with(verified: bool):
    user = UserFactory(username="tanvir", email="tanvir@example.com")
    EmailAddress.objects.create(
        user=user, email=user.email, verified=verified, primary=True
    )
    return user


def signed_in(user, *, reauthenticated=False) -> Client:
    client = Client()
    client.force_login(user)
    if reauthenticated:
        client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    return client


def wallet(user) -> WalletSettings:
    return WalletSettings.objects.get(profile=user.profile)


def post_json(client, data):
    return client.post(WALLET, data, content_type="application/json", **JSON)


def test_unverified_email_refuses_a_json_wallet_save_with_403():
    user = player_with(verified=False)
    client = signed_in(user, reauthenticated=True)

    response = post_json(client, {"bkash_number": NUMBER})

    assert response.status_code == HTTPStatus.FORBIDDEN
    body = response.json()
    assert body["success"] is False
    assert body["error"].startswith("Confirm your email address")
    assert wallet(user).bkash_number == ""


def test_unverified_email_refuses_a_form_post_and_the_page_says_why():
    user = player_with(verified=False)
    client = signed_in(user, reauthenticated=True)

    response = client.post(WALLET, {"bkash_number": NUMBER}, **HTML)

    assert response.status_code == HTTPStatus.FORBIDDEN
    html = response.content.decode()
    assert "Confirm your email address before saving wallet numbers" in html
    assert 'href="/accounts/email/"' in html
    assert wallet(user).bkash_number == ""


def test_settings_page_tells_an_unverified_player_why_the_wallet_waits():
    client = signed_in(player_with(verified=False))

    html = client.get(WALLET, **HTML).content.decode()

    assert "data-security-notice" in html
    assert "confirm your email address" in html.lower()
    assert 'href="/accounts/email/"' in html


def test_json_wallet_save_without_recent_reauthentication_names_where_to_go():
    user = player_with(verified=True)
    client = signed_in(user)

    response = post_json(client, {"bkash_number": NUMBER})

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    body = response.json()
    assert body["success"] is False
    assert "confirm it's you" in body["error"]
    target = urlsplit(body["reauthenticate"])
    assert target.path == "/accounts/reauthenticate/"
    assert parse_qs(target.query)["next"] == [WALLET]
    assert wallet(user).bkash_number == ""


def csrf_token(response) -> str:
    return re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()
    ).group(1)


def test_form_post_goes_through_reauthentication_and_then_saves():
    """As a browser does it, CSRF tokens and all; the post is replayed afterwards."""
    user = player_with(verified=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = csrf_token(client.get(WALLET, **HTML))

    asked = client.post(
        WALLET,
        {
            "csrfmiddlewaretoken": token,
            "_fields": "bkash_number",
            "bkash_number": NUMBER,
        },
        **HTML,
    )

    assert asked.status_code == HTTPStatus.FOUND
    target = urlsplit(asked["Location"])
    assert target.path == "/accounts/reauthenticate/"
    assert parse_qs(target.query)["next"] == [WALLET]
    assert wallet(user).bkash_number == ""
    page = client.get(asked["Location"], **HTML)
    assert page.status_code == HTTPStatus.OK

    confirmed = client.post(
        asked["Location"],
        {"csrfmiddlewaretoken": csrf_token(page), "password": PASSWORD},
        **HTML,
    )

    assert confirmed.status_code == HTTPStatus.FOUND
    assert confirmed["Location"] == WALLET
    assert wallet(user).bkash_number == NUMBER
    page = client.get(WALLET, **HTML).content.decode()
    assert "Wallet saved." in page
    assert "data-security-notice" not in page


def test_a_wrong_password_on_the_way_saves_nothing():
    user = player_with(verified=True)
    client = signed_in(user)
    asked = client.post(WALLET, {"bkash_number": NUMBER}, **HTML)

    refused = client.post(asked["Location"], {"password": "not-it"}, **HTML)

    assert refused.status_code == HTTPStatus.OK
    assert refused.context["form"].errors
    assert wallet(user).bkash_number == ""


def test_reauthentication_lasts_only_a_few_minutes(settings):
    user = player_with(verified=True)
    client = signed_in(user, reauthenticated=True)
    assert post_json(client, {"bkash_number": NUMBER}).status_code == HTTPStatus.OK

    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    again = post_json(client, {"bkash_number": "01812345678"})

    assert again.status_code == HTTPStatus.UNAUTHORIZED
    assert wallet(user).bkash_number == NUMBER


def test_the_page_offers_reauthentication_before_a_save_is_tried():
    client = signed_in(player_with(verified=True))

    html = client.get(WALLET, **HTML).content.decode()

    assert "data-security-notice" in html
    assert 'href="/accounts/reauthenticate/?next=%2Fme%2Fsettings%2Fwallet%2F"' in html


def test_other_sections_need_no_reauthentication():
    user = player_with(verified=False)
    client = signed_in(user)

    response = client.post(
        "/me/settings/basic/",
        {"bio": "Sniper"},
        content_type="application/json",
        **JSON,
    )

    assert response.status_code == HTTPStatus.OK
    user.profile.refresh_from_db()
    assert user.profile.bio == "Sniper"


def test_adding_an_email_address_asks_for_the_password_first():
    user = player_with(verified=True)
    client = Client()
    client.post("/accounts/login/", {"login": "tanvir", "password": PASSWORD})

    asked = client.post(
        "/accounts/email/", {"action_add": "", "email": "tanvir.new@example.com"}
    )

    assert asked.status_code == HTTPStatus.FOUND
    target = urlsplit(asked["Location"])
    assert target.path == "/accounts/reauthenticate/"
    assert parse_qs(target.query)["next"] == ["/accounts/email/"]
    assert not EmailAddress.objects.filter(email="tanvir.new@example.com").exists()

    client.post(asked["Location"], {"password": PASSWORD})

    assert EmailAddress.objects.filter(
        user=user, email="tanvir.new@example.com"
    ).exists()
