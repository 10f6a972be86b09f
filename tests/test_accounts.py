"""Accounts through allauth: sign-up with email verification, sign-in, reset."""

import re
from http import HTTPStatus

from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client

import pytest
from allauth.account.models import EmailAddress

from profiles.models import (
    NotificationPreferences,
    PlatformPreferences,
    PrivacySettings,
    User,
    WalletSettings,
)
from tests.factories import UserFactory

NEW_PASSWORD = "a-fresh-crown-2026"


def verified(user):
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_sign_up_confirms_email_through_the_link_and_creates_the_profile():
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {
            "email": "nusrat@example.com",
            "username": "nusrat.j",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == HTTPStatus.FOUND

    user = User.objects.get(username="nusrat.j")
    profile = user.profile
    assert PrivacySettings.objects.filter(profile=profile).exists()
    assert NotificationPreferences.objects.filter(profile=profile).exists()
    assert PlatformPreferences.objects.filter(profile=profile).exists()
    assert WalletSettings.objects.filter(profile=profile).exists()
    assert not EmailAddress.objects.get(email="nusrat@example.com").verified

    assert len(mail.outbox) == 1
    confirm = link_in(mail.outbox[0])
    client.post(confirm)

    assert EmailAddress.objects.get(email="nusrat@example.com").verified
    assert client.get("/me/profile/").url == "/@nusrat.j/"


@pytest.mark.django_db
def test_unverified_player_cannot_sign_in_yet(password):
    UserFactory(username="fresh", email="fresh@example.com")
    EmailAddress.objects.create(
        user=User.objects.get(username="fresh"), email="fresh@example.com"
    )
    client = Client()

    client.post("/accounts/login/", {"login": "fresh", "password": password})

    assert client.get("/me/profile/").status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in client.get("/me/profile/").url


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["tanvir_ff", "TANVIR_FF", "tanvir@example.com"])
def test_sign_in_with_username_in_any_case_or_email(login, password):
    verified(UserFactory(username="tanvir_ff", email="tanvir@example.com"))
    client = Client()

    response = client.post("/accounts/login/", {"login": login, "password": password})

    assert response.status_code == HTTPStatus.FOUND
    assert client.get("/me/profile/").url == "/@tanvir_ff/"


@pytest.mark.django_db
def test_wrong_password_does_not_sign_in(password):
    verified(UserFactory(username="shakil", email="shakil@example.com"))
    client = Client()

    response = client.post("/accounts/login/", {"login": "shakil", "password": "nope"})

    assert response.status_code == HTTPStatus.OK
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_out_ends_the_session(password):
    user = verified(UserFactory(username="mim", email="mim@example.com"))
    client = Client()
    client.force_login(user)

    client.post("/accounts/logout/")

    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_change_keeps_the_player_signed_in(password):
    user = verified(UserFactory(username="arif", email="arif@example.com"))
    client = Client()
    client.force_login(user)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert authenticate(username="arif", password=NEW_PASSWORD) is not None
    assert authenticate(username="arif", password=password) is None
    assert client.get("/me/profile/").url == "/@arif/"


@pytest.mark.django_db
def test_password_reset_through_the_emailed_link(password):
    verified(UserFactory(username="sadia", email="sadia@example.com"))
    client = Client()

    client.post("/accounts/password/reset/", {"email": "sadia@example.com"})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sadia@example.com"]
    assert "DeltaCrown" in message.subject
    reset_page = client.get(link_in(message), follow=True)
    assert reset_page.status_code == HTTPStatus.OK
    set_password_url = reset_page.redirect_chain[-1][0]

    done = client.post(
        set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert done.status_code == HTTPStatus.FOUND
    fresh = Client()
    fresh.post("/accounts/login/", {"login": "sadia", "password": NEW_PASSWORD})
    assert fresh.get("/me/profile/").url == "/@sadia/"
    stale = Client()
    stale.post("/accounts/login/", {"login": "sadia", "password": password})
    assert "_auth_user_id" not in stale.session


@pytest.mark.django_db
def test_reset_link_works_only_once(password):
    verified(UserFactory(username="rumana", email="rumana@example.com"))
    client = Client()
    client.post("/accounts/password/reset/", {"email": "rumana@example.com"})
    link = link_in(mail.outbox[0])
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    again = Client().get(link, follow=True)

    assert b"password1" not in again.content
    assert authenticate(username="rumana", password=NEW_PASSWORD) is not None


@pytest.mark.django_db
def test_reset_for_an_unknown_email_sends_no_reset_link():
    Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert all("/password/reset/key/" not in message.body for message in mail.outbox)
