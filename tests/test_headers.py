"""Security headers on every page: the public policy, the admin's own, production's."""

from http import HTTPStatus

from django.contrib.sessions.models import Session
from django.test import Client

from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

import pytest
from allauth.account.models import EmailAddress

from tests.factories import UserFactory
from tests.test_deploy import production_env, production_settings

UNUSED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "serial"]


def csp(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_common_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    for feature in UNUSED_FEATURES:
        assert f"{feature}=()" in response["Permissions-Policy"].split(", ")


def assert_public_policy(response):
    policy = csp(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/@someone/", "/accounts/login/"])
def test_public_pages_send_the_strict_policy_and_security_headers(path):
    UserFactory(username="someone")

    response = Client().get(path)

    assert response.status_code == HTTPStatus.OK
    assert_common_headers(response)
    assert_public_policy(response)
    assert csp(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_settings_page_sends_the_strict_policy_to_its_owner(player_client):
    response = player_client.get("/me/settings/")

    assert response.status_code == HTTPStatus.OK
    assert_common_headers(response)
    assert_public_policy(response)
    assert csp(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_admin_pages_work_under_the_admin_policy(editor_client):
    home = Page.objects.get(depth=2)
    paths = [
        "/admin/",
        f"/admin/pages/{home.pk}/edit/",
        "/admin/snippets/profiles/game/",
        "/admin/users/",
    ]

    for path in paths:
        response = editor_client.get(path)

        assert response.status_code == HTTPStatus.OK, path
        assert_common_headers(response)
        policy = csp(response)
        # Relaxed for the admin's inline scripts, style attributes and upload
        # previews; never eval, never plugins, never framed by another site.
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["img-src"] == ["'self'", "data:", "blob:"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_admin_sign_in_page_has_the_admin_policy_and_is_not_framed_elsewhere():
    response = Client().get("/admin/login/")

    assert response.status_code == HTTPStatus.OK
    assert csp(response)["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"


def test_page_preview_keeps_the_public_policy_inside_the_editor(editor_client):
    home = Page.objects.get(depth=2)
    edit_url = f"/admin/pages/{home.pk}/edit/"
    form = querydict_from_html(
        editor_client.get(edit_url).content.decode(), form_id="page-edit-form"
    )
    form["hero_title"] = "Preview of the crown"

    saved = editor_client.post(f"{edit_url}preview/", form)
    response = editor_client.get(f"{edit_url}preview/?in_preview_panel=true")

    assert saved.json()["is_valid"] is True
    assert response.status_code == HTTPStatus.OK
    assert "Preview of the crown" in response.content.decode()
    assert_public_policy(response)
    # The page editor frames its preview; nothing else may.
    assert csp(response)["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.fixture(scope="module")
def production_security(tmp_path_factory):
    """The security settings production.py really sets, read in a subprocess."""
    values = production_settings(
        production_env(tmp_path_factory.mktemp("production")),
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_ENGINE",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
    )
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(settings, production_security):
    for name, value in production_security.items():
        setattr(settings, name, value)


BEHIND_TLS = {"X-Forwarded-Proto": "https"}


@pytest.mark.slow
@pytest.mark.django_db
def test_production_redirects_plain_http_and_sends_hsts(production):
    client = Client()

    plain = client.get("/accounts/login/")
    secure = client.get("/accounts/login/", headers=BEHIND_TLS)

    assert plain.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert plain["Location"] == "https://testserver/accounts/login/"
    assert "Strict-Transport-Security" not in plain
    assert secure.status_code == HTTPStatus.OK
    assert secure["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


@pytest.mark.slow
@pytest.mark.django_db
def test_production_cookies_are_secure_httponly_and_lax(production, password):
    player = UserFactory(username="tanvir")
    EmailAddress.objects.create(
        user=player, email=player.email, verified=True, primary=True
    )
    client = Client()

    client.get("/accounts/login/", headers=BEHIND_TLS)
    csrf_cookie = client.cookies["csrftoken"]
    signed_in = client.post(
        "/accounts/login/",
        {"login": "tanvir", "password": password},
        headers=BEHIND_TLS,
    )
    session_cookie = signed_in.cookies["sessionid"]

    assert signed_in.status_code == HTTPStatus.FOUND
    for cookie in (csrf_cookie, session_cookie):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
    # Sessions live in the database, read through the shared cache.
    session = Session.objects.get(session_key=session_cookie.value)
    assert session.get_decoded()["_auth_user_id"] == str(player.pk)
