"""``?next=`` never sends a player off the site, however the address is written."""

import re
from http import HTTPStatus
from urllib.parse import parse_qs, urljoin, urlsplit

from django.test import Client

import pytest

from profiles.models import Follow
from tests.factories import PASSWORD, FollowFactory, UserFactory, verified_user

pytestmark = pytest.mark.django_db

HTML = {"HTTP_ACCEPT": "text/html"}

SPELLINGS = [
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "http://evil.example",
    "HTTPS://evil.example",
    "http://testserver@evil.example",
    "%2F%2Fevil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "//evil.example%2F@testserver",
    "http://[evil.example",
    "//[::1",
]


def lands_on_site(location: str, page: str) -> bool:
    """Where a browser would go from ``page``.

    Browsers drop tabs and newlines from a URL, read a backslash as a slash,
    and take any run of two or more leading slashes as the start of a host.
    """
    written = re.sub(r"[\t\n\r]", "", location).strip().replace("\\", "/")
    written = re.sub(r"^/{2,}", "//", written)
    try:
        target = urlsplit(urljoin(f"http://testserver{page}", written))
        host = target.hostname
    except ValueError:  # not a URL a browser could follow anywhere
        return False
    return target.scheme in ("http", "https") and host == "testserver"


def test_the_check_itself_catches_each_spelling():
    """Each spelling, sent back as it came, would leave the site (or run code)."""
    leaving = [s for s in SPELLINGS if not lands_on_site(s, "/accounts/login/")]

    assert set(leaving) == set(SPELLINGS) - {
        "%2F%2Fevil.example",  # a relative path: stays here
        "//evil.example%2F@testserver",  # user info before this very host
    }


@pytest.fixture
def rakib(db):
    return verified_user(username="Rakib", email="rakib@example.com")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("target", SPELLINGS)
def test_the_sign_in_page_opens_whatever_next_says(target):
    """The form carries ``next`` along; it is checked when the form is sent."""
    response = Client().get("/accounts/login/", {"next": target})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"]


@pytest.mark.parametrize("target", SPELLINGS)
def test_sign_in_stays_on_the_site(rakib, target):
    response = Client().post(
        "/accounts/login/",
        {"login": "Rakib", "password": PASSWORD, "next": target},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert lands_on_site(response["Location"], "/accounts/login/")


def test_sign_in_with_a_next_encoded_in_the_address_stays_on_the_site(rakib):
    response = Client().post(
        "/accounts/login/?next=%2F%2Fevil.example",
        {"login": "Rakib", "password": PASSWORD},
    )

    assert lands_on_site(response["Location"], "/accounts/login/")


def test_sign_in_still_returns_to_a_page_of_the_site(rakib):
    response = Client().post(
        "/accounts/login/",
        {"login": "Rakib", "password": PASSWORD, "next": "/me/settings/wallet/"},
    )

    assert response["Location"] == "/me/settings/wallet/"


@pytest.mark.parametrize("target", SPELLINGS)
def test_sign_out_stays_on_the_site(rakib, target):
    response = signed_in(rakib).post("/accounts/logout/", {"next": target})

    assert response.status_code == HTTPStatus.FOUND
    assert lands_on_site(response["Location"], "/accounts/logout/")


@pytest.mark.parametrize("target", SPELLINGS)
def test_reauthentication_stays_on_the_site(rakib, target):
    response = signed_in(rakib).post(
        "/accounts/reauthenticate/", {"password": PASSWORD, "next": target}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert lands_on_site(response["Location"], "/accounts/reauthenticate/")


@pytest.mark.parametrize("target", SPELLINGS)
def test_follow_request_actions_stay_on_the_site(rakib, target):
    fan = UserFactory(username="fan")
    FollowFactory(
        follower=fan.profile, followee=rakib.profile, status=Follow.Status.PENDING
    )
    page = "/@Rakib/followers/fan/accept/"

    response = signed_in(rakib).post(page, {"next": target}, **HTML)

    assert response.status_code == HTTPStatus.FOUND
    assert lands_on_site(response["Location"], page)
    assert Follow.objects.get(follower=fan.profile).status == Follow.Status.ACCEPTED


@pytest.mark.parametrize("target", SPELLINGS)
def test_a_stranger_sent_to_sign_in_keeps_only_a_local_next(rakib, target):
    page = "/@Rakib/block/"

    response = Client().post(page, {"next": target}, **HTML)

    assert response.status_code == HTTPStatus.FOUND
    login = urlsplit(response["Location"])
    assert login.path == "/accounts/login/"
    (kept,) = parse_qs(login.query)["next"]
    assert lands_on_site(kept, page)


def test_a_secure_sign_in_never_returns_over_plain_http(rakib):
    response = Client().post(
        "/accounts/login/",
        {"login": "Rakib", "password": PASSWORD, "next": "http://testserver/me/"},
        secure=True,
    )

    assert response.status_code == HTTPStatus.FOUND
    assert not response["Location"].startswith("http:")
