"""Each page costs a fixed number of queries, whatever the profile holds.

Every test counts a page with a little data, grows the data tenfold or more,
and counts again: the two counts must match and stay within the page's budget.
Viewers are counted in their steady state: signed in a moment ago, so the
once-a-minute refresh of their session record (deltacrown.middleware) is not
due. "Cold" means the profile's cached view was just forgotten, as after any
change to it; "warm" means it is cached. Tests that grow a profile to
thousands of rows take a few seconds each and are marked slow.
"""

import datetime
import json
from http import HTTPStatus

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from home.models import FeaturedPlayer, HomePage, NewsIndexPage, NewsPage
from profiles import profile_cache, services
from profiles.models import (
    Achievement,
    GameProfile,
    Match,
    MatchParticipant,
    SocialLink,
    Team,
    TeamMembership,
    UserAchievement,
)
from profiles.sections import SECTIONS
from tests.factories import (
    FollowFactory,
    GameFactory,
    GameProfileFactory,
    MatchParticipantFactory,
    SocialLinkFactory,
    TeamMembershipFactory,
    UserAchievementFactory,
    UserFactory,
    WalletTransactionFactory,
)

pytestmark = pytest.mark.django_db

PROFILE_BUDGET = 12
SETTINGS_PAGE_BUDGET = 10
SETTINGS_ENDPOINT_BUDGET = 6
HOME_BUDGET = 10

ROLES = ["anonymous", "member", "staff", "follower", "owner", "blocked", "blocking"]
JSON = {"HTTP_ACCEPT": "application/json"}


def count(client: Client, url: str, **extra) -> tuple[int, HTTPStatus]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return len(queries), response.status_code


def signed_in(user) -> Client:
    """A client for this viewer (None: anonymous), past its first request.

    A session's first request refreshes its record, and the first request
    after the cache is emptied fills what Wagtail keeps there (site roots).
    """
    client = Client()
    if user is not None:
        client.force_login(user)
    client.get("/search/")
    return client


@pytest.fixture
def star(db):
    """A player with one of everything, and a follow request waiting."""
    user = UserFactory(username="star")
    profile = user.profile
    profile.bio = "Plays everything."
    profile.save()
    SocialLinkFactory(profile=profile, url="https://twitch.tv/star")
    GameProfileFactory(profile=profile)
    UserAchievementFactory(profile=profile)
    TeamMembershipFactory(profile=profile)
    MatchParticipantFactory(profile=profile)
    WalletTransactionFactory(profile=profile)
    FollowFactory(follower=UserFactory().profile, followee=profile)
    FollowFactory(follower=profile, followee=UserFactory().profile)
    return user


def viewer_for(role: str, star):
    if role == "anonymous":
        return None
    if role == "owner":
        return star
    viewer = UserFactory(is_staff=role == "staff")
    if role == "follower":
        FollowFactory(follower=viewer.profile, followee=star.profile)
    elif role == "blocked":
        services.block(star.profile, viewer.profile)
    elif role == "blocking":
        services.block(viewer.profile, star.profile)
    return viewer


def grow(profile) -> None:
    """Tenfold or more of everything the page shows: 200 trophies, 30 teams,
    2,000 matches, every social link, a passport in ten games, more follows."""
    now = timezone.now()
    games = [GameFactory() for _ in range(10)]
    for game in games:
        GameProfileFactory(profile=profile, game=game)
    for platform in SocialLink.Platform.values:
        SocialLink.objects.get_or_create(
            profile=profile,
            platform=platform,
            defaults={"url": f"https://{SocialLink.HOSTS[platform][0]}/star"},
        )
    trophies = Achievement.objects.bulk_create(
        Achievement(name=f"Grown trophy {n}", slug=f"grown-trophy-{n}")
        for n in range(200)
    )
    UserAchievement.objects.bulk_create(
        UserAchievement(profile=profile, achievement=trophy, awarded_at=now)
        for trophy in trophies
    )
    teams = Team.objects.bulk_create(
        Team(name=f"Grown team {n}", tag=f"G{n}", slug=f"grown-{n}", game=games[0])
        for n in range(30)
    )
    TeamMembership.objects.bulk_create(
        TeamMembership(profile=profile, team=team, joined_at=datetime.date(2026, 1, 1))
        for team in teams
    )
    matches = Match.objects.bulk_create(
        Match(
            game=games[n % 10],
            title=f"Grown match {n}",
            played_at=now - datetime.timedelta(hours=n),
        )
        for n in range(2_000)
    )
    MatchParticipant.objects.bulk_create(
        MatchParticipant(
            match=match,
            profile=profile,
            team=teams[0],
            result=MatchParticipant.Result.WIN,
            played_at=match.played_at,
        )
        for match in matches
    )
    for _ in range(10):
        FollowFactory(follower=UserFactory().profile, followee=profile)
        FollowFactory(follower=profile, followee=UserFactory().profile)
        FollowFactory(
            follower=UserFactory().profile, followee=profile, status="pending"
        )
    # bulk_create sends no signals.
    profile_cache.bump([profile.pk])


