"""Every query the main pages make finds its rows through an index.

On PostgreSQL only (skipped elsewhere, as in test_backup.py): the big tables
get thousands of rows and fresh statistics, then every query the profile page
(for each viewer role), the settings page, a settings endpoint and the home
page send is explained, and a sequential scan of a big table fails the test.
"""

import datetime
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from profiles import profile_cache, services
from profiles.models import (
    Achievement,
    Follow,
    Game,
    GameProfile,
    Match,
    MatchParticipant,
    PrivacySettings,
    Profile,
    SocialLink,
    Team,
    TeamMembership,
    User,
    UserAchievement,
    WalletTransaction,
)
from tests.factories import FollowFactory, UserFactory
from tests.services import needs_postgres

pytestmark = [needs_postgres, pytest.mark.slow, pytest.mark.django_db]

PLAYERS = 3_000
BIG_TABLE_ROWS = 2_000
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


def seed() -> list[Profile]:
    """Thousands of players, follows, matches and trophies, written in bulk."""
    now = timezone.now()
    users = User.objects.bulk_create(
        User(
            username=f"bulk{n}",
            username_skeleton=f"bulk{n}",
            email=f"bulk{n}@example.com",
            password="!",
        )
        for n in range(PLAYERS)
    )
    profiles = Profile.objects.bulk_create(
        Profile(user=user, slug=user.username, display_name=user.username)
        for user in users
    )
    PrivacySettings.objects.bulk_create(
        PrivacySettings(profile=profile) for profile in profiles
    )
    game = Game.objects.create(name="Bulk Game", slug="bulk-game")
    GameProfile.objects.bulk_create(
        GameProfile(profile=profile, game=game, in_game_name="x", in_game_id="1")
        for profile in profiles
    )
    SocialLink.objects.bulk_create(
        SocialLink(profile=profile, platform="twitch", url="https://twitch.tv/x")
        for profile in profiles
    )
    Follow.objects.bulk_create(
        Follow(follower=profiles[n], followee=profiles[(n + step) % PLAYERS])
        for n in range(PLAYERS)
        for step in (1, 2, 3)
    )
    trophies = Achievement.objects.bulk_create(
        Achievement(name=f"Bulk trophy {n}", slug=f"bulk-trophy-{n}") for n in range(3)
    )
    UserAchievement.objects.bulk_create(
        UserAchievement(profile=profile, achievement=trophy, awarded_at=now)
        for profile in profiles
        for trophy in trophies
    )
    teams = Team.objects.bulk_create(
        Team(name=f"Bulk team {n}", tag="BT", slug=f"bulk-team-{n}", game=game)
        for n in range(PLAYERS // 5)
    )
    TeamMembership.objects.bulk_create(
        TeamMembership(profile=profile, team=teams[n // 5], joined_at=now.date())
        for n, profile in enumerate(profiles)
    )
    matches = Match.objects.bulk_create(
        Match(game=game, title=f"Bulk {n}", played_at=now - datetime.timedelta(n))
        for n in range(PLAYERS)
    )
    MatchParticipant.objects.bulk_create(
        MatchParticipant(
            match=match, profile=profiles[(n + side) % PLAYERS], result="win",
            played_at=match.played_at,
        )
        for n, match in enumerate(matches)
        for side in (0, 1)
    )  # fmt: skip
    WalletTransaction.objects.bulk_create(
        WalletTransaction(profile=profile, kind="prize", amount_poisha=100)
        for profile in profiles
    )
    profile_cache.bump_all()
    return profiles


def big_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s",
            [BIG_TABLE_ROWS],
        )
        return {row[0] for row in cursor.fetchall()}


def sequential_scans(queries, tables: set[str]) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
                continue
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            found += [
                f"{table}: {sql[:160]}"
                for table in SEQ_SCAN.findall(plan)
                if table in tables
            ]
    return found


def capture(client: Client, *requests) -> list[dict]:
    with CaptureQueriesContext(connection) as queries:
        for method, url, extra in requests:
            response = getattr(client, method)(url, **extra)
            assert response.status_code < 400, url
    return queries.captured_queries


def test_no_page_scans_a_big_table():
    profiles = seed()
    star = UserFactory(username="star")
    FollowFactory(follower=star.profile, followee=profiles[0])
    FollowFactory(follower=profiles[1], followee=star.profile)
    tables = big_tables()
    assert {"profiles_follow", "profiles_matchparticipant"} <= tables
    # The check itself sees a scan when there is one.
    unindexed = {"sql": "SELECT id FROM profiles_follow WHERE status = 'none'"}
    assert sequential_scans([unindexed], tables)

    blocked = UserFactory()
    services.block(star.profile, blocked.profile)
    follower = UserFactory()
    FollowFactory(follower=follower.profile, followee=star.profile)
    viewers = {
        "anonymous": None,
        "member": UserFactory(),
        "follower": follower,
        "owner": star,
        "blocked": blocked,
    }
    queries = []
    for viewer in viewers.values():
        client = Client()
        if viewer is not None:
            client.force_login(viewer)
        profile_cache.bump_all()
        queries += capture(
            client,
            ("get", "/@star/", {}),
            ("get", "/@star/?matches=2", {}),
            ("get", "/@star/followers/", {}),
        )
    owner = Client()
    owner.force_login(star)
    queries += capture(
        owner,
        ("get", "/me/settings/", {}),
        ("get", "/me/settings/privacy/", {"HTTP_ACCEPT": "application/json"}),
        (
            "post",
            "/me/settings/privacy/",
            {
                "data": '{"about": "members"}',
                "content_type": "application/json",
                "HTTP_ACCEPT": "application/json",
            },
        ),
        ("get", "/", {}),
    )
    queries += capture(Client(), ("get", "/", {}))

    assert sequential_scans(queries, tables) == []
