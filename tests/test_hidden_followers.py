"""A hidden player who follows someone stays visible to that someone."""

from http import HTTPStatus

from django.test import Client

import pytest

from profiles.models import Block, Follow, PrivacySettings
from profiles.profile_page import build_profile_page, get_profile
from tests.factories import FollowFactory, UserFactory


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def hide(user):
    PrivacySettings.objects.filter(profile=user.profile).update(
        profile_visibility="hidden"
    )


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


@pytest.fixture
def lurker(owner):
    lurker = UserFactory(username="lurker")
    FollowFactory(follower=lurker.profile, followee=owner.profile)
    hide(lurker)
    return lurker


def test_owner_sees_and_counts_a_hidden_follower(owner, lurker):
    listed = signed_in(owner).get("/@owner/followers/").content.decode()
    public = Client().get("/@owner/followers/").content.decode()

    assert "/@lurker/" in listed
    assert "/@lurker/" not in public
    assert build_profile_page(get_profile("owner"), owner).header.follower_count == 1
    assert build_profile_page(get_profile("owner"), None).header.follower_count == 0


def test_owner_can_remove_a_hidden_follower(owner, lurker):
    response = signed_in(owner).post(
        "/@owner/followers/lurker/remove/", HTTP_ACCEPT="application/json"
    )

    assert response.status_code == HTTPStatus.OK
    assert not Follow.objects.exists()


def test_owner_can_block_a_hidden_follower(owner, lurker):
    response = signed_in(owner).post("/@lurker/block/", HTTP_ACCEPT="application/json")

    assert response.status_code == HTTPStatus.OK
    assert Block.objects.filter(blocker=owner.profile, blocked=lurker.profile).exists()
    assert not Follow.objects.exists()


def test_hidden_requester_can_be_accepted_or_declined(owner):
    PrivacySettings.objects.filter(profile=owner.profile).update(approve_followers=True)
    asker = UserFactory(username="asker")
    FollowFactory(
        follower=asker.profile, followee=owner.profile, status=Follow.Status.PENDING
    )
    hide(asker)
    client = signed_in(owner)

    waiting = client.get("/me/follow-requests/").content.decode()
    response = client.post(
        "/@owner/followers/asker/decline/", HTTP_ACCEPT="application/json"
    )

    assert "/@asker/" in waiting
    assert response.status_code == HTTPStatus.OK
    assert not Follow.objects.exists()


def test_strangers_still_cannot_reach_a_hidden_player(owner, lurker):
    stranger = signed_in(UserFactory(username="stranger"))

    blocked = stranger.post("/@lurker/block/", HTTP_ACCEPT="application/json")
    removed = stranger.post(
        "/@stranger/followers/lurker/remove/", HTTP_ACCEPT="application/json"
    )

    assert blocked.status_code == HTTPStatus.NOT_FOUND
    assert removed.status_code == HTTPStatus.NOT_FOUND
    assert blocked.content == removed.content


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["%00", "a%00b", "%01%02", "%E2%80%AE"])
def test_search_with_control_characters_answers(query):
    response = Client().get(f"/search/?q={query}")

    assert response.status_code == HTTPStatus.OK


@pytest.mark.django_db
def test_pages_for_signed_in_players_stay_out_of_shared_caches():
    player = UserFactory(username="cachey")
    client = signed_in(player)

    for url in ("/me/settings/", "/", "/me/settings/wallet/"):
        response = client.get(url, HTTP_ACCEPT="application/json")
        assert "private" in response["Cache-Control"], url
    anonymous = Client().get("/@cachey/")
    assert "no-cache" in anonymous["Cache-Control"]
    assert "private" not in anonymous["Cache-Control"]
