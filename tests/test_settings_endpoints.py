"""The settings endpoints keep their contract with the JSON client."""

import json
from http import HTTPStatus

from django.db import DatabaseError
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

import pytest

from profiles.models import NotificationPreferences, PrivacySettings, Profile

BASIC = "/me/settings/basic/"


def post_json(client, url, payload, **extra):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(
        url,
        body,
        content_type="application/json",
        HTTP_ACCEPT="application/json",
        **extra,
    )


@pytest.mark.django_db
def test_anonymous_json_client_gets_401():
    response = post_json(Client(), BASIC, {"display_name": "X"})

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["success"] is False
    assert response.json()["error"]


@pytest.mark.django_db
def test_anonymous_plain_post_gets_401_json():
    response = Client().post(BASIC, {"display_name": "X"})

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == "application/json"


def test_post_without_csrf_token_is_refused_with_json(csrf_client, player):
    response = post_json(csrf_client, BASIC, {"display_name": "Hacked"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["success"] is False
    player.profile.refresh_from_db()
    assert player.profile.display_name == "Rakib"


def test_post_with_wrong_csrf_token_is_refused(csrf_client, player):
    csrf_client.get("/me/profile/")
    response = post_json(
        csrf_client, BASIC, {"display_name": "Hacked"}, HTTP_X_CSRFTOKEN="x" * 32
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    player.profile.refresh_from_db()
    assert player.profile.display_name == "Rakib"


def test_post_with_csrf_token_saves(csrf_client, player):
    token = _get_new_csrf_string()
    csrf_client.cookies["csrftoken"] = token
    response = post_json(
        csrf_client, BASIC, {"display_name": "রাকিব হাসান"}, HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "success": True,
        "data": {
            "display_name": "রাকিব হাসান",
            "bio": "",
            "country": "BD",
            "avatar": "",
        },
    }
    player.profile.refresh_from_db()
    assert player.profile.display_name == "রাকিব হাসান"


def test_get_returns_current_values(player_client):
    response = player_client.get(BASIC, HTTP_ACCEPT="application/json")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["data"]["display_name"] == "Rakib"


def test_invalid_input_names_the_field_and_saves_nothing(player_client, player):
    response = post_json(
        player_client, BASIC, {"display_name": "x" * 500, "bio": "new bio"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["success"] is False
    assert "display_name" in body["errors"]
    assert body["error"]
    player.profile.refresh_from_db()
    assert player.profile.display_name == "Rakib"
    assert player.profile.bio == ""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "not valid JSON"),
        ("", "empty"),
        ("[1, 2]", "JSON object"),
        ("{}", "JSON object"),
        (b"\xff\xfe", "not valid JSON"),
    ],
)
def test_malformed_bodies_get_400(player_client, player, body, message):
    response = post_json(player_client, BASIC, body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.json()["error"]
    assert Profile.objects.get(pk=player.profile.pk).display_name == "Rakib"


def test_wrong_types_and_unknown_fields_are_named(player_client):
    response = post_json(
        player_client, BASIC, {"display_name": ["a"], "is_superuser": True}
    )

    errors = response.json()["errors"]
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(errors) == {"display_name", "is_superuser"}


def test_wrong_content_type_gets_415(player_client):
    response = player_client.post(
        BASIC,
        "display_name=x",
        content_type="text/plain",
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert response.json()["success"] is False


def test_body_too_large_gets_413(player_client):
    response = post_json(player_client, BASIC, {"bio": "x" * 100_000})

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response.json()["success"] is False


def test_wrong_method_gets_405(player_client):
    response = player_client.delete(BASIC, HTTP_ACCEPT="application/json")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json()["success"] is False


def test_unknown_section_gets_404_json(player_client):
    response = player_client.get("/me/settings/nope/", HTTP_ACCEPT="application/json")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["success"] is False


def test_html_in_bio_is_stored_as_typed_and_shown_escaped(player_client, player):
    bio = '<script>alert("x")</script><b>GG</b>'
    response = post_json(player_client, BASIC, {"bio": bio})
    assert response.status_code == HTTPStatus.OK

    page = player_client.get("/@Rakib/")

    assert bio.encode() not in page.content
    assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page.content


def test_a_post_changes_only_the_fields_it_names(player_client, player):
    """Two tabs saving different switches never undo each other."""
    url = "/me/settings/notifications/"
    first = post_json(player_client, url, {"email_new_follower": False})
    second = post_json(player_client, url, {"site_announcements": True})

    assert first.status_code == second.status_code == HTTPStatus.OK
    prefs = NotificationPreferences.objects.get(profile=player.profile)
    assert prefs.email_new_follower is False
    assert prefs.site_announcements is True
    assert prefs.email_team_invite is True


def test_boolean_switch_needs_a_real_boolean(player_client, player):
    response = post_json(
        player_client, "/me/settings/notifications/", {"email_new_follower": "no"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert NotificationPreferences.objects.get(
        profile=player.profile
    ).email_new_follower


def test_privacy_audience_outside_the_choices_is_refused(player_client, player):
    response = post_json(
        player_client, "/me/settings/privacy/", {"achievements": "world"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "achievements" in response.json()["errors"]
    assert PrivacySettings.objects.get(profile=player.profile).achievements == "public"


def test_put_is_not_allowed(player_client):
    response = player_client.put(
        "/me/settings/wallet/", "{}", content_type="application/json"
    )

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response["Allow"] == "GET, POST"
    assert response.json()["success"] is False


def test_database_failure_answers_503_and_changes_nothing(
    player_client, player, monkeypatch
):
    def broken_save(self, *args, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(Profile, "save", broken_save)
    response = post_json(player_client, BASIC, {"display_name": "New"})

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["success"] is False
    assert Profile.objects.get(pk=player.profile.pk).display_name == "Rakib"


def test_missing_companion_row_is_recreated_on_save(player_client, player):
    """Older data may lack a companion row; the section still reads and saves."""
    NotificationPreferences.objects.filter(profile=player.profile).delete()

    read = player_client.get(
        "/me/settings/notifications/", HTTP_ACCEPT="application/json"
    )
    saved = post_json(
        player_client, "/me/settings/notifications/", {"site_wallet": False}
    )

    assert read.status_code == saved.status_code == HTTPStatus.OK
    assert (
        NotificationPreferences.objects.get(profile=player.profile).site_wallet is False
    )


@pytest.mark.django_db
def test_strangers_learn_to_sign_in_before_any_csrf_check():
    response = post_json(Client(enforce_csrf_checks=True), BASIC, {"bio": "x"})

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["success"] is False


def test_oversized_form_post_is_a_413_json_answer(player_client):
    response = player_client.post(
        BASIC,
        "bio=" + "x" * 100_000,
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response.json()["success"] is False


def test_oversized_form_post_with_csrf_checks_is_a_413_not_a_crash(csrf_client):
    """The CSRF check reads the form for its token, and meets the size limit."""
    csrf_client.cookies["csrftoken"] = _get_new_csrf_string()
    response = csrf_client.post(
        BASIC,
        "bio=" + "x" * 100_000,
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response.json()["success"] is False


def test_browsers_get_the_sites_page_for_refusals(player_client):
    response = player_client.put(BASIC, "x", HTTP_ACCEPT="text/html")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response["Content-Type"].startswith("text/html")
    assert b"be done here" in response.content


def test_unknown_section_in_a_browser_is_the_sites_404(player_client):
    response = player_client.get("/me/settings/nope/", HTTP_ACCEPT="text/html")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"We couldn" in response.content