def profile_counts(client: Client, star) -> tuple[int, int]:
    """Queries for the profile page, cold and then warm."""
    url = star.profile.get_absolute_url()
    # A viewer's first view of the day is counted for "popular this week"
    # (home.popularity), once; the counts below are of the views after it.
    client.get(url)
    profile_cache.bump([star.profile.pk])
    cold, status = count(client, url)
    assert status == HTTPStatus.OK
    warm, _ = count(client, url)
    return cold, warm


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_profile_page_costs_the_same_for_one_of_everything_and_for_thousands(
    star, role
):
    client = signed_in(viewer_for(role, star))

    small = profile_counts(client, star)
    grow(star.profile)
    large = profile_counts(client, star)

    assert small == large
    cold, warm = large
    assert cold <= PROFILE_BUDGET
    assert warm <= cold


@pytest.mark.parametrize("role", ["anonymous", "member", "follower", "owner"])
def test_a_warm_cache_saves_the_profile_page_its_section_queries(star, role):
    client = signed_in(viewer_for(role, star))

    cold, warm = profile_counts(client, star)

    # Counts and the five sections come from the cache, and for the owner
    # their balance and waiting follow requests too. A signed-out visitor's
    # whole page is cached: the one query left finds its key, and a cold page
    # reads the profile once more to build it.
    saved = {"anonymous": 7, "owner": 8}.get(role, 6)
    assert warm == cold - saved
    # Warm, a visitor's page is found by one query; a signed-in viewer's
    # needs their account and the profile with their follow and blocks.
    assert warm == (1 if role == "anonymous" else 2)


@pytest.mark.slow
def test_the_owner_previewing_their_page_stays_within_budget(star):
    client = signed_in(star)
    grow(star.profile)

    queries, status = count(client, "/@star/?view_as=member")

    assert status == HTTPStatus.OK
    assert queries <= PROFILE_BUDGET


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["followers", "following"])
@pytest.mark.parametrize("role", ["anonymous", "member", "owner"])
def test_follow_lists_are_paged_at_a_fixed_cost(star, kind, role):
    client = signed_in(viewer_for(role, star))
    url = f"/@star/{kind}/"

    small, status = count(client, url)
    grow(star.profile)
    large, _ = count(client, url)
    later_page, _ = count(client, url + "?page=2")

    assert status == HTTPStatus.OK
    assert small == large == later_page
    assert large <= PROFILE_BUDGET


@pytest.mark.slow
def test_match_history_pages_cost_the_same(star):
    client = signed_in(star)
    grow(star.profile)

    first, _ = count(client, "/@star/")
    deep, status = count(client, "/@star/?matches=150")

    assert status == HTTPStatus.OK
    assert first == deep <= PROFILE_BUDGET


def grow_settings(profile) -> None:
    """Every social link, a passport in ten games, a dozen follow requests."""
    for game in [GameFactory() for _ in range(10)]:
        GameProfileFactory(profile=profile, game=game)
    for platform in SocialLink.Platform.values:
        SocialLink.objects.get_or_create(
            profile=profile,
            platform=platform,
            defaults={"url": f"https://{SocialLink.HOSTS[platform][0]}/star"},
        )
    for _ in range(12):
        FollowFactory(
            follower=UserFactory().profile, followee=profile, status="pending"
        )
    profile.platform.preferred_games.set(
        GameProfile.objects.values_list("game", flat=True)
    )


