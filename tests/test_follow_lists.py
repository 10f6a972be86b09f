"""The followers and following lists: paged, private where asked, constant cost."""

import datetime
import re
from http import HTTPStatus

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from profiles import follow_lists
from profiles.models import Block, Follow, PrivacySettings, Profile, User
from profiles.privacy import lock_text
from profiles.profile_page import build_profile_page, get_profile
from tests.factories import FollowFactory, UserFactory


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def without_token(response):
    """The body with its per-request CSRF token masked out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.text)


def set_privacy(user, **values):
    PrivacySettings.objects.filter(profile=user.profile).update(**values)


def follower_of(player, username, *, minutes_ago=0, **kwargs):
    fan = UserFactory(username=username)
    row = FollowFactory(follower=fan.profile, followee=player.profile, **kwargs)
    Follow.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return fan


def crowd_following(player, count):
    """Many followers at once, without the per-player signals a factory runs."""
    users = User.objects.bulk_create(
        User(
            username=f"crowd{n}",
            username_skeleton=f"crowd{n}",
            email=f"crowd{n}@example.com",
        )
        for n in range(count)
    )
    profiles = Profile.objects.bulk_create(
        Profile(user=user, slug=user.username, display_name=f"Crowd {n}")
        for n, user in enumerate(users)
    )
    Follow.objects.bulk_create(
        Follow(follower=profile, followee=player.profile) for profile in profiles
    )


def test_followers_are_listed_newest_first_with_name_handle_and_link(player):
    follower_of(player, "older", minutes_ago=10)
    newer = follower_of(player, "newer", minutes_ago=1)
    newer.profile.display_name = "Nusrat Jahan"
    newer.profile.save()

    response = Client().get("/@Rakib/followers/")
    body = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert body.index("@newer") < body.index("@older")
    assert "Nusrat Jahan" in body and ">NJ<" in body
    assert 'href="/@newer/"' in body
    assert response["X-Robots-Tag"] == "noindex"


def test_following_lists_who_the_player_follows(player):
    idol = UserFactory(username="idol")
    FollowFactory(follower=player.profile, followee=idol.profile)
    follower_of(player, "fan")

    body = Client().get("/@Rakib/following/").content.decode()

    assert "@idol" in body
    assert "@fan" not in body


def test_lists_are_paged_twenty_at_a_time(player):
    for n in range(21):
        follower_of(player, f"fan{n:02d}", minutes_ago=n)

    first = Client().get("/@Rakib/followers/").content.decode()
    second = Client().get("/@Rakib/followers/?page=2").content.decode()

    assert first.count('class="player-row"') == 20
    assert "@fan00" in first and "@fan20" not in first
    assert 'href="?page=2"' in first and 'rel="prev"' not in first
    assert second.count('class="player-row"') == 1
    assert "@fan20" in second
    assert 'href="?page=1"' in second and 'rel="next"' not in second


def test_bad_page_numbers_fall_back_to_the_first_page(player):
    follower_of(player, "fan")

    body = Client().get("/@Rakib/followers/?page=zero").content.decode()

    assert "@fan" in body


def test_a_pending_follower_is_not_listed(player):
    follower_of(player, "hopeful", status=Follow.Status.PENDING)

    body = Client().get("/@Rakib/followers/").content.decode()

    assert "@hopeful" not in body
    assert "No followers yet." in body


ROLES = ("anonymous", "member", "follower", "owner")


@pytest.mark.parametrize(
    ("audience", "sees"),
    [
        ("public", {"anonymous", "member", "follower", "owner"}),
        ("members", {"member", "follower", "owner"}),
        ("followers", {"follower", "owner"}),
        ("only_me", {"owner"}),
    ],
)
@pytest.mark.parametrize("kind", ["followers", "following"])
def test_list_audience_decides_who_sees_it(player, kind, audience, sees):
    friend = follower_of(player, "friend")
    idol = UserFactory(username="idol")
    FollowFactory(follower=player.profile, followee=idol.profile)
    set_privacy(player, **{f"{kind}_list": audience})
    clients = {
        "anonymous": Client(),
        "member": client_for(UserFactory()),
        "follower": client_for(friend),
        "owner": client_for(player),
    }
    marker = "@friend" if kind == "followers" else "@idol"

    for role in ROLES:
        response = clients[role].get(f"/@Rakib/{kind}/")
        body = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        if role in sees:
            assert marker in body, role
        else:
            assert marker not in body, role
            assert 'class="player-row"' not in body, role
            assert lock_text(audience) in body, role


def test_a_pending_follower_is_treated_as_a_member(player):
    hopeful = follower_of(player, "hopeful", status=Follow.Status.PENDING)
    follower_of(player, "friend")
    set_privacy(player, followers_list="followers")

    body = client_for(hopeful).get("/@Rakib/followers/").content.decode()

    assert "@friend" not in body
    assert "Only followers can see this" in body


def test_a_locked_list_shows_no_counts(player):
    for n in range(3):
        follower_of(player, f"fan{n}")
    set_privacy(player, followers_list="only_me")

    listing = follow_lists.build_follow_list(get_profile("Rakib"), None, "followers")
    body = Client().get("/@Rakib/followers/").content.decode()

    assert listing.visible is False
    assert listing.entries == []
    assert listing.next_page is None
    assert 'class="player-row"' not in body and ">3<" not in body


def test_a_hidden_profile_lists_answer_like_a_missing_player(player):
    follower_of(player, "fan")
    set_privacy(player, profile_visibility="hidden")

    member = client_for(UserFactory())
    missing = member.get("/@nobody-here/followers/")

    for url in ("/@Rakib/followers/", "/@rakib/following/"):
        response = member.get(url)
        assert response.status_code == missing.status_code == HTTPStatus.NOT_FOUND
        assert without_token(response) == without_token(missing)
    assert client_for(player).get("/@Rakib/followers/").status_code == HTTPStatus.OK


def test_a_locked_profile_answers_its_lists_with_the_locked_profile(player):
    follower_of(player, "fan")
    set_privacy(player, profile_visibility="members")

    locked_list = Client().get("/@Rakib/followers/")
    locked_profile = Client().get("/@Rakib/")

    assert locked_list.status_code == HTTPStatus.OK
    assert "@fan" not in locked_list.content.decode()
    assert locked_list.content == locked_profile.content
    assert locked_list["X-Robots-Tag"] == "noindex"


def test_any_case_of_the_name_redirects_to_the_canonical_list(player):
    response = Client().get("/@rakib/followers/?page=2")

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response.url == "/@Rakib/followers/?page=2"


def test_hidden_players_are_left_out_of_lists_but_not_for_the_owner(player):
    ghost = follower_of(player, "ghost")
    follower_of(player, "fan")
    set_privacy(ghost, profile_visibility="hidden")

    for client in (Client(), client_for(UserFactory())):
        body = client.get("/@Rakib/followers/").content.decode()
        assert "@fan" in body
        assert "@ghost" not in body
    assert "@ghost" in client_for(player).get("/@Rakib/followers/").content.decode()


def test_players_on_either_side_of_a_block_with_the_viewer_are_left_out(player):
    viewer = UserFactory(username="viewer")
    blocked_by_viewer = follower_of(player, "pest")
    blocker_of_viewer = follower_of(player, "grump")
    follower_of(player, "fan")
    Block.objects.create(blocker=viewer.profile, blocked=blocked_by_viewer.profile)
    Block.objects.create(blocker=blocker_of_viewer.profile, blocked=viewer.profile)

    as_viewer = client_for(viewer).get("/@Rakib/followers/").content.decode()
    as_anyone = Client().get("/@Rakib/followers/").content.decode()

    assert "@fan" in as_viewer
    assert "@pest" not in as_viewer and "@grump" not in as_viewer
    assert "@pest" in as_anyone and "@grump" in as_anyone


def test_entries_are_plain_values(player):
    follower_of(player, "fan")

    listing = follow_lists.build_follow_list(player.profile, None, "followers")

    assert [set(entry) for entry in listing.entries] == [
        {"username", "display_name", "initials", "avatar_url", "url", "since"}
    ]
    assert not any(
        isinstance(value, Profile | User | Follow)
        for entry in listing.entries
        for value in entry.values()
    )


def test_owner_can_remove_a_follower_from_the_list(player_client, player):
    follower_of(player, "fan")

    body = player_client.get("/@Rakib/followers/").content.decode()
    others = Client().get("/@Rakib/followers/").content.decode()

    assert 'action="/@Rakib/followers/fan/remove/"' in body
    assert "/remove/" not in others


def test_header_counts_link_to_the_lists(player):
    follower_of(player, "fan")

    body = Client().get("/@Rakib/").content.decode()

    assert 'href="/@Rakib/followers/"' in body
    assert 'href="/@Rakib/following/"' in body


def test_a_list_page_costs_the_same_for_one_entry_as_for_500(
    player, django_assert_num_queries
):
    viewer = client_for(UserFactory(username="viewer"))
    follower_of(player, "first")
    viewer.get("/@Rakib/followers/")  # the first request loads the session

    with CaptureQueriesContext(connection) as one:
        single = viewer.get("/@Rakib/followers/")
    crowd_following(player, 499)
    with django_assert_num_queries(len(one)):
        crowded = viewer.get("/@Rakib/followers/")

    assert single.content.decode().count('class="player-row"') == 1
    assert crowded.content.decode().count('class="player-row"') == 20


def test_header_count_matches_the_list(db):
    star = UserFactory(username="countstar")
    shown = UserFactory()
    hidden = UserFactory()
    gone = UserFactory()
    for fan in (shown, hidden, gone):
        FollowFactory(follower=fan.profile, followee=star.profile)
    PrivacySettings.objects.filter(profile=hidden.profile).update(
        profile_visibility="hidden"
    )
    gone.is_active = False
    gone.save()

    header = build_profile_page(get_profile("countstar"), None).header
    listed = Client().get("/@countstar/followers/").content.decode()

    assert header.follower_count == 1
    assert f"/@{shown.username}/" in listed
    assert f"/@{hidden.username}/" not in listed
