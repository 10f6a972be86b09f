"""Sessions: a new id at sign-in, gone at sign-out, listed, ended, and suspended."""

from http import HTTPStatus
from importlib import import_module

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest
from allauth.usersessions.models import UserSession

from tests.factories import PASSWORD, verified_user

pytestmark = pytest.mark.django_db

HTML = {"HTTP_ACCEPT": "text/html"}


def session_exists(key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def session_cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def sign_in(client: Client, login: str = "rumana"):
    return client.post("/accounts/login/", {"login": login, "password": PASSWORD})


def is_signed_in(client: Client) -> bool:
    """Whether the client's cookie still opens the settings page."""
    response = client.get("/me/settings/", **HTML)
    if response.status_code == HTTPStatus.OK:
        return True
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/")
    return False


@pytest.fixture
def rumana(db):
    return verified_user(username="rumana", email="rumana@example.com")


def test_signing_in_issues_a_new_session_id(rumana):
    client = Client()
    planted = client.session  # a session that exists before signing in
    planted["visited"] = True
    planted.save()
    before = session_cookie(client)

    sign_in(client)

    after = session_cookie(client)
    assert after != before
    assert not session_exists(before)
    assert is_signed_in(client)


def test_signing_out_deletes_the_session_on_the_server(rumana):
    client = Client()
    sign_in(client)
    key = session_cookie(client)
    assert session_exists(key)

    client.post("/accounts/logout/")

    assert not session_exists(key)
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = key
    assert not is_signed_in(stale)


def test_a_suspended_player_cannot_sign_in(rumana):
    rumana.is_active = False
    rumana.save()
    client = Client()

    response = sign_in(client)

    assert response.status_code == HTTPStatus.OK
    assert "This account is suspended" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not is_signed_in(client)


def test_suspension_ends_every_open_session_at_once(rumana):
    laptop, phone = Client(), Client(REMOTE_ADDR="198.51.100.9")
    sign_in(laptop)
    phone.force_login(rumana)  # a session begun elsewhere, seen on its first use
    assert is_signed_in(laptop) and is_signed_in(phone)
    keys = [session_cookie(laptop), session_cookie(phone)]

    rumana.is_active = False
    rumana.save()

    assert not any(session_exists(key) for key in keys)
    assert not UserSession.objects.filter(user=rumana).exists()
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)

    # Lifting the suspension does not bring the old sessions back.
    rumana.is_active = True
    rumana.save()
    assert not is_signed_in(laptop)


def test_a_player_sees_and_ends_their_other_sessions(rumana):
    laptop = Client(HTTP_USER_AGENT="Laptop browser")
    phone = Client(HTTP_USER_AGENT="Phone browser", REMOTE_ADDR="198.51.100.9")
    sign_in(laptop)
    sign_in(phone)
    phone_key = session_cookie(phone)

    listing = laptop.get("/accounts/sessions/", **HTML)
    assert listing.context["session_count"] == 2
    assert "Phone browser" in listing.content.decode()

    ended = laptop.post("/accounts/sessions/")

    assert ended.status_code == HTTPStatus.FOUND
    assert not session_exists(phone_key)
    assert not is_signed_in(phone)
    assert is_signed_in(laptop)
    assert laptop.get("/accounts/sessions/").context["session_count"] == 1


def test_the_session_record_follows_a_new_address_at_once_but_not_every_page(
    rumana,
):
    client = Client(HTTP_USER_AGENT="Phone browser", REMOTE_ADDR="198.51.100.9")
    sign_in(client)
    key = session_cookie(client)
    client.get("/me/settings/", **HTML)
    record = UserSession.objects.get(session_key=key)
    assert record.ip == "198.51.100.9"
    seen = record.last_seen_at

    with CaptureQueriesContext(connection) as queries:
        client.get("/me/settings/", **HTML)
    assert not any("usersession" in query["sql"] for query in queries)
    assert UserSession.objects.get(session_key=key).last_seen_at == seen

    client.get("/me/settings/", REMOTE_ADDR="203.0.113.7", **HTML)
    assert UserSession.objects.get(session_key=key).ip == "203.0.113.7"
