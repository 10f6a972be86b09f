"""Accepting, declining and removing followers, and the follow-requests page."""

import json
import logging
from http import HTTPStatus

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from profiles.models import Follow, PrivacySettings
from tests.factories import FollowFactory, UserFactory

ACCEPT = "/@Rakib/followers/fan/accept/"
DECLINE = "/@Rakib/followers/fan/decline/"
REMOVE = "/@Rakib/followers/fan/remove/"
JSON = {"HTTP_ACCEPT": "application/json"}
HTML = {"HTTP_ACCEPT": "text/html"}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def fan(db):
    return UserFactory(username="fan")


@pytest.fixture
def request_from_fan(player, fan):
    return FollowFactory(
        follower=fan.profile, followee=player.profile, status=Follow.Status.PENDING
    )


def status_of(fan, player):
    row = Follow.objects.filter(follower=fan.profile, followee=player.profile).first()
    return row.status if row else None


def test_owner_accepts_a_request_and_may_repeat_it(
    player_client, player, fan, request_from_fan
):
    first = player_client.post(ACCEPT, **JSON)
    second = player_client.post(ACCEPT, **JSON)

    assert first.status_code == second.status_code == HTTPStatus.OK
    assert second.json() == {"success": True, "data": {"status": "accepted"}}
    assert status_of(fan, player) == Follow.Status.ACCEPTED


def test_accepting_logs_public_ids_once(
    player_client, player, fan, request_from_fan, caplog
):
    with caplog.at_level(logging.INFO, logger="profiles.services"):
        player_client.post(ACCEPT, **JSON)
        player_client.post(ACCEPT, **JSON)

    lines = [record.getMessage() for record in caplog.records]
    assert lines == [
        f"Follow request accepted follower={fan.profile.public_id} "
        f"followee={player.profile.public_id}"
    ]
    assert "fan" not in lines[0] and "Rakib" not in lines[0]


def test_accepting_with_no_request_is_404(player_client, fan):
    response = player_client.post(ACCEPT, **JSON)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["success"] is False


def test_owner_declines_a_request_from_the_html_form(
    player_client, player, fan, request_from_fan
):
    response = player_client.post(DECLINE, {"next": "/me/follow-requests/"}, **HTML)
    again = player_client.post(DECLINE, **HTML)

    assert response.status_code == again.status_code == HTTPStatus.FOUND
    assert response.url == again.url == "/me/follow-requests/"
    assert status_of(fan, player) is None
    page = player_client.get("/me/follow-requests/")
    assert "You declined" in page.content.decode()


def test_redirect_back_refuses_other_sites(player_client, fan, request_from_fan):
    response = player_client.post(DECLINE, {"next": "https://evil.example/"}, **HTML)

    assert response.url == "/me/follow-requests/"


def test_decline_leaves_an_accepted_follower_alone(player_client, player, fan):
    FollowFactory(follower=fan.profile, followee=player.profile)

    response = player_client.post(DECLINE, **JSON)

    assert response.json() == {"success": True, "data": {"status": "none"}}
    assert status_of(fan, player) == Follow.Status.ACCEPTED


def test_owner_removes_a_follower_and_may_repeat_it(player_client, player, fan):
    FollowFactory(follower=fan.profile, followee=player.profile)

    first = player_client.post(REMOVE, **JSON)
    second = player_client.post(REMOVE, **JSON)

    assert first.status_code == second.status_code == HTTPStatus.OK
    assert second.json() == {"success": True, "data": {"status": "none"}}
    assert status_of(fan, player) is None


@pytest.mark.parametrize("url", [ACCEPT, DECLINE, REMOVE])
def test_only_the_owner_may_answer_requests(url, player, fan, request_from_fan):
    as_fan = client_for(fan.profile.user).post(url, **JSON)
    as_other = client_for(UserFactory()).post(url, **JSON)

    assert as_fan.status_code == as_other.status_code == HTTPStatus.FORBIDDEN
    assert status_of(fan, player) == Follow.Status.PENDING


