"""Sign-in, sign-up and password reset never say whether an account exists."""

import re
from http import HTTPStatus

from django.core import mail
from django.test import Client

import pytest

from deltacrown.settings import base
from profiles.models import User
from tests.factories import PASSWORD, verified_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-crown-2026"


@pytest.fixture
def owner(db):
    return verified_user(username="owner", email="owner@example.com")


def page(response, *typed) -> str:
    """The page a browser shows, without its CSRF token or what the visitor typed."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    for text in typed:
        html = html.replace(text, "TYPED")
    return html


def answer(response) -> tuple:
    """Everything but the body that the browser receives."""
    return (
        response.status_code,
        response.get("Location"),
        sorted(response.cookies),
    )


@pytest.mark.parametrize(
    ("known", "unknown"),
    [("owner", "nobody"), ("owner@example.com", "nobody@example.com")],
)
def test_sign_in_answers_alike_for_unknown_login_and_wrong_password(
    owner, known, unknown
):
    wrong = Client().post("/accounts/login/", {"login": known, "password": "nope"})
    missing = Client().post("/accounts/login/", {"login": unknown, "password": "nope"})

    assert wrong.status_code == missing.status_code == HTTPStatus.OK
    assert wrong.context["form"].errors == missing.context["form"].errors
    assert answer(wrong) == answer(missing)
    assert page(wrong, known) == page(missing, unknown)


def test_failed_sign_in_lockout_reads_the_same_for_real_and_unknown_accounts(
    owner, settings
):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    clients, answers = {}, {}
    for login in ("owner", "nobody"):
        client = clients[login] = Client()
        for _ in range(5):
            client.post("/accounts/login/", {"login": login, "password": "nope"})
        # Even the right password waits out the lockout.
        answers[login] = client.post(
            "/accounts/login/", {"login": login, "password": PASSWORD}
        )

    real, unknown = answers["owner"], answers["nobody"]
    assert "Too many failed login attempts" in str(real.context["form"].errors)
    assert real.context["form"].errors == unknown.context["form"].errors
    assert page(real, "owner") == page(unknown, "nobody")
    assert "_auth_user_id" not in clients["owner"].session


def test_password_reset_answers_alike_for_known_and_unknown_addresses(owner):
    known, unknown = Client(), Client()

    sent = known.post("/accounts/password/reset/", {"email": "owner@example.com"})
    not_sent = unknown.post(
        "/accounts/password/reset/", {"email": "nobody@example.com"}
    )

    assert answer(sent) == answer(not_sent)
    assert sent.status_code == HTTPStatus.FOUND
    assert page(known.get(sent["Location"])) == page(unknown.get(not_sent["Location"]))
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert "/accounts/password/reset/key/" in by_address["owner@example.com"]
    assert "/accounts/password/reset/key/" not in by_address["nobody@example.com"]


def signup(client, email, username):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "username": username,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def test_sign_up_with_a_registered_email_answers_like_a_fresh_one(owner):
    taken, fresh = Client(), Client()

    again = signup(taken, "owner@example.com", "newcomer1")
    new = signup(fresh, "fresh@example.com", "newcomer2")

    assert answer(again) == answer(new)
    assert again.status_code == HTTPStatus.FOUND
    assert page(taken.get(again["Location"]), "owner@example.com") == page(
        fresh.get(new["Location"]), "fresh@example.com"
    )
    # No second account; the owner hears of the attempt by email instead.
    assert not User.objects.filter(username="newcomer1").exists()
    assert User.objects.filter(email__iexact="owner@example.com").count() == 1
    to_owner = [m for m in mail.outbox if m.to == ["owner@example.com"]]
    assert len(to_owner) == 1
    assert "already exists" in to_owner[0].body
    assert "/accounts/password/reset/" in to_owner[0].body


@pytest.mark.parametrize(
    "attempt",
    [
        "OWNER",  # taken, in another case
        "owner",  # taken
        "0wner",  # looks like a taken name
        "admin",  # kept by the site
        "Settings",  # kept by the site
    ],
)
def test_sign_up_gives_one_sentence_for_every_unavailable_username(owner, attempt):
    response = signup(Client(), "someone@example.com", attempt)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors == {
        "username": ["This username isn't available. Choose another."]
    }
    assert not User.objects.filter(email="someone@example.com").exists()


def test_sign_up_still_explains_a_malformed_username(owner):
    response = signup(Client(), "someone@example.com", "ra..kib")

    assert "one at a time" in str(response.context["form"].errors["username"])
