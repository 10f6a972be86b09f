"""Sign-in, sign-up and reset budgets, and whose address they count against.

The suite runs with allauth's limits off (tests sign in far faster than people);
every test here switches on the budgets configured in base.py.
"""

from http import HTTPStatus

from django.core import mail
from django.test import Client

import pytest
from allauth.account.models import EmailAddress

from deltacrown.settings import base
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
WRONG = {"login": "someone", "password": "not-the-password"}


@pytest.fixture(autouse=True)
def rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS


def budget(action: str, per: str = "ip") -> int:
    """How many attempts the configured limit for ``action`` allows per ``per``."""
    for rate in base.ACCOUNT_RATE_LIMITS[action].split(","):
        amount, _, kind = rate.split("/")
        if kind == per:
            return int(amount)
    raise AssertionError(f"no {per} limit for {action}")


def assert_refused(response):
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    html = response.content.decode()
    assert "Slow down a little" in html
    assert 'class="site-header"' in html  # the site's own page, not a bare one


@pytest.mark.slow  # spends the whole configured budget, one sign-in at a time
def test_sign_in_is_refused_once_the_address_spent_its_budget():
    client = Client()
    for _ in range(budget("login")):
        assert client.post(LOGIN, WRONG).status_code == HTTPStatus.OK

    assert_refused(client.post(LOGIN, WRONG))
    # Someone at another address is not affected.
    other = Client(REMOTE_ADDR="198.51.100.40")
    assert other.post(LOGIN, WRONG).status_code == HTTPStatus.OK


@pytest.mark.slow  # spends the whole configured budget, one sign-up at a time
def test_sign_up_is_refused_once_the_address_spent_its_budget():
    client = Client()
    form = {"email": "not-an-address", "username": "x", "password1": "a"}
    for _ in range(budget("signup")):
        assert client.post("/accounts/signup/", form).status_code == HTTPStatus.OK

    assert_refused(
        client.post(
            "/accounts/signup/",
            {
                "email": "late@example.com",
                "username": "latecomer",
                "password1": "a-fresh-crown-2026",
                "password2": "a-fresh-crown-2026",
            },
        )
    )
    assert not EmailAddress.objects.filter(email="late@example.com").exists()


def test_password_reset_for_one_address_is_refused_after_its_budget():
    user = UserFactory(username="sadia", email="sadia@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True)
    client = Client()
    for _ in range(budget("reset_password", per="key")):
        response = client.post("/accounts/password/reset/", {"email": user.email})
        assert response.status_code == HTTPStatus.FOUND
    sent = len(mail.outbox)

    assert_refused(
        client.post("/accounts/password/reset/", {"email": "SADIA@example.com"})
    )
    assert len(mail.outbox) == sent


@pytest.fixture
def small_login_budget(settings):
    """Three sign-ins a minute per address, so the address rules test quickly."""
    settings.ACCOUNT_RATE_LIMITS = {**base.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    return 3


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(
    settings, small_login_budget
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    client = Client()
    for attempt in range(small_login_budget):
        client.post(LOGIN, WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")

    # A fresh made-up address in the header does not buy another attempt.
    assert_refused(client.post(LOGIN, WRONG, HTTP_X_FORWARDED_FOR="203.0.113.250"))


def test_behind_one_proxy_a_forged_address_only_limits_the_forger(
    settings, small_login_budget
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    victim_address, forger_address = "203.0.113.7", "198.51.100.66"
    # Both reach the app through our proxy, which appends the address that
    # connected to it; the forger writes the victim's address in front.
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    forged = f"{victim_address}, {forger_address}"
    for _ in range(small_login_budget):
        proxy.post(LOGIN, WRONG, HTTP_X_FORWARDED_FOR=forged)

    assert_refused(proxy.post(LOGIN, WRONG, HTTP_X_FORWARDED_FOR=forged))
    assert_refused(
        proxy.post(LOGIN, WRONG, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {forger_address}")
    )
    victim = proxy.post(LOGIN, WRONG, HTTP_X_FORWARDED_FOR=victim_address)
    assert victim.status_code == HTTPStatus.OK


def test_a_chain_shorter_than_the_proxies_counted_is_no_server_error(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    client = Client(REMOTE_ADDR="10.0.0.2")

    response = client.post(LOGIN, WRONG, HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
