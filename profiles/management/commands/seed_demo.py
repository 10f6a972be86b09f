"""`manage.py seed_demo`: a demo community to click through, the same on every run.

Player `i` is planned from its own generator, seeded with `--seed` and `i`, and
only looks back at players before it (whom it follows, whom it played). So the
first 48 players are the same whether you ask for 48 or 10,000, and a larger
`--players` only adds. Players that already exist are left alone; everything a
player brings (profile, companions, passports, follows, matches, ledger) is
written in the same transaction as the account, so a player either exists
complete or not at all.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import math
import random
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone

from wagtail.models import Page
from wagtail.search.models import IndexEntry

from allauth.account.models import EmailAddress
from tqdm import tqdm

from deletions.models import DeletionRequest, grace_period
from moderation.models import Report
from payouts.demo import seed_payouts
from profiles import profile_cache, usernames
from profiles.companions import create_companions
from profiles.discovery import reindex_profiles
from profiles.management import demo_data as data
from profiles.management.demo_pages import seed_pages, seed_profile_views
from profiles.models import (
    Achievement,
    Audience,
    Follow,
    Game,
    GameProfile,
    Match,
    MatchParticipant,
    NotificationPreferences,
    PlatformPreferences,
    PrivacySettings,
    Profile,
    ProfileVisibility,
    SocialLink,
    Team,
    TeamMembership,
    User,
    UserAchievement,
    WalletSettings,
    WalletTransaction,
)
from profiles.models.identity import PUBLIC_ID_ALPHABET, PUBLIC_ID_LENGTH

DEFAULT_PLAYERS = 48
CHUNK_SIZE = 250
START = data.ANCHOR - datetime.timedelta(days=data.HISTORY_DAYS)
GAMES_BY_SLUG = {game["slug"]: game for game in data.GAMES}
# How often players link each game: Free Fire and PUBG Mobile lead in Bangladesh.
GAME_WEIGHTS = {
    "free-fire": 30,
    "pubg-mobile": 28,
    "valorant": 18,
    "efootball": 14,
    "mobile-legends": 12,
    "cs2": 8,
}
# A player's score: kills in shooters and MOBAs, finishes in battle royales.
SCORE_RANGE = {
    "valorant": (4, 31),
    "cs2": (6, 34),
    "pubg-mobile": (0, 14),
    "free-fire": (0, 16),
    "mobile-legends": (0, 15),
}
PRIZES_TAKA = [300, 500, 750, 1000, 1500, 2000, 2500, 5000, 10000]
PLACES = ["1st place", "2nd place", "3rd place", "top 4", "top 8", "MVP award"]
SOCIAL_PLATFORMS = [
    "facebook",
    "youtube",
    "twitch",
    "discord",
    "x",
    "instagram",
    "tiktok",
]

# Hand-placed variety among the first 48 players, so the default run always
# shows every privacy state; later players draw theirs at random.
RAKIB = 0
HIDDEN = {7}
MEMBERS_ONLY = {3, 19, 31}
FOLLOWERS_ONLY = {5, 23}
APPROVES_FOLLOWERS = {RAKIB, 5, 11, 23, 29, 37, 42}
HIDES_FOLLOWER_COUNT = {11, 17, 41}
HIDES_FOLLOWING_COUNT = {17, 26}
MEMBERS_SECTIONS = {
    2: ("match_history", "social_links"),
    13: ("followers_list",),
    27: ("game_passports", "match_history"),
    44: ("about",),
}
FOLLOWERS_SECTIONS = {9: ("game_passports",), 21: ("teams", "achievements"),
                      35: ("social_links", "following_list")}  # fmt: skip
ONLY_ME_SECTIONS = {15: ("followers_list", "following_list")}
# Players 1 to 12 follow Rakib; every fourth one is still waiting for approval.
RAKIB_FANS = range(1, 13)


@dataclass
class SoloMatch:
    game: str
    title: str
    played_at: datetime.datetime
    result: str
    score: int
    opponent: int | None
    opponent_result: str
    opponent_score: int


@dataclass
class PlayerPlan:
    index: int
    username: str
    first_name: str
    last_name: str
    display_name: str
    joined: datetime.datetime
    uuid: uuid.UUID
    public_id: str
    bio: str = ""
    country: str = "BD"
    time_zone: str = "Asia/Dhaka"
    language: str = "en"
    theme: str = "system"
    level: int = 1
    xp: int = 0
    privacy: dict = field(default_factory=dict)
    notifications: dict = field(default_factory=dict)
    passports: list[dict] = field(default_factory=list)
    preferred_games: list[str] = field(default_factory=list)
    social_links: list[tuple[str, str]] = field(default_factory=list)
    wallet: dict = field(default_factory=dict)
    achievements: list[tuple[str, datetime.datetime]] = field(default_factory=list)
    ledger: list[tuple[str, int, str, datetime.datetime]] = field(default_factory=list)
    # (follower index, followee index, status, when); the other side is earlier.
    follows: list[tuple[int, int, str, datetime.datetime]] = field(default_factory=list)
    matches: list[SoloMatch] = field(default_factory=list)

    @property
    def email(self) -> str:
        return f"{self.username.lower()}@{data.DEMO_EMAIL_DOMAIN}"

    @property
    def games(self) -> list[str]:
        return [passport["game"] for passport in self.passports]

    @property
    def is_hidden(self) -> bool:
        return self.privacy["profile_visibility"] == ProfileVisibility.HIDDEN


@dataclass
class RosterSpot:
    index: int
    role: str
    is_active: bool
    joined_at: datetime.date
    left_at: datetime.date | None = None


@dataclass
class TeamMatch:
    game: str
    title: str
    played_at: datetime.datetime
    # (team slug, result) for each side we have a roster for.
    sides: list[tuple[str, str]]


def moment_between(
    rng: random.Random, start: datetime.datetime, end: datetime.datetime
) -> datetime.datetime:
    """A whole minute between two moments (the start when they meet)."""
    minutes = int((end - start).total_seconds() // 60)
    moment = start + datetime.timedelta(
        minutes=rng.randrange(minutes) if minutes > 0 else 0
    )
    return moment.replace(second=0, microsecond=0)


def joined_at(index: int, rng: random.Random) -> datetime.datetime:
    """Sign-up time: early players are the founders, later ones keep arriving.

    Monotonic in the index (give or take a few hours), so a player only ever
    meets players who signed up before them.
    """
    days = data.HISTORY_DAYS * (1 - math.exp(-index / 2500)) * 0.97
    return START + datetime.timedelta(days=days, minutes=rng.randrange(8 * 60))


def in_game_id(rng: random.Random, game: str, name: str) -> str:
    if game == "valorant":
        tag = rng.choice(["BD", "DHK", "CTG", "SYL", "BAN", "APAC"])
        return f"{name}#{(tag + str(rng.randint(1, 99)))[:5]}"
    if game == "pubg-mobile":
        return str(rng.randint(5_000_000_000, 5_999_999_999))
    if game == "free-fire":
        return str(rng.randint(10_000_000, 3_999_999_999))
    if game == "efootball":
        letters = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(4))
        return "-".join([letters, *(f"{rng.randint(0, 999):03d}" for _ in range(3))])
    if game == "cs2":
        return f"76561198{rng.randint(0, 999_999_999):09d}"
    if game == "mobile-legends":
        return f"{rng.randint(100_000_000, 1_999_999_999)} ({rng.randint(1000, 19999)})"
    raise ValueError(game)


def is_demo_email(email: str) -> bool:
    return email.lower().endswith("@" + data.DEMO_EMAIL_DOMAIN)


def wallet_number(rng: random.Random) -> str:
    """A Bangladeshi mobile number as stored: 01, an operator digit 3-9, 8 more."""
    return f"01{rng.choice('3456789')}{rng.randint(0, 99_999_999):08d}"


class Planner:
    """Decides, without touching the database, what every demo player is."""

    def __init__(self, seed: int, foreign_usernames: set[str]):
        self.seed = seed
        # The database refuses a name equal to another ignoring case, and one
        # that merely looks like another (same skeleton); avoid both.
        self.taken_names = {name.lower() for name in foreign_usernames}
        self.taken = {usernames.skeleton(name) for name in foreign_usernames}
        self.public_ids: set[str] = set()
        self.plans: list[PlayerPlan] = []
        self.competitors: dict[str, list[int]] = defaultdict(list)
        self.rosters = self._plan_rosters()
        self.forced_games: dict[int, list[str]] = defaultdict(list)
        for slug, spots in self.rosters.items():
            for spot in spots:
                self.forced_games[spot.index].append(self.team_game(slug))
        self.team_matches = self._plan_team_matches()

    @staticmethod
    def team_game(team_slug: str) -> str:
        return next(team[3] for team in data.TEAMS if team[2] == team_slug)

    def plan(self, count: int) -> list[PlayerPlan]:
        for index in range(len(self.plans), count):
            self.plans.append(self._plan_player(index))
        return self.plans[:count]

    def featured(self, count: int, limit: int = 6) -> list[int]:
        """Rakib and the busiest public players among the first ones."""
        picks = [RAKIB]
        for plan in self.plans[1 : min(count, DEFAULT_PLAYERS)]:
            if len(picks) == limit:
                break
            public = plan.privacy["profile_visibility"] == ProfileVisibility.PUBLIC
            if (
                public
                and len(plan.passports) >= 2
                and plan.index not in MEMBERS_SECTIONS
            ):
                picks.append(plan.index)
        return picks[:count]

    # Teams ----------------------------------------------------------------

    def _plan_rosters(self) -> dict[str, list[RosterSpot]]:
        rng = random.Random(f"{self.seed}-rosters")
        teams_of: dict[int, list[str]] = defaultdict(list)
        rosters = {}
        for _name, _tag, slug, game, size in data.TEAMS:
            pool = [i for i in range(1, DEFAULT_PLAYERS) if i not in HIDDEN]
            rng.shuffle(pool)
            members = [RAKIB] if slug == "bengal-tigers-esports" else []
            extra = rng.random() < 0.5  # a substitute
            coach = rng.random() < 0.4
            former = rng.random() < 0.6
            wanted = size + extra + coach + former
            for index in pool:
                if len(members) == wanted:
                    break
                games = [self.team_game(team) for team in teams_of[index]]
                if len(games) < 2 and game not in games:
                    members.append(index)
            spots = []
            for position, index in enumerate(members):
                teams_of[index].append(slug)
                joined = (START + datetime.timedelta(days=rng.randint(20, 60))).date()
                role = (
                    TeamMembership.Role.CAPTAIN
                    if position == 0
                    else TeamMembership.Role.PLAYER
                )
                spot = RosterSpot(index, role, True, joined)
                if position >= size:
                    kinds = (
                        ["substitute"] * extra + ["coach"] * coach + ["former"] * former
                    )
                    kind = kinds[position - size]
                    if kind == "substitute":
                        spot.role = TeamMembership.Role.SUBSTITUTE
                    elif kind == "coach":
                        spot.role = TeamMembership.Role.COACH
                    else:
                        spot.joined_at = (START + datetime.timedelta(days=14)).date()
                        spot.left_at = (
                            START + datetime.timedelta(days=rng.randint(150, 250))
                        ).date()
                        spot.is_active = False
                spots.append(spot)
            rosters[slug] = spots
        return rosters

    def _plan_team_matches(self) -> list[TeamMatch]:
        rng = random.Random(f"{self.seed}-team-matches")
        names = {team[2]: team[0] for team in data.TEAMS}
        matches = []
        for game in GAMES_BY_SLUG:
            teams = [team[2] for team in data.TEAMS if team[3] == game]
            combos = list(itertools.product(data.TOURNAMENTS[game], data.STAGES))
            picks = iter(rng.sample(combos, 5 + 4 * len(teams)))
            fixtures = [(teams[0], teams[1])] * 5 if len(teams) == 2 else []
            for team in teams:
                opponents = rng.sample(data.EXTERNAL_OPPONENTS, 4)
                fixtures += [(team, opponent) for opponent in opponents]
            for home_side, away_side in fixtures:
                tournament, stage = next(picks)
                played_at = moment_between(
                    rng,
                    START + datetime.timedelta(days=90),
                    data.ANCHOR - datetime.timedelta(days=2),
                )
                away_name = names.get(away_side, away_side)
                title = (
                    f"{tournament} {played_at.year} — {stage}: "
                    f"{names[home_side]} vs {away_name}"
                )
                roll = rng.random()
                draws = game in ("efootball", "cs2")
                result = (
                    "draw" if draws and roll < 0.1 else "win" if roll < 0.55 else "loss"
                )
                sides = [(home_side, result)]
                if away_side in names:
                    sides.append((away_side, opposite(result)))
                matches.append(TeamMatch(game, title, played_at, sides))
        return matches

    # Players --------------------------------------------------------------

    def _plan_player(self, index: int) -> PlayerPlan:
        rng = random.Random(f"{self.seed}-player-{index}")
        plan = self._identity(index, rng)
        self._privacy(plan, rng)
        self._preferences(plan, rng)
        self._passports(plan, rng)
        if index == RAKIB:
            self._rakib_passports(plan)
        self._social(plan, rng)
        self._matches(plan, rng)
        self._achievements(plan, rng)
        self._wallet(plan, rng)
        self._follows(plan, rng)
        if index == RAKIB:
            self._make_rakib_rich(plan, rng)
        if plan.matches and not plan.is_hidden:
            for game in plan.games:
                self.competitors[game].append(index)
        return plan

    def _identity(self, index: int, rng: random.Random) -> PlayerPlan:
        female = rng.random() < 0.3
        first, first_bn = rng.choice(data.FEMALE_FIRST if female else data.MALE_FIRST)
        lasts = data.LAST + data.FEMALE_LAST if female else data.LAST
        last, last_bn = rng.choice(lasts)
        if index == RAKIB:
            first, first_bn, last, last_bn = "Rakib", "রাকিব", "Hasan", "হাসান"
            username = data.PLAYER_LOGIN[0]
        else:
            username = self._username(rng, first, last)
        self.taken.add(usernames.skeleton(username))
        self.taken_names.add(username.lower())

        bangla = index == RAKIB or rng.random() < 0.4
        if bangla:
            display_name = f"{first_bn} {last_bn}"
        elif rng.random() < 0.08:
            display_name = first
        else:
            display_name = f"{first} {last}"

        public_id = self._public_id(rng)
        return PlayerPlan(
            index=index,
            username=username,
            first_name=first,
            last_name=last,
            display_name=display_name,
            joined=joined_at(index, rng),
            uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            public_id=public_id,
            language="bn" if bangla and rng.random() < 0.6 else "en",
        )

    def _username(self, rng: random.Random, first: str, last: str) -> str:
        f, lst = first.lower(), last.lower()
        tag = rng.choice(data.TAGS)
        styles = [
            f"{f}.{lst[0]}", f"{f}_{tag}", f"{f}-{tag}", f"{f}{lst}", f"{tag}.{f}",
            f"{f}_{lst}", f"{f}{rng.randint(7, 99)}", f"{first}{last}",
            f"{first}_{tag.upper()}", f"{f}.{lst}",
        ]  # fmt: skip
        rng.shuffle(styles)
        for candidate in styles:
            if self._available(candidate):
                return candidate
        for number in itertools.count(2):
            candidate = f"{f}.{tag}{number}"
            if self._available(candidate):
                return candidate
        raise AssertionError("unreachable")

    def _available(self, candidate: str) -> bool:
        try:
            usernames.validate_username_shape(candidate)
        except ValidationError:
            return False
        return (
            candidate.lower() not in self.taken_names
            and usernames.skeleton(candidate) not in self.taken
        )

    def _public_id(self, rng: random.Random) -> str:
        while True:
            chars = (rng.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))
            public_id = "DC-" + "".join(chars)
            if public_id not in self.public_ids:
                self.public_ids.add(public_id)
                return public_id

    def _privacy(self, plan: PlayerPlan, rng: random.Random) -> None:
        i = plan.index
        privacy = dict.fromkeys(PrivacySettings.SECTIONS, Audience.PUBLIC)
        privacy |= {
            "profile_visibility": ProfileVisibility.PUBLIC,
            "approve_followers": False,
            "show_follower_count": True,
            "show_following_count": True,
            "searchable": True,
        }
        if i < DEFAULT_PLAYERS:
            if i in HIDDEN:
                privacy["profile_visibility"] = ProfileVisibility.HIDDEN
            elif i in MEMBERS_ONLY:
                privacy["profile_visibility"] = ProfileVisibility.MEMBERS
            elif i in FOLLOWERS_ONLY:
                privacy["profile_visibility"] = ProfileVisibility.FOLLOWERS
            privacy["approve_followers"] = i in APPROVES_FOLLOWERS
            privacy["show_follower_count"] = i not in HIDES_FOLLOWER_COUNT
            privacy["show_following_count"] = i not in HIDES_FOLLOWING_COUNT
            for audience, table in (
                (Audience.MEMBERS, MEMBERS_SECTIONS),
                (Audience.FOLLOWERS, FOLLOWERS_SECTIONS),
                (Audience.ONLY_ME, ONLY_ME_SECTIONS),
            ):
                for section in table.get(i, ()):
                    privacy[section] = audience
        else:
            roll = rng.random()
            if roll < 0.01:
                privacy["profile_visibility"] = ProfileVisibility.HIDDEN
            elif roll < 0.08:
                privacy["profile_visibility"] = ProfileVisibility.MEMBERS
            elif roll < 0.13:
                privacy["profile_visibility"] = ProfileVisibility.FOLLOWERS
            followers_only = (
                privacy["profile_visibility"] == ProfileVisibility.FOLLOWERS
            )
            privacy["approve_followers"] = followers_only or rng.random() < 0.12
            privacy["show_follower_count"] = rng.random() > 0.08
            privacy["show_following_count"] = rng.random() > 0.08
            if rng.random() < 0.3:
                audiences = [Audience.MEMBERS, Audience.FOLLOWERS, Audience.ONLY_ME]
                for section in rng.sample(PrivacySettings.SECTIONS, rng.randint(1, 3)):
                    privacy[section] = rng.choices(audiences, weights=[5, 3, 1])[0]
        if privacy["profile_visibility"] == ProfileVisibility.HIDDEN:
            privacy["searchable"] = False
        elif i >= DEFAULT_PLAYERS:
            privacy["searchable"] = rng.random() > 0.05
        plan.privacy = privacy

    def _preferences(self, plan: PlayerPlan, rng: random.Random) -> None:
        countries, weights, zones = zip(*data.COUNTRIES, strict=True)
        if plan.index != RAKIB:
            choice = rng.choices(range(len(countries)), weights=weights)[0]
            plan.country, plan.time_zone = countries[choice], zones[choice]
        plan.theme = rng.choices(["system", "dark", "light"], weights=[5, 4, 1])[0]
        plan.level = int(60 * rng.random() ** 1.7) + 1
        plan.xp = plan.level * plan.level * 40 + rng.randrange(plan.level * 90 + 1)

        notifications = {}
        if rng.random() < 0.35:
            for name in NotificationPreferences.switch_names():
                default = NotificationPreferences._meta.get_field(name).default
                notifications[name] = (not default) if rng.random() < 0.2 else default
        plan.notifications = notifications

    def _passports(self, plan: PlayerPlan, rng: random.Random) -> None:
        games = list(dict.fromkeys(self.forced_games.get(plan.index, [])))
        wanted = rng.choices([0, 1, 2, 3, 4], weights=[8, 35, 32, 17, 8])[0]
        slugs, weights = zip(*GAME_WEIGHTS.items(), strict=True)
        while len(games) < wanted:
            game = rng.choices(slugs, weights=weights)[0]
            if game not in games:
                games.append(game)

        tag = rng.choice(data.TAGS)
        first = plan.first_name
        for position, game in enumerate(games):
            name = rng.choice([
                f"{tag.title()}{first}", f"{first}{tag.title()}", f"{first}_{tag}",
                f"BD {first}", f"{tag.upper()}x{first}",
            ])[:16]  # fmt: skip
            ign = in_game_id(rng, game, name)
            pattern = GAMES_BY_SLUG[game]["id_format"]
            assert re.fullmatch(pattern, ign), (game, ign)
            plan.passports.append(
                {
                    "game": game,
                    "in_game_name": name,
                    "in_game_id": ign,
                    "rank": rng.choice(GAMES_BY_SLUG[game]["ranks"]),
                    "region": rng.choice(GAMES_BY_SLUG[game]["regions"]),
                    "is_main": position == 0,
                }
            )
        plan.preferred_games = games[:3]

        city = rng.choice(data.CITIES)
        if games and rng.random() < 0.85:
            game_name = GAMES_BY_SLUG[games[0]]["name"]
            templates = data.BIO_BN if plan.language == "bn" else data.BIO_EN
            plan.bio = rng.choice(templates).format(game=game_name, city=city)

    def _social(self, plan: PlayerPlan, rng: random.Random) -> None:
        count = rng.choices([0, 1, 2, 3, 4], weights=[30, 25, 22, 15, 8])[0]
        handle = plan.username.lower()
        flat = re.sub(r"[.-]", "_", handle)
        for platform in sorted(rng.sample(SOCIAL_PLATFORMS, count)):
            plan.social_links.append(
                (platform, social_url(rng, platform, handle, flat))
            )

    def _matches(self, plan: PlayerPlan, rng: random.Random) -> None:
        if not plan.games:
            return
        roll = rng.random()
        if plan.index == RAKIB:
            count = 26
        elif roll < 0.2:
            count = 0
        elif roll < 0.6:
            count = rng.randint(1, 8)
        elif roll < 0.9:
            count = rng.randint(9, 25)
        else:
            count = rng.randint(26, 45)
        first_match = plan.joined + datetime.timedelta(days=1)
        for _ in range(count):
            game = rng.choice(plan.games)
            played_at = moment_between(rng, first_match, data.ANCHOR)
            tournament = rng.choice(data.TOURNAMENTS[game])
            stage = rng.choice(data.STAGES)
            pool = self.competitors[game]
            # Not every match has a demo player on the other side, or the
            # founders would play everyone.
            opponent = rng.choice(pool) if pool and rng.random() < 0.6 else None
            result, score, opponent_score = match_outcome(rng, game)
            plan.matches.append(
                SoloMatch(
                    game=game,
                    title=f"{tournament} {played_at.year} — {stage}",
                    played_at=played_at,
                    result=result,
                    score=score,
                    opponent=opponent,
                    opponent_result=opposite(result),
                    opponent_score=opponent_score,
                )
            )

    def _achievements(self, plan: PlayerPlan, rng: random.Random) -> None:
        eligible = [
            slug
            for slug, *_rest, game in data.ACHIEVEMENTS
            if game is None or game in plan.games
        ]
        if not plan.matches:
            eligible = [
                slug for slug in eligible if slug in ("squad-up", "globetrotter")
            ]
        count = min(len(eligible), plan.level // 8 + rng.randint(0, 2))
        for slug in rng.sample(eligible, count):
            when = moment_between(rng, plan.joined, data.ANCHOR)
            plan.achievements.append((slug, when))

    def _wallet(self, plan: PlayerPlan, rng: random.Random) -> None:
        earns = plan.index == RAKIB or (plan.matches and rng.random() < 0.3)
        if not (earns or rng.random() < 0.2):
            return
        methods = rng.sample(["bkash", "nagad", "rocket"], rng.choice([1, 1, 1, 2, 3]))
        wallet = {f"{method}_number": wallet_number(rng) for method in methods}
        wallet["preferred_method"] = methods[0]
        plan.wallet = wallet
        if earns:
            plan.ledger = plan_ledger(rng, plan, methods[0])

    def _follows(self, plan: PlayerPlan, rng: random.Random) -> None:
        i = plan.index
        if i == RAKIB:
            return
        chosen: list[int] = []
        if i in RAKIB_FANS:
            status = Follow.Status.PENDING if i % 4 == 0 else Follow.Status.ACCEPTED
            when = moment_between(rng, plan.joined, data.ANCHOR)
            plan.follows.append((i, RAKIB, status, when))
            if i % 3 == 0:
                plan.follows.append((RAKIB, i, self._status(rng, plan), when))
            chosen.append(RAKIB)
        wanted = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15])
        for _ in range(wanted * 2):
            if len(chosen) >= wanted + (i in RAKIB_FANS):
                break
            j = rng.randrange(min(i, 12)) if rng.random() < 0.25 else rng.randrange(i)
            if j in chosen or self.plans[j].is_hidden:
                continue
            chosen.append(j)
            other = self.plans[j]
            since = max(plan.joined, other.joined)
            roll = rng.random()
            edges = (
                [(i, j)]
                if roll < 0.45
                else [(j, i)]
                if roll < 0.75
                else [(i, j), (j, i)]
            )
            for follower, followee in edges:
                target = plan if followee == i else other
                when = moment_between(rng, since, data.ANCHOR)
                plan.follows.append(
                    (follower, followee, self._status(rng, target), when)
                )

    @staticmethod
    def _status(rng: random.Random, followee: PlayerPlan) -> str:
        # A request stays pending only where the player approves followers.
        if followee.privacy["approve_followers"] and rng.random() < 0.35:
            return Follow.Status.PENDING
        return Follow.Status.ACCEPTED

    def _make_rakib_rich(self, plan: PlayerPlan, rng: random.Random) -> None:
        plan.display_name = "রাকিব হাসান"
        plan.bio = data.RAKIB_BIO
        plan.country, plan.time_zone, plan.language = "BD", "Asia/Dhaka", "bn"
        plan.level, plan.xp, plan.theme = 42, 73_460, "dark"
        plan.social_links = [
            ("twitch", "https://www.twitch.tv/rakib_igl"),
            ("youtube", "https://www.youtube.com/@rakibhasan"),
            ("facebook", "https://www.facebook.com/rakib.hasan.gaming"),
            ("discord", "https://discord.gg/bengaltigers"),
            ("x", "https://x.com/rakib_igl"),
        ]
        plan.wallet = {
            "bkash_number": "01712345678",
            "nagad_number": "01812345679",
            "preferred_method": "bkash",
        }
        plan.achievements = [
            (slug, moment_between(rng, plan.joined, data.ANCHOR))
            for slug in (
                "first-blood", "on-a-roll", "squad-up", "globetrotter", "clutch-king",
                "ace", "grand-finalist", "champion", "paid-out", "community-voice",
            )
        ]  # fmt: skip
        plan.ledger = [
            ("prize", 1_000_000, "Prize — DeltaCrown Valorant Weekly 2025, 1st place",
             START + datetime.timedelta(days=120)),
            ("entry_fee", -50_000, "Entry fee — Dhaka Valorant Open 2025",
             START + datetime.timedelta(days=200)),
            ("prize", 2_500_000, "Prize — Dhaka Valorant Open 2025, 2nd place",
             START + datetime.timedelta(days=260)),
            ("payout", -3_000_000, "Payout to bKash",
             START + datetime.timedelta(days=263)),
            ("prize", 150_000, "Prize — Dhaka Derby eFootball Cup 2026, top 8",
             START + datetime.timedelta(days=480)),
            ("entry_fee", -50_000, "Entry fee — Dhaka Valorant Open 2026",
             START + datetime.timedelta(days=610)),
            ("prize", 5_000_000, "Prize — Dhaka Valorant Open 2026, 1st place",
             data.ANCHOR - datetime.timedelta(days=6)),
            ("payout", -4_000_000, "Payout to bKash",
             data.ANCHOR - datetime.timedelta(days=4)),
        ]  # fmt: skip

    @staticmethod
    def _rakib_passports(plan: PlayerPlan) -> None:
        rich_passports = {
            "valorant": ("RakibIGL", "RakibIGL#DHK1", "Immortal 2"),
            "efootball": ("Rakib10", "RKHB-210-774-319", "Division 2"),
            "pubg-mobile": ("BTxRakib", "5281904476", "Ace"),
            "cs2": ("rakib", "76561198114477821", "FACEIT Level 7"),
        }
        plan.passports = [
            {
                "game": game,
                "in_game_name": name,
                "in_game_id": ign,
                "rank": rank,
                "region": GAMES_BY_SLUG[game]["regions"][0],
                "is_main": game == "valorant",
            }
            for game, (name, ign, rank) in rich_passports.items()
        ]
        plan.preferred_games = ["valorant", "efootball", "cs2"]


def social_url(rng: random.Random, platform: str, handle: str, flat: str) -> str:
    if platform == "facebook":
        return f"https://www.facebook.com/{handle}"
    if platform == "youtube":
        return f"https://www.youtube.com/@{flat}"
    if platform == "twitch":
        return f"https://www.twitch.tv/{flat}"
    if platform == "discord":
        alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        code = "".join(rng.choice(alphabet) for _ in range(rng.randint(7, 10)))
        return f"https://discord.gg/{code}"
    if platform == "x":
        return f"https://x.com/{flat[:15]}"
    if platform == "instagram":
        return f"https://www.instagram.com/{handle}/"
    return f"https://www.tiktok.com/@{handle}"


def opposite(result: str) -> str:
    return {"win": "loss", "loss": "win"}.get(result, result)


def match_outcome(rng: random.Random, game: str) -> tuple[str, int, int]:
    """A result with scores that agree with it: goals in eFootball, kills elsewhere."""
    if game == "efootball":
        mine, theirs = rng.randint(0, 5), rng.randint(0, 4)
        result = "win" if mine > theirs else "loss" if mine < theirs else "draw"
        return result, mine, theirs
    roll = rng.random()
    result = (
        "draw" if game == "cs2" and roll < 0.08 else "win" if roll < 0.54 else "loss"
    )
    low, high = SCORE_RANGE[game]
    mine, theirs = rng.randint(low, high), rng.randint(low, high)
    if (result == "win" and mine < theirs) or (result == "loss" and mine > theirs):
        mine, theirs = theirs, mine
    return result, mine, theirs


def player_score(rng: random.Random, game: str, result: str) -> int:
    """One player's goals or kills in a team match; winners tend to score more."""
    if game == "efootball":
        return rng.randint(1, 3) if result == "win" else rng.randint(0, 2)
    low, high = SCORE_RANGE[game]
    bonus = (high - low) // 5 if result == "win" else 0
    return min(high, rng.randint(low, high - bonus) + bonus)


