"""Links in account emails: from SITE_URL, to the stored address, and short-lived."""

import re
from http import HTTPStatus

from django.conf import settings
from django.core import mail
from django.test import Client

import pytest
from allauth.account.models import EmailAddress

from profiles.account_forms import same_address
from tests.factories import PASSWORD, UserFactory, verified_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-crown-2026"
RESET_KEY = "/accounts/password/reset/key/"


@pytest.fixture
def sadia(db):
    return verified_user(username="sadia", email="sadia@example.com")


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def reset_link(client: Client, email: str) -> str:
    client.post("/accounts/password/reset/", {"email": email})
    (link,) = [url for url in links_in(mail.outbox[-1]) if RESET_KEY in url]
    return link


def reset_form_opens(link: str) -> bool:
    """Whether following the emailed link reaches the new-password form."""
    page = Client().get(link.removeprefix(settings.SITE_URL), follow=True)
    assert page.status_code == HTTPStatus.OK
    return b'name="password1"' in page.content


def test_reset_link_uses_the_site_address_not_the_request_host(sadia):
    client = Client(HTTP_HOST="localhost")  # allowed, but not the site's address

    link = reset_link(client, "sadia@example.com")

    assert link.startswith(f"{settings.SITE_URL}{RESET_KEY}")
    assert "localhost" not in mail.outbox[-1].body
    assert reset_form_opens(link)


def test_every_link_in_a_sign_up_email_uses_the_site_address(sadia):
    client = Client(HTTP_HOST="localhost")
    for email in ("sadia@example.com", "newcomer@example.com"):
        client.post(
            "/accounts/signup/",
            {
                "email": email,
                "username": f"new{len(mail.outbox)}",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )

    links = [link for message in mail.outbox for link in links_in(message)]
    assert len(mail.outbox) == 2
    assert links
    assert all(link.startswith(settings.SITE_URL) for link in links), links
    assert all("localhost" not in message.body for message in mail.outbox)


def test_a_host_outside_allowed_hosts_is_refused_and_sends_nothing(sadia):
    client = Client(HTTP_HOST="evil.example")

    response = client.post("/accounts/password/reset/", {"email": "sadia@example.com"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert mail.outbox == []


def test_reset_link_stops_working_once_used(sadia):
    link = reset_link(Client(), "sadia@example.com")
    client = Client()
    form = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert not reset_form_opens(link)


def test_reset_link_stops_working_once_the_password_changes(sadia):
    link = reset_link(Client(), "sadia@example.com")
    signed_in = Client()
    signed_in.post("/accounts/login/", {"login": "sadia", "password": PASSWORD})

    changed = signed_in.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert changed.status_code == HTTPStatus.FOUND
    assert not reset_form_opens(link)


def test_reset_link_stops_working_once_the_email_address_changes(sadia):
    link = reset_link(Client(), "sadia@example.com")
    client = Client()
    client.post("/accounts/login/", {"login": "sadia", "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})

    client.post(
        "/accounts/email/", {"action_add": "", "email": "sadia.new@example.com"}
    )
    (confirm,) = links_in(mail.outbox[-1])
    client.post(confirm.removeprefix(settings.SITE_URL))
    client.post(
        "/accounts/email/", {"action_primary": "", "email": "sadia.new@example.com"}
    )
    client.post("/accounts/email/", {"action_remove": "", "email": "sadia@example.com"})

    assert list(EmailAddress.objects.filter(user=sadia).values_list("email")) == [
        ("sadia.new@example.com",)
    ]
    assert not reset_form_opens(link)


@pytest.fixture
def john(db):
    return verified_user(username="john", email="john@github.com")


@pytest.mark.parametrize(
    "typed",
    [
        "john@gıthub.com",  # dotless ı
        "JOHN@GİTHUB.COM",  # capital İ with a dot
        "john@gİthub.com",
        "\u212aate@github.com",  # Kelvin sign, lower-cases to k
    ],
)
def test_a_look_alike_address_never_receives_an_accounts_reset_link(john, typed):
    kate = UserFactory(username="kate", email="kate@github.com")
    EmailAddress.objects.create(user=kate, email=kate.email, verified=True)

    response = Client().post("/accounts/password/reset/", {"email": typed})

    assert response.status_code == HTTPStatus.FOUND
    # Only allauth's "no account with this address" note, to the address typed.
    (message,) = mail.outbox
    assert message.to == [typed]
    assert RESET_KEY not in message.body


@pytest.mark.parametrize("typed", ["JOHN@GITHUB.COM", "John@GitHub.com"])
def test_ascii_case_still_finds_the_account_and_mails_the_stored_address(john, typed):
    Client().post("/accounts/password/reset/", {"email": typed})

    (message,) = mail.outbox
    assert message.to == ["john@github.com"]
    assert RESET_KEY in message.body


@pytest.mark.parametrize(
    ("stored", "typed", "same"),
    [
        ("john@github.com", "JOHN@GITHUB.COM", True),
        ("john@github.com", "john@gıthub.com", False),
        ("john@github.com", "JOHN@GİTHUB.COM", False),
        ("kate@github.com", "\u212aate@github.com", False),
        ("strasse@example.com", "STRAßE@example.com", False),
        ("rakib@ডেল্টা.bd", "RAKIB@ডেল্টা.bd", True),
    ],
)
def test_addresses_match_only_up_to_ascii_case(stored, typed, same):
    """The check the reset form makes on every row the database offers.

    PostgreSQL's UPPER() folds ı, İ and the Kelvin sign to plain letters, so
    there the database offers such rows; this is what refuses them.
    """
    assert same_address(stored, typed) is same
