"""Following from the profile page, for the HTML form and the JSON client."""

from http import HTTPStatus

from django.test import Client

import pytest

from profiles.models import Follow, PrivacySettings
from tests.factories import UserFactory


def follow(client, username, **extra):
    return client.post(f"/@{username}/follow/", HTTP_ACCEPT="application/json", **extra)


@pytest.fixture
def fan_client(db):
    fan = UserFactory(username="fan")
    client = Client()
    client.force_login(fan)
    return client


def test_follow_counts_and_is_idempotent(player, fan_client):
    first = follow(fan_client, "Rakib")
    second = follow(fan_client, "Rakib")

    assert first.status_code == second.status_code == HTTPStatus.OK
    assert second.json() == {
        "success": True,
        "data": {"status": "accepted", "follower_count": 1},
    }
    assert Follow.objects.filter(followee=player.profile).count() == 1


def test_follow_needs_approval_when_the_player_asks_for_it(player, fan_client):
    PrivacySettings.objects.filter(profile=player.profile).update(
        approve_followers=True
    )

    response = follow(fan_client, "Rakib")

    assert response.json()["data"] == {"status": "pending", "follower_count": 0}


def test_unfollow_removes_the_follow(player, fan_client):
    follow(fan_client, "Rakib")

    response = fan_client.post("/@Rakib/unfollow/", HTTP_ACCEPT="application/json")

    assert response.json()["data"]["status"] == "none"
    assert not Follow.objects.filter(followee=player.profile).exists()


def test_following_yourself_is_refused(player_client, player):
    response = follow(player_client, "Rakib")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["success"] is False
    assert not Follow.objects.exists()


def test_signed_out_follow_gets_401_json(player):
    response = follow(Client(), "Rakib")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["success"] is False


def test_follow_form_without_javascript_redirects_back(player, fan_client):
    response = fan_client.post("/@Rakib/follow/", HTTP_ACCEPT="text/html")

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == "/@Rakib/"
    assert Follow.objects.filter(followee=player.profile).exists()


def test_follow_needs_a_csrf_token(player):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response = follow(client, "Rakib")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Follow.objects.exists()


def test_hidden_profiles_cannot_be_followed(player, fan_client):
    PrivacySettings.objects.filter(profile=player.profile).update(
        profile_visibility="hidden"
    )

    response = follow(fan_client, "Rakib")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Follow.objects.exists()


def test_get_on_the_follow_endpoint_is_a_405_json_answer(player, fan_client):
    response = fan_client.get("/@Rakib/follow/", HTTP_ACCEPT="application/json")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json()["success"] is False
    assert response["Allow"] == "POST"


def test_strangers_get_401_even_without_a_csrf_token(player):
    response = follow(Client(enforce_csrf_checks=True), "Rakib")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