def test_a_hidden_owner_answers_others_with_404(player, fan, request_from_fan):
    PrivacySettings.objects.filter(profile=player.profile).update(
        profile_visibility="hidden"
    )

    response = client_for(UserFactory()).post(ACCEPT, **JSON)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert status_of(fan, player) == Follow.Status.PENDING


def test_a_hidden_requester_can_still_be_answered_by_the_owner(
    player_client, player, fan, request_from_fan
):
    PrivacySettings.objects.filter(profile=fan.profile).update(
        profile_visibility="hidden"
    )

    response = player_client.post(ACCEPT, **JSON)

    assert response.status_code == HTTPStatus.OK
    assert status_of(fan, player) == Follow.Status.ACCEPTED


@pytest.mark.parametrize("url", [ACCEPT, DECLINE, REMOVE])
def test_strangers_get_401_json(url, fan, request_from_fan):
    response = Client(enforce_csrf_checks=True).post(url, **JSON)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["success"] is False


def test_strangers_with_a_browser_are_sent_to_sign_in(fan, request_from_fan):
    response = Client().post(ACCEPT, **HTML)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", [ACCEPT, DECLINE, REMOVE])
def test_answering_requests_needs_a_csrf_token(
    url, csrf_client, player, fan, request_from_fan
):
    response = csrf_client.post(url, **JSON)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert status_of(fan, player) == Follow.Status.PENDING


def test_get_is_refused_with_405(player_client, fan, request_from_fan):
    response = player_client.get(ACCEPT, **JSON)

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response["Allow"] == "POST"


def test_requests_page_lists_pending_requests_only(
    player_client, player, fan, request_from_fan
):
    fan.profile.display_name = "Tanvir Hasan"
    fan.profile.save()
    FollowFactory(
        follower=UserFactory(username="already").profile, followee=player.profile
    )

    response = player_client.get("/me/follow-requests/")
    body = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert "Tanvir Hasan" in body and "@fan" in body and ">TH<" in body
    assert f'action="{ACCEPT}"' in body and f'action="{DECLINE}"' in body
    assert "@already" not in body
    assert "private" in response["Cache-Control"]


def test_requests_page_sends_strangers_to_sign_in():
    response = Client().get("/me/follow-requests/")

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == "/accounts/login/?next=%2Fme%2Ffollow-requests%2F"


def test_header_shows_the_request_count_to_the_owner_only(
    player_client, player, fan, request_from_fan
):
    FollowFactory(
        follower=UserFactory().profile,
        followee=player.profile,
        status=Follow.Status.PENDING,
    )

    owner_view = player_client.get("/@Rakib/").content.decode()
    fan_view = client_for(fan).get("/@Rakib/").content.decode()

    assert "Follow requests (2)" in owner_view
    assert 'href="/me/follow-requests/"' in owner_view
    assert "Follow requests" not in fan_view
    assert "Follow requests" not in Client().get("/@Rakib/").content.decode()


def test_header_hides_the_link_when_nobody_waits(player_client):
    assert "Follow requests" not in player_client.get("/@Rakib/").content.decode()


def test_request_count_costs_one_query_and_only_for_the_owner(
    player_client, fan, request_from_fan
):
    def pending_queries(client):
        with CaptureQueriesContext(connection) as queries:
            client.get("/@Rakib/")
        return [q["sql"] for q in queries.captured_queries if "'pending'" in q["sql"]]

    assert len(pending_queries(player_client)) == 1
    assert pending_queries(client_for(UserFactory())) == []
    assert pending_queries(Client()) == []


def test_turning_approval_off_keeps_requests_pending(player_client, player, fan):
    PrivacySettings.objects.filter(profile=player.profile).update(
        approve_followers=True
    )
    client_for(fan).post("/@Rakib/follow/", **JSON)

    response = player_client.post(
        "/me/settings/privacy/",
        json.dumps({"approve_followers": False}),
        content_type="application/json",
        **JSON,
    )

    assert response.status_code == HTTPStatus.OK
    assert not PrivacySettings.objects.get(profile=player.profile).approve_followers
    assert status_of(fan, player) == Follow.Status.PENDING
    assert "Follow requests (1)" in player_client.get("/@Rakib/").content.decode()
