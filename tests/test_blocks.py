"""Blocking and unblocking: follows end, new ones are refused, both see a lock."""

import logging
import re
from http import HTTPStatus

from django.test import Client

import pytest

from profiles.models import Block, Follow, PrivacySettings
from tests.factories import FollowFactory, UserFactory

JSON = {"HTTP_ACCEPT": "application/json"}
HTML = {"HTTP_ACCEPT": "text/html"}
LOCKED = "This player's profile is private."


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def troll(db):
    return UserFactory(username="troll")


@pytest.fixture
def blocked_pair(player, troll):
    """Rakib has blocked troll."""
    Block.objects.create(blocker=player.profile, blocked=troll.profile)
    return player, troll


def test_block_ends_follows_both_ways_and_may_repeat(player_client, player, troll):
    FollowFactory(follower=player.profile, followee=troll.profile)
    FollowFactory(
        follower=troll.profile,
        followee=player.profile,
        status=Follow.Status.PENDING,
    )

    first = player_client.post("/@troll/block/", **JSON)
    second = player_client.post("/@troll/block/", **JSON)

    assert first.status_code == second.status_code == HTTPStatus.OK
    assert second.json() == {"success": True, "data": {"blocked": True}}
    assert not Follow.objects.exists()
    assert (
        Block.objects.filter(blocker=player.profile, blocked=troll.profile).count() == 1
    )


def test_block_logs_public_ids_once(player_client, player, troll, caplog):
    with caplog.at_level(logging.INFO, logger="profiles.services"):
        player_client.post("/@troll/block/", **JSON)
        player_client.post("/@troll/block/", **JSON)

    assert [record.getMessage() for record in caplog.records] == [
        f"Block created blocker={player.profile.public_id} "
        f"blocked={troll.profile.public_id}"
    ]


def test_block_from_the_html_form_redirects_back(player_client, troll):
    response = player_client.post("/@troll/block/", **HTML)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == "/@troll/"
    assert "You blocked" in player_client.get("/@troll/").content.decode()


def test_blocking_yourself_is_refused(player_client, player):
    response = player_client.post("/@Rakib/block/", **JSON)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Block.objects.exists()


def test_a_hidden_player_cannot_be_blocked(player_client, troll):
    PrivacySettings.objects.filter(profile=troll.profile).update(
        profile_visibility="hidden"
    )

    response = player_client.post("/@troll/block/", **JSON)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Block.objects.exists()


@pytest.mark.parametrize("action", ["block", "unblock"])
def test_strangers_get_401_json(action, troll):
    response = Client(enforce_csrf_checks=True).post(f"/@troll/{action}/", **JSON)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["success"] is False


@pytest.mark.parametrize("action", ["block", "unblock"])
def test_blocking_needs_a_csrf_token(action, csrf_client, troll):
    response = csrf_client.post(f"/@troll/{action}/", **JSON)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Block.objects.exists()


def test_neither_side_of_a_block_can_follow_the_other(blocked_pair):
    player, troll = blocked_pair

    by_troll = client_for(troll).post("/@Rakib/follow/", **JSON)
    by_player = client_for(player).post("/@troll/follow/", **JSON)

    assert by_troll.status_code == by_player.status_code == HTTPStatus.FORBIDDEN
    assert not Follow.objects.exists()


def test_both_sides_see_the_locked_form(blocked_pair):
    player, troll = blocked_pair
    troll.profile.bio = "canary-troll-bio"
    troll.profile.save()

    blocker_view = client_for(player).get("/@troll/")
    blocked_view = client_for(troll).get("/@Rakib/")

    for response in (blocker_view, blocked_view):
        body = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert LOCKED in body
    # The blocker gets Unblock instead of Follow; the blocked player sees the
    # ordinary locked page, whose follow button the server refuses.
    assert 'follow-form"' not in blocker_view.content.decode()
    assert "canary-troll-bio" not in blocker_view.content.decode()


def test_only_the_blocker_sees_unblock(blocked_pair):
    player, troll = blocked_pair

    blocker_view = client_for(player).get("/@troll/").content.decode()
    blocked_view = client_for(troll).get("/@Rakib/").content.decode()

    assert 'action="/@troll/unblock/"' in blocker_view
    assert "/unblock/" not in blocked_view
    assert 'action="/@Rakib/block/"' in blocked_view


def test_block_menu_sits_on_other_players_profiles_only(player_client, troll):
    other = player_client.get("/@troll/").content.decode()
    own = player_client.get("/@Rakib/").content.decode()
    anonymous = Client().get("/@troll/").content.decode()

    assert 'action="/@troll/block/"' in other and "<details" in other
    assert "/block/" not in own
    assert "/block/" not in anonymous


def test_unblock_lifts_the_block_but_brings_no_follow_back(blocked_pair):
    player, troll = blocked_pair
    client = client_for(player)

    first = client.post("/@troll/unblock/", **JSON)
    second = client.post("/@troll/unblock/", **JSON)

    assert first.status_code == second.status_code == HTTPStatus.OK
    assert second.json() == {"success": True, "data": {"blocked": False}}
    assert not Block.objects.exists()
    assert not Follow.objects.exists()
    assert LOCKED not in client.get("/@troll/").content.decode()
    assert client_for(troll).post("/@Rakib/follow/", **JSON).status_code == (
        HTTPStatus.OK
    )


def test_the_blocked_player_cannot_lift_the_block(blocked_pair):
    player, troll = blocked_pair

    response = client_for(troll).post("/@Rakib/unblock/", **JSON)

    assert response.status_code == HTTPStatus.OK
    assert Block.objects.filter(blocker=player.profile, blocked=troll.profile).exists()


def test_a_blocked_player_sees_an_ordinary_locked_profile(db):
    """Nothing on the page tells a blocked player they were blocked."""
    owner = UserFactory(username="quiet")
    PrivacySettings.objects.filter(profile=owner.profile).update(
        profile_visibility="followers"
    )
    blocked = UserFactory(username="pest")
    stranger = UserFactory(username="nobody")
    Block.objects.create(blocker=owner.profile, blocked=blocked.profile)

    def page_for(user):
        client = Client()
        client.force_login(user)
        html = client.get("/@quiet/").content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html).replace(
            f"@{user.username}", ""
        )

    as_blocked = page_for(blocked)
    as_stranger = page_for(stranger)

    assert "Only followers can see this" in as_blocked
    assert as_blocked == as_stranger