def test_the_settings_page_costs_the_same_however_much_is_set(rich_player):
    client = signed_in(rich_player)

    small, status = count(client, "/me/settings/")
    grow_settings(rich_player.profile)
    large, _ = count(client, "/me/settings/")

    assert status == HTTPStatus.OK
    assert small == large <= SETTINGS_PAGE_BUDGET


@pytest.mark.parametrize("section", list(SECTIONS))
def test_reading_a_settings_section_stays_within_budget(rich_player, section):
    client = signed_in(rich_player)
    url = f"/me/settings/{section}/"

    small, status = count(client, url, **JSON)
    grow_settings(rich_player.profile)
    large, _ = count(client, url, **JSON)

    assert status == HTTPStatus.OK
    assert small == large <= SETTINGS_ENDPOINT_BUDGET


SAVES = {
    # Each section with two changes in turn, so both saves write something. A
    # bio leaves the search index alone; a new name re-indexes (not budgeted).
    "basic": ({"bio": "Support main, Dhaka."}, {"bio": "IGL, Chattogram."}),
    "social": (
        {"twitch": "https://twitch.tv/rakib_live"},
        {"twitch": "https://twitch.tv/rakib_clips"},
    ),
    # The first passport's game, whatever the factory named it.
    "games": (
        {"<first game>": {"in_game_id": "Phantom#BD1"}},
        {"<first game>": {"in_game_id": "Phantom#BD2"}},
    ),
    "privacy": ({"about": "members"}, {"about": "followers"}),
    "notifications": (
        {"email_new_follower": False},
        {"email_new_follower": True},
    ),
    "platform": ({"theme": "dark"}, {"theme": "light"}),
    "wallet": ({"bkash_number": "01712345678"}, {"bkash_number": "01812345678"}),
}
# A changed wallet number also records when it changed (payouts wait a day).
EXTRA_QUERIES = {"wallet": 1}


def save_body(profile, body: dict) -> dict:
    body = dict(body)
    if "<first game>" in body:
        game = profile.game_profiles.order_by("pk").first().game
        body[game.slug] = body.pop("<first game>")
    return body


def post(client: Client, section: str, body: dict) -> tuple[int, HTTPStatus]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/me/settings/{section}/",
            json.dumps(body),
            content_type="application/json",
            **JSON,
        )
    return len(queries), response.status_code


@pytest.mark.parametrize("section", list(SAVES))
def test_saving_a_settings_section_stays_within_budget(
    rich_player, player_client, section
):
    first, second = (save_body(rich_player.profile, body) for body in SAVES[section])
    # Steady state: the page was open (a new game empties the catalogue's
    # cached copy, which the next request fills again).
    player_client.get("/me/settings/")

    small, status = post(player_client, section, first)
    grow_settings(rich_player.profile)
    player_client.get("/me/settings/")
    large, _ = post(player_client, section, second)

    assert status == HTTPStatus.OK
    assert small == large <= SETTINGS_ENDPOINT_BUDGET + EXTRA_QUERIES.get(section, 0)


@pytest.fixture
def home(db):
    home = HomePage.objects.get()
    news = home.add_child(instance=NewsIndexPage(title="News", slug="news"))
    return home, news


def add_news_and_players(home, news, how_many: int) -> None:
    for n in range(how_many):
        news.add_child(
            instance=NewsPage(
                title=f"Dhaka Cup news {n}",
                slug=f"news-{n}-{NewsPage.objects.count()}",
                date=datetime.date(2026, 11, 1) + datetime.timedelta(days=n),
            )
        )
        FeaturedPlayer.objects.create(page=home, profile=UserFactory().profile)


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_the_home_page_costs_the_same_with_more_news_and_players(home, role):
    client = signed_in(None if role == "anonymous" else UserFactory())
    add_news_and_players(*home, 1)
    # Publishing a page empties Wagtail's cache of site roots; one request
    # fills it again.
    client.get("/")

    small, status = count(client, "/")
    add_news_and_players(*home, 11)
    client.get("/")
    large, _ = count(client, "/")

    assert status == HTTPStatus.OK
    assert small == large <= HOME_BUDGET