def plan_ledger(
    rng: random.Random, plan: PlayerPlan, method: str
) -> list[tuple[str, int, str, datetime.datetime]]:
    """Prizes in, entry fees and payouts out, never below a zero balance."""
    events = []
    for match in rng.sample(plan.matches, min(len(plan.matches), rng.randint(1, 4))):
        tournament = match.title.split(" — ")[0]
        place = rng.choice(PLACES)
        amount = rng.choice(PRIZES_TAKA) * 100
        when = match.played_at + datetime.timedelta(days=1)
        events.append((when, "prize", amount, f"Prize — {tournament}, {place}"))
    for match in rng.sample(plan.matches, min(len(plan.matches), rng.randint(0, 3))):
        tournament = match.title.split(" — ")[0]
        fee = rng.choice([50, 100, 150, 200, 500]) * 100
        when = match.played_at - datetime.timedelta(days=2)
        events.append((when, "entry_fee", -fee, f"Entry fee — {tournament}"))
    label = dict(WalletSettings.Method.choices)[method]
    for _ in range(rng.randint(0, 2)):
        when = moment_between(rng, plan.joined, data.ANCHOR)
        events.append((when, "payout", None, f"Payout to {label}"))
    events.sort(key=lambda event: event[0])

    ledger, balance = [], 0
    for when, kind, amount, description in events:
        if when > data.ANCHOR:
            when = data.ANCHOR
        when = max(when, plan.joined)
        if kind == "payout":
            # Half or all of the balance, in whole hundreds of taka.
            hundreds = balance // 10_000
            amount = -(hundreds if rng.random() < 0.3 else hundreds // 2) * 10_000
        if amount == 0 or balance + amount < 0:
            continue
        balance += amount
        ledger.append((kind, amount, description, when))
    return ledger


@contextlib.contextmanager
def given_timestamps(*model_classes: type[models.Model]):
    """Let bulk_create keep the created_at/updated_at we set.

    auto_now and auto_now_add would stamp every demo row with this minute;
    a demo community needs a history (sign-ups, follows and ledgers spread
    over two years, in order). Restored on the way out.
    """
    fields = [
        model_field
        for model in model_classes
        for model_field in model._meta.concrete_fields
        if getattr(model_field, "auto_now", False)
        or getattr(model_field, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for model_field in fields:
        model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in saved:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


class Command(BaseCommand):
    help = (
        "Fill the database with a demo community: players, games, teams, matches, "
        "follows, wallets and the site's pages. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--players",
            type=int,
            default=DEFAULT_PLAYERS,
            help=f"How many demo players there should be (default {DEFAULT_PLAYERS}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help="Seed for the generator; keep it the same for a database.",
        )

    def handle(self, *args, players: int, seed: int, verbosity: int = 1, **options):
        if players < 1:
            raise CommandError("--players must be at least 1.")

        accounts = list(User.objects.values_list("username", "email", "profile__id"))
        foreign = {name for name, email, _ in accounts if not is_demo_email(email)}
        planner = Planner(seed, foreign)
        plans = planner.plan(players)
        self._refuse_other_seed(accounts, planner)
        self.profile_ids = {name.lower(): pid for name, _, pid in accounts}

        with transaction.atomic():
            self.games = seed_games()
            self.achievements = seed_achievements(self.games)
            self.teams = seed_teams(self.games)
            seed_staff()

        new = [plan for plan in plans if plan.username.lower() not in self.profile_ids]
        progress = tqdm(
            total=len(new),
            desc="Creating players",
            unit="player",
            file=getattr(self.stderr, "_out", self.stderr),
            disable=True if verbosity == 0 else None,  # None: only on a terminal
        )
        with progress:
            for start in range(0, len(new), CHUNK_SIZE):
                chunk = new[start : start + CHUNK_SIZE]
                self._create_players(chunk, planner.plans)
                progress.update(len(chunk))

        with transaction.atomic():
            self._seed_rosters(planner)
            self._seed_team_matches(planner, seed)
        rakib = ensure_login(*data.PLAYER_LOGIN)
        create_companions(rakib.profile)

        featured = [
            self.profile_ids[plans[index].username.lower()]
            for index in planner.featured(len(plans))
        ]
        pages = seed_pages(featured)
        seed_deletion_requests(
            [self.profile_ids[plan.username.lower()] for plan in plans[3:5]]
        )
        seed_profile_views(
            [self.profile_ids[plan.username.lower()] for plan in plans[1:9]]
        )
        seed_reports(
            [
                (
                    self.profile_ids[plans[reporter].username.lower()],
                    self.profile_ids[plans[reported].username.lower()],
                    reason,
                    note,
                )
                for reporter, reported, reason, note in data.REPORTS
                if max(reporter, reported) < len(plans)
            ]
        )
        seed_payouts(data.PLAYER_LOGIN[0])
        new_ids = [self.profile_ids[plan.username.lower()] for plan in new]
        refresh_search_index(new_ids)
        # bulk_create sent no signals, so no profile's cached page knows of the
        # follows, matches and trophies added here.
        profile_cache.bump_all()

        if verbosity:
            self.stdout.write(self._summary(len(new), pages["pages"]))

    @staticmethod
    def _refuse_other_seed(accounts: list[tuple], planner: Planner) -> None:
        """A database seeded with one --seed cannot be grown with another."""
        fixed = {data.ADMIN_LOGIN[0], data.MODERATOR_LOGIN[0], data.PLAYER_LOGIN[0]}
        existing = {
            name.lower()
            for name, email, _ in accounts
            if is_demo_email(email) and name.lower() not in fixed
        }
        if not existing:
            return
        # Plan at least as many players as there are, so all of them are named.
        plans = planner.plan(max(len(planner.plans), len(existing) + 1))
        if existing - {plan.username.lower() for plan in plans}:
            raise CommandError(
                "This database holds demo players from another --seed; "
                "run with that seed or start from an empty database."
            )

    # Writing players --------------------------------------------------------

    @transaction.atomic
    def _create_players(self, chunk: list[PlayerPlan], everyone: list[PlayerPlan]):
        games, achievements = self.games, self.achievements
        users = [
            User(
                username=plan.username,
                username_skeleton=usernames.skeleton(plan.username),
                email=plan.email,
                first_name=plan.first_name,
                last_name=plan.last_name,
                password=make_password(None),
                date_joined=plan.joined,
            )
            for plan in chunk
        ]
        # bulk_create skips the post_save signal, so the profile and its
        # companion rows are written here, in the same transaction.
        User.objects.bulk_create(users)

        with given_timestamps(
            Profile, PrivacySettings, NotificationPreferences, PlatformPreferences,
            WalletSettings, GameProfile, Follow, WalletTransaction,
        ):  # fmt: skip
            profiles = Profile.objects.bulk_create(
                [
                    Profile(
                        user=user,
                        uuid=plan.uuid,
                        public_id=plan.public_id,
                        slug=plan.username.lower(),
                        display_name=plan.display_name,
                        bio=plan.bio,
                        country=plan.country,
                        level=plan.level,
                        xp=plan.xp,
                        created_at=plan.joined,
                        updated_at=plan.joined,
                    )
                    for plan, user in zip(chunk, users, strict=True)
                ]
            )
            for plan, profile in zip(chunk, profiles, strict=True):
                self.profile_ids[plan.username.lower()] = profile.pk

            def pid(index: int) -> int:
                return self.profile_ids[everyone[index].username.lower()]

            pairs = list(zip(chunk, profiles, strict=True))
            PrivacySettings.objects.bulk_create(
                PrivacySettings(profile=p, **plan.privacy, updated_at=plan.joined)
                for plan, p in pairs
            )
            NotificationPreferences.objects.bulk_create(
                NotificationPreferences(
                    profile=p, **plan.notifications, updated_at=plan.joined
                )
                for plan, p in pairs
            )
            platforms = PlatformPreferences.objects.bulk_create(
                [
                    PlatformPreferences(
                        profile=p,
                        language=plan.language,
                        time_zone=plan.time_zone,
                        theme=plan.theme,
                        updated_at=plan.joined,
                    )
                    for plan, p in pairs
                ]
            )
            Through = PlatformPreferences.preferred_games.through
            Through.objects.bulk_create(
                Through(platformpreferences_id=platform.pk, game_id=games[slug].pk)
                for (plan, _), platform in zip(pairs, platforms, strict=True)
                for slug in plan.preferred_games
            )
            WalletSettings.objects.bulk_create(
                WalletSettings(profile=p, **plan.wallet, updated_at=plan.joined)
                for plan, p in pairs
            )
            GameProfile.objects.bulk_create(
                GameProfile(
                    profile=p,
                    game=games[passport["game"]],
                    in_game_name=passport["in_game_name"],
                    in_game_id=passport["in_game_id"],
                    rank=passport["rank"],
                    region=passport["region"],
                    is_main=passport["is_main"],
                    created_at=plan.joined,
                )
                for plan, p in pairs
                for passport in plan.passports
            )
            SocialLink.objects.bulk_create(
                SocialLink(profile=p, platform=platform, url=url, position=position)
                for plan, p in pairs
                for position, (platform, url) in enumerate(plan.social_links)
            )
            UserAchievement.objects.bulk_create(
                UserAchievement(
                    profile=p, achievement=achievements[slug], awarded_at=when
                )
                for plan, p in pairs
                for slug, when in plan.achievements
            )
            WalletTransaction.objects.bulk_create(
                WalletTransaction(
                    profile=p,
                    kind=kind,
                    amount_poisha=amount,
                    description=description,
                    created_at=when,
                )
                for plan, p in pairs
                for kind, amount, description, when in plan.ledger
            )
            Follow.objects.bulk_create(
                Follow(
                    follower_id=pid(follower),
                    followee_id=pid(followee),
                    status=status,
                    created_at=when,
                )
                for plan in chunk
                for follower, followee, status, when in plan.follows
            )

        solo = [(plan, p, match) for plan, p in pairs for match in plan.matches]
        matches = Match.objects.bulk_create(
            [
                Match(
                    game=games[match.game], title=match.title, played_at=match.played_at
                )
                for _, _, match in solo
            ]
        )
        participants = []
        for (_plan, p, match), row in zip(solo, matches, strict=True):
            participants.append(
                MatchParticipant(
                    match=row,
                    profile=p,
                    result=match.result,
                    score=match.score,
                    played_at=match.played_at,
                )
            )
            if match.opponent is not None:
                participants.append(
                    MatchParticipant(
                        match=row,
                        profile_id=pid(match.opponent),
                        result=match.opponent_result,
                        score=match.opponent_score,
                        played_at=match.played_at,
                    )
                )
        MatchParticipant.objects.bulk_create(participants)

    # Teams ------------------------------------------------------------------

    def _profile_of(self, planner: Planner, index: int) -> int | None:
        if index >= len(planner.plans):
            return None
        return self.profile_ids.get(planner.plans[index].username.lower())

    def _seed_rosters(self, planner: Planner) -> None:
        for slug, spots in planner.rosters.items():
            for spot in spots:
                profile_id = self._profile_of(planner, spot.index)
                if profile_id is None:
                    continue
                TeamMembership.objects.get_or_create(
                    team=self.teams[slug],
                    profile_id=profile_id,
                    defaults={
                        "role": spot.role,
                        "is_active": spot.is_active,
                        "joined_at": spot.joined_at,
                        "left_at": spot.left_at,
                    },
                )

    def _seed_team_matches(self, planner: Planner, seed: int) -> None:
        """Team fixtures, with whichever roster players exist so far."""
        titles = [match.title for match in planner.team_matches]
        rows = {
            (row.game_id, row.title): row
            for row in Match.objects.filter(title__in=titles)
        }
        played = set(
            MatchParticipant.objects.filter(match__in=list(rows.values())).values_list(
                "match_id", "profile_id"
            )
        )

        participants = []
        for match in planner.team_matches:
            game = self.games[match.game]
            row = rows.get((game.pk, match.title))
            lineup = [
                (slug, result, spot, profile_id)
                for slug, result in match.sides
                for spot in planner.rosters[slug]
                if spot.role != TeamMembership.Role.COACH
                and (spot.left_at is None or match.played_at.date() < spot.left_at)
                and (profile_id := self._profile_of(planner, spot.index)) is not None
                and (row is None or (row.pk, profile_id) not in played)
            ]
            if not lineup:
                continue
            if row is None:
                row = Match.objects.create(
                    game=game, title=match.title, played_at=match.played_at
                )
            for slug, result, spot, profile_id in lineup:
                rng = random.Random(f"{seed}-{match.title}-{spot.index}")
                participants.append(
                    MatchParticipant(
                        match=row,
                        profile_id=profile_id,
                        team=self.teams[slug],
                        result=result,
                        score=player_score(rng, match.game, result),
                        played_at=row.played_at,
                    )
                )
        MatchParticipant.objects.bulk_create(participants)

    def _summary(self, created: int, pages: int) -> str:
        demo = User.objects.filter(
            email__endswith="@" + data.DEMO_EMAIL_DOMAIN, is_staff=False
        ).count()
        follows = Follow.objects.aggregate(
            total=models.Count("pk"),
            pending=models.Count("pk", filter=models.Q(status=Follow.Status.PENDING)),
        )
        page_count = Page.objects.filter(depth__gt=1).live().count()
        return (
            f"Demo data ready: {demo} demo players ({created} new), "
            f"{User.objects.count()} accounts, {Game.objects.count()} games, "
            f"{Achievement.objects.count()} achievements, "
            f"{Team.objects.count()} teams, "
            f"{Match.objects.count()} matches, "
            f"{MatchParticipant.objects.count()} match results, "
            f"{follows['total']} follows ({follows['pending']} pending), "
            f"{GameProfile.objects.count()} game passports, "
            f"{SocialLink.objects.count()} social links, "
            f"{WalletTransaction.objects.count()} wallet entries, "
            f"{page_count} pages ({pages} new)."
        )


# Catalogue and staff --------------------------------------------------------


def seed_games() -> dict[str, Game]:
    games = {}
    for position, spec in enumerate(data.GAMES):
        fields = {key: spec[key] for key in ("name", "short_name", "colour", "id_label",
                                             "id_format", "id_example")}  # fmt: skip
        games[spec["slug"]], _ = Game.objects.update_or_create(
            slug=spec["slug"], defaults={**fields, "position": position}
        )
    return games


def seed_achievements(games: dict[str, Game]) -> dict[str, Achievement]:
    achievements = {}
    for slug, name, icon, rarity, points, description, game in data.ACHIEVEMENTS:
        achievements[slug], _ = Achievement.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "icon": icon,
                "rarity": rarity,
                "points": points,
                "description": description,
                "game": games[game] if game else None,
            },
        )
    return achievements


def seed_teams(games: dict[str, Game]) -> dict[str, Team]:
    teams = {}
    for name, tag, slug, game, _size in data.TEAMS:
        teams[slug], _ = Team.objects.update_or_create(
            slug=slug, defaults={"name": name, "tag": tag, "game": games[game]}
        )
    return teams


def seed_staff() -> None:
    admin = ensure_login(*data.ADMIN_LOGIN, staff=True, superuser=True)
    moderator = ensure_login(*data.MODERATOR_LOGIN, staff=True)
    for user, name in (
        (admin, "DeltaCrown Admin"),
        (moderator, "DeltaCrown Moderator"),
    ):
        Profile.objects.filter(user=user, display_name=user.username).update(
            display_name=name
        )

    group, _ = Group.objects.get_or_create(name=data.MODERATORS_GROUP)
    moderator.groups.add(group)


def seed_reports(reports: list[tuple[int, int, str, str]]) -> None:
    """Open reports for the moderators' queue; a second run adds none."""
    for reporter_id, profile_id, reason, note in reports:
        Report.objects.get_or_create(
            reporter_id=reporter_id,
            profile_id=profile_id,
            status=Report.Status.OPEN,
            defaults={"reason": reason, "note": note},
        )


def seed_deletion_requests(profile_ids: list[int]) -> None:
    """One request past its grace period for moderators to decide, one within it."""
    now = timezone.now()
    for profile_id, days_ago in zip(profile_ids, (20, 2), strict=False):
        requested_at = now - datetime.timedelta(days=days_ago)
        DeletionRequest.objects.get_or_create(
            user=Profile.objects.get(pk=profile_id).user,
            defaults={
                "requested_at": requested_at,
                "grace_ends_at": requested_at + grace_period(),
            },
        )


def refresh_search_index(new_profile_ids: list[int]) -> int:
    """Index for site search what bulk_create and update() wrote past it.

    bulk_create sends no save signal, so the players created by this run are
    indexed here in bulk, with any profile the index lacks (a database seeded
    before profiles were searchable) and the fixed logins, whose display names
    seed_staff sets with update(). A second run indexes only those few.
    """
    content_type = ContentType.objects.get_for_model(Profile)
    indexed = set(
        IndexEntry.objects.filter(content_type=content_type).values_list(
            "object_id", flat=True
        )
    )
    fixed = [data.ADMIN_LOGIN[0], data.MODERATOR_LOGIN[0], data.PLAYER_LOGIN[0]]
    stale = set(new_profile_ids)
    stale.update(Profile.objects.filter(slug__in=fixed).values_list("pk", flat=True))
    stale.update(
        pk
        for pk in Profile.objects.values_list("pk", flat=True)
        if str(pk) not in indexed
    )
    return reindex_profiles(sorted(stale))


def ensure_login(
    username: str, password: str, *, staff: bool = False, superuser: bool = False
) -> User:
    """A documented login that works: created if missing, password reset if not."""
    email = f"{username}@{data.DEMO_EMAIL_DOMAIN}"
    user = User.objects.filter(username__iexact=username).first()
    if user is not None and not user.email:
        user.email = email
        user.save(update_fields=["email"])
    if user is None:
        user = User(
            username=username, email=email, is_staff=staff, is_superuser=superuser
        )
        user.set_password(password)
        user.save()  # the signal adds the profile and companions
    else:
        changed = [
            name
            for name, value in (
                ("is_staff", staff), ("is_superuser", superuser), ("is_active", True),
            )
            if getattr(user, name) != value
        ]  # fmt: skip
        for name in changed:
            setattr(user, name, not getattr(user, name))
        # Hashes are salted: set the password only when it no longer matches,
        # so a second run leaves the row as it was.
        if not user.check_password(password):
            user.set_password(password)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)

    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
    elif not (address.verified and address.primary):
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    return user
