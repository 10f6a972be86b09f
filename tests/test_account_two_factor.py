"""Two-factor sign-in with an authenticator app (TOTP) and recovery codes."""

import time
from http import HTTPStatus

from django.test import Client

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.factories import PASSWORD, verified_user

pytestmark = pytest.mark.django_db

HTML = {"HTTP_ACCEPT": "text/html"}


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now, from allauth's own helpers."""
    return format_hotp_value(
        hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD)
    )


def sign_in(client: Client, login: str = "nadia"):
    return client.post("/accounts/login/", {"login": login, "password": PASSWORD})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def nadia(db):
    return verified_user(username="nadia", email="nadia@example.com")


@pytest.fixture
def two_factor(nadia):
    """Nadia turns on two-factor through the real pages; her recovery codes."""
    client = Client()
    sign_in(client)

    asked = client.get("/accounts/2fa/totp/activate/")
    assert asked.status_code == HTTPStatus.FOUND
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    back = client.post(asked["Location"], {"password": PASSWORD})
    assert back["Location"] == "/accounts/2fa/totp/activate/"

    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    activated = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert activated.status_code == HTTPStatus.FOUND
    codes = client.get(activated["Location"]).context["unused_codes"]
    client.post("/accounts/logout/")
    return secret, codes


def test_sign_in_asks_for_the_authenticator_code(two_factor):
    secret, _ = two_factor
    client = Client()

    asked = sign_in(client)

    assert asked.status_code == HTTPStatus.FOUND
    assert asked["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in(client)
    page = client.get("/accounts/2fa/authenticate/", **HTML).content.decode()
    assert 'class="site-header"' in page and "auth-card" in page

    wrong_code = "000000" if totp_code(secret) != "000000" else "111111"
    wrong = client.post("/accounts/2fa/authenticate/", {"code": wrong_code})
    assert wrong.status_code == HTTPStatus.OK
    assert wrong.context["form"].errors["code"]
    assert not signed_in(client)

    right = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert right.status_code == HTTPStatus.FOUND
    assert signed_in(client)


def test_a_recovery_code_signs_in_once(two_factor):
    _, codes = two_factor
    first = Client()
    sign_in(first)

    used = first.post("/accounts/2fa/authenticate/", {"code": codes[0]})

    assert used.status_code == HTTPStatus.FOUND
    assert signed_in(first)

    second = Client()
    sign_in(second)
    again = second.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert again.status_code == HTTPStatus.OK
    assert not signed_in(second)

    another = second.post("/accounts/2fa/authenticate/", {"code": codes[1]})
    assert another.status_code == HTTPStatus.FOUND
    assert signed_in(second)


def test_without_a_code_the_password_alone_never_signs_in(two_factor):
    client = Client()
    sign_in(client)

    assert client.get("/me/settings/").status_code == HTTPStatus.FOUND
    assert not signed_in(client)


def test_settings_security_area_links_every_account_page(nadia, two_factor):
    client = Client()
    client.force_login(nadia)

    html = client.get("/me/settings/", **HTML).content.decode()

    area = html[html.index("data-security-links") :]
    area = area[: area.index("</ul>")]
    for href in (
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/sessions/",
    ):
        assert f'href="{href}"' in area
    assert "Two-factor: on" in area


@pytest.mark.parametrize(
    "path", ["/accounts/2fa/", "/accounts/sessions/", "/accounts/email/"]
)
def test_account_pages_render_inside_the_site_layout(nadia, path):
    client = Client()
    client.force_login(nadia)

    response = client.get(path, **HTML)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert 'aria-label="Account and security"' in html
