"""The public profile: its eight components, and what each viewer may see."""

from http import HTTPStatus

from django.test import Client

import pytest

from profiles.models import Follow, PrivacySettings
from profiles.privacy import Access, Role
from profiles.profile_page import build_profile_page, get_profile
from tests.factories import (
    FollowFactory,
    MatchParticipantFactory,
    UserFactory,
)


def set_audience(user, **audiences):
    PrivacySettings.objects.filter(profile=user.profile).update(**audiences)


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_anonymous_visitor_sees_every_public_component(rich_player):
    response = Client().get("/@Rakib/")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    for text in (
        "Rakib",
        rich_player.profile.public_id,
        "Valorant IGL from Chattogram.",
        "https://twitch.tv/rakib",
        "PhantomBD",
        "Ace Machine",
        "Dhaka Dragons",
        "Dhaka Open final",
    ):
        assert text in html
    assert "1,500.50" not in html


def test_only_the_owner_sees_the_wallet_balance(rich_player):
    other = UserFactory()

    assert "1,500.50" in client_for(rich_player).get("/@Rakib/").content.decode()
    assert "1,500.50" not in client_for(other).get("/@Rakib/").content.decode()
    assert build_profile_page(get_profile("Rakib"), other).wallet_balance_poisha is None


def test_any_case_of_the_name_redirects_to_the_canonical_url(player):
    response = Client().get("/@RAKIB/?matches=2")

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response.url == "/@Rakib/?matches=2"


@pytest.mark.django_db
def test_unknown_username_gets_the_sites_404_page():
    response = Client().get("/@nobody-here/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"DeltaCrown" in response.content


def test_hidden_profile_answers_exactly_like_a_missing_one(player):
    set_audience(player, profile_visibility="hidden")
    UserFactory(username="ghost")

    hidden = Client().get("/@Rakib/")
    hidden_other_case = Client().get("/@rakib/")
    missing = Client().get("/@rakib-not-here/")

    assert hidden.status_code == missing.status_code == HTTPStatus.NOT_FOUND
    assert hidden_other_case.status_code == HTTPStatus.NOT_FOUND
    assert hidden.content == missing.content == hidden_other_case.content
    assert client_for(player).get("/@Rakib/").status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("audience", "anonymous", "member", "follower", "owner"),
    [
        ("public", True, True, True, True),
        ("members", False, True, True, True),
        ("followers", False, False, True, True),
        ("only_me", False, False, False, True),
    ],
)
def test_section_audience_decides_who_sees_the_trophy_shelf(
    rich_player, audience, anonymous, member, follower, owner
):
    set_audience(rich_player, achievements=audience)
    stranger = UserFactory()
    fan = UserFactory()
    FollowFactory(follower=fan.profile, followee=rich_player.profile)

    seen = {
        "anonymous": client_for(None),
        "member": client_for(stranger),
        "follower": client_for(fan),
        "owner": client_for(rich_player),
    }
    expected = {
        "anonymous": anonymous,
        "member": member,
        "follower": follower,
        "owner": owner,
    }
    for role, client in seen.items():
        html = client.get("/@Rakib/").content.decode()
        assert ("Ace Machine" in html) is expected[role], role


def test_pending_follow_is_not_a_follower(rich_player):
    set_audience(rich_player, achievements="followers")
    hopeful = UserFactory()
    FollowFactory(
        follower=hopeful.profile,
        followee=rich_player.profile,
        status=Follow.Status.PENDING,
    )

    page = build_profile_page(get_profile("Rakib"), hopeful)

    assert page.role is Role.MEMBER
    assert page.sections["achievements"].visible is False
    assert page.sections["achievements"].items == []


def test_locked_section_shows_who_can_see_it_without_its_content(rich_player):
    set_audience(rich_player, match_history="members", achievements="followers")

    html = Client().get("/@Rakib/").content.decode()

    assert "Dhaka Open final" not in html
    assert "Only signed-in members can see this" in html
    assert "Only followers can see this" in html


def test_members_only_profile_shows_its_locked_form_to_anonymous_visitors(rich_player):
    set_audience(rich_player, profile_visibility="members")

    response = Client().get("/@Rakib/")
    member_view = client_for(UserFactory()).get("/@Rakib/")

    assert response.status_code == HTTPStatus.OK
    assert response.context["page"].access is Access.LOCKED
    assert "Valorant IGL from Chattogram." not in response.content.decode()
    assert 'name="robots" content="noindex' in response.content.decode()
    assert "Valorant IGL from Chattogram." in member_view.content.decode()


def test_hidden_follower_count_is_not_sent(rich_player):
    PrivacySettings.objects.filter(profile=rich_player.profile).update(
        show_follower_count=False
    )
    FollowFactory(follower=UserFactory().profile, followee=rich_player.profile)

    anonymous = build_profile_page(get_profile("Rakib"), None)
    owner = build_profile_page(get_profile("Rakib"), rich_player)

    assert anonymous.header.follower_count is None
    assert owner.header.follower_count == 1


def test_match_history_is_paged(player, settings):
    settings.DELTACROWN = {**settings.DELTACROWN, "PROFILE_PAGE_SIZE": 3}
    for _ in range(7):
        MatchParticipantFactory(profile=player.profile)

    first = build_profile_page(get_profile("Rakib"), None).sections["match_history"]
    last = build_profile_page(get_profile("Rakib"), None, match_page=3).sections[
        "match_history"
    ]

    assert len(first.items) == 3
    assert first.next_page == 2
    assert len(last.items) == 1
    assert last.next_page is None
    assert last.previous_page == 2


def test_bad_page_numbers_fall_back_to_the_first_page(player):
    for value in ("abc", "-4", "0", "9" * 40):
        assert Client().get(f"/@Rakib/?matches={value}").status_code == HTTPStatus.OK


@pytest.mark.django_db
def test_me_profile_sends_anonymous_visitors_to_sign_in():
    response = Client().get("/me/profile/")

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith("/accounts/login/?next=/me/profile/")


def test_me_profile_takes_the_player_home(player_client):
    assert player_client.get("/me/profile/").url == "/@Rakib/"


def test_country_belongs_to_the_about_section(rich_player):
    rich_player.profile.country = "NP"
    rich_player.profile.save()
    set_audience(rich_player, about="followers")

    html = Client().get("/@Rakib/").content.decode()

    assert "Nepal" not in html


def test_locked_profile_shows_only_name_and_avatar(rich_player):
    rich_player.profile.level = 77
    rich_player.profile.xp = 123_456
    rich_player.profile.save()
    FollowFactory(follower=UserFactory().profile, followee=rich_player.profile)
    set_audience(rich_player, profile_visibility="followers")

    page = build_profile_page(get_profile("Rakib"), UserFactory())
    html = client_for(UserFactory()).get("/@Rakib/").content.decode()

    assert page.access is Access.LOCKED
    assert page.header.display_name == "Rakib"
    assert (page.header.level, page.header.xp) == (None, None)
    assert (page.header.follower_count, page.header.following_count) == (None, None)
    assert "123,456" not in html
    assert "Follower" not in html


def test_signed_in_views_are_never_kept_by_shared_caches(rich_player):
    response = client_for(rich_player).get("/@Rakib/")

    assert "private" in response["Cache-Control"]
