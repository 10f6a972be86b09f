"""Every settings section: its GET shape, what saves, and every refusal."""

import json
import logging
from http import HTTPStatus

from django.db import connection, transaction
from django.test import Client

import psycopg
import psycopg.sql
import pytest

from profiles.models import (
    GameProfile,
    NotificationPreferences,
    PlatformPreferences,
    PrivacySettings,
    Profile,
    SocialLink,
    WalletSettings,
)
from profiles.sections import SECTIONS
from tests.factories import GameFactory, GameProfileFactory, UserFactory
from tests.services import needs_postgres


@pytest.fixture(autouse=True)
def valorant(db):
    return GameFactory(
        name="Valorant",
        slug="valorant",
        id_label="Riot ID",
        id_format=r"^[^#]{3,16}#[A-Za-z0-9]{3,5}$",
        id_example="Phantom#BD1",
    )


def post_json(client, section, payload, **extra):
    return client.post(
        f"/me/settings/{section}/",
        json.dumps(payload),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
        **extra,
    )


def get_json(client, section):
    return client.get(f"/me/settings/{section}/", HTTP_ACCEPT="application/json")


def snapshot(profile) -> dict:
    """Everything a settings POST could change, to prove a refusal changed nothing."""
    return {
        "profile": Profile.objects.filter(pk=profile.pk).values().get(),
        "privacy": PrivacySettings.objects.filter(profile=profile).values().get(),
        "notifications": NotificationPreferences.objects.filter(profile=profile)
        .values()
        .get(),
        "platform": PlatformPreferences.objects.filter(profile=profile).values().get(),
        "games": list(
            PlatformPreferences.objects.filter(profile=profile).values_list(
                "preferred_games", flat=True
            )
        ),
        "wallet": WalletSettings.objects.filter(profile=profile).values().get(),
        "links": list(SocialLink.objects.filter(profile=profile).values()),
        "passports": list(GameProfile.objects.filter(profile=profile).values()),
    }


GET_SHAPES = {
    "basic": {"display_name", "bio", "country", "avatar"},
    "social": {"facebook", "youtube", "twitch", "discord", "x", "instagram", "tiktok"},
    "games": {"valorant"},
    "privacy": {
        "profile_visibility",
        "about",
        "social_links",
        "game_passports",
        "achievements",
        "teams",
        "match_history",
        "followers_list",
        "following_list",
        "show_follower_count",
        "show_following_count",
        "approve_followers",
        "searchable",
    },
    "notifications": set(NotificationPreferences.switch_names()),
    "platform": {"language", "time_zone", "theme", "preferred_games"},
    "wallet": {"bkash_number", "nagad_number", "rocket_number", "preferred_method"},
}

VALID = {
    "basic": ({"bio": "Clutch or kick."}, lambda p: p.bio == "Clutch or kick."),
    "social": (
        {"twitch": "https://www.twitch.tv/rakib"},
        lambda p: p.social_links.get().url == "https://www.twitch.tv/rakib",
    ),
    "games": (
        {"valorant": {"in_game_name": "Phantom", "in_game_id": "Phantom#BD1"}},
        lambda p: p.game_profiles.get().in_game_id == "Phantom#BD1",
    ),
    "privacy": (
        {"achievements": "followers"},
        lambda p: PrivacySettings.objects.get(profile=p).achievements == "followers",
    ),
    "notifications": (
        {"email_wallet": False},
        lambda p: NotificationPreferences.objects.get(profile=p).email_wallet is False,
    ),
    "platform": (
        {"time_zone": "Asia/Kolkata"},
        lambda p: (
            PlatformPreferences.objects.get(profile=p).time_zone == "Asia/Kolkata"
        ),
    ),
    "wallet": (
        {"bkash_number": "+880 1712-345678"},
        lambda p: WalletSettings.objects.get(profile=p).bkash_number == "01712345678",
    ),
}

INVALID = [
    ("basic", {"display_name": "x" * 51}, "display_name"),
    ("basic", {"display_name": "   "}, "display_name"),
    ("basic", {"display_name": "Ra\u0000kib"}, "display_name"),
    ("basic", {"display_name": "Ra\u202ekib"}, "display_name"),
    ("basic", {"bio": "x" * 501}, "bio"),
    ("basic", {"country": "XX"}, "country"),
    ("basic", {"display_name": "\ud800"}, None),
    ("basic", {"bio": "ok \udfff"}, None),
    ("basic", {"display_name": "\u3164"}, "display_name"),
    ("basic", {"display_name": "\u2800\u2800"}, "display_name"),
    ("basic", {"display_name": "\u200d\u200d"}, "display_name"),
    ("basic", {"avatar": "https://example.com/a.png"}, "avatar"),
    ("social", {"twitch": "http://twitch.tv/rakib"}, "twitch"),
    ("social", {"twitch": "https://www.youtube.com/rakib"}, "twitch"),
    ("social", {"twitch": "javascript:alert(1)"}, "twitch"),
    ("social", {"twitch": "data:text/html,<script>alert(1)</script>"}, "twitch"),
    ("social", {"twitch": "https://twitch.tv.evil.example/rakib"}, "twitch"),
    ("social", {"twitch": "https://user:pw@twitch.tv/rakib"}, "twitch"),
    ("social", {"twitch": "https://twitch.tv/"}, "twitch"),
    ("social", {"myspace": "https://myspace.com/rakib"}, "myspace"),
    ("games", {"valorant": {"in_game_name": "P", "in_game_id": "PhantomBD1"}}, None),
    ("games", {"valorant": {"in_game_name": "Phantom"}}, "valorant.in_game_id"),
    ("games", {"valorant": "Phantom#BD1"}, "valorant"),
    ("games", {"valorant": {"in_game_id": 5}}, "valorant"),
    ("games", {"valorant": {"level": "99"}}, "valorant"),
    ("games", {"dota": {"in_game_name": "x", "in_game_id": "y"}}, "dota"),
    ("privacy", {"achievements": "world"}, "achievements"),
    ("privacy", {"profile_visibility": "secret"}, "profile_visibility"),
    ("privacy", {"searchable": "yes"}, "searchable"),
    ("notifications", {"email_wallet": "no"}, "email_wallet"),
    ("notifications", {"email_wallet": None}, "email_wallet"),
    ("notifications", {"email_carrier_pigeon": True}, "email_carrier_pigeon"),
    ("platform", {"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
    ("platform", {"language": "fr"}, "language"),
    ("platform", {"theme": "neon"}, "theme"),
    ("platform", {"preferred_games": [999_999]}, "preferred_games"),
    ("platform", {"preferred_games": "valorant"}, "preferred_games"),
    ("platform", {"preferred_games": [9223372036854775808]}, "preferred_games"),
    ("platform", {"preferred_games": [-1]}, "preferred_games"),
    ("wallet", {"bkash_number": "01212345678"}, "bkash_number"),
    ("wallet", {"bkash_number": "+91 98765 43210"}, "bkash_number"),
    ("wallet", {"bkash_number": "017-CALL-NOW"}, "bkash_number"),
    ("wallet", {"bkash_number": "0171234567"}, "bkash_number"),
    ("wallet", {"bkash_number": "017123456²8"}, "bkash_number"),
    ("wallet", {"nagad_number": "017123456789"}, "nagad_number"),
    ("wallet", {"rocket_number": 1712345678}, "rocket_number"),
    ("wallet", {"preferred_method": "nagad"}, "preferred_method"),
    ("wallet", {"preferred_method": "paypal"}, "preferred_method"),
]


def test_refusal_sentence_names_the_field_by_its_label(player_client):
    response = post_json(player_client, "basic", {"country": "ZZ"})

    assert response.json()["error"].startswith("Country: ")


def test_passport_with_a_malformed_riot_id_names_the_id_field(player_client):
    response = post_json(
        player_client,
        "games",
        {"valorant": {"in_game_name": "P", "in_game_id": "PhantomBD1"}},
    )

    assert "Riot ID" in response.json()["errors"]["valorant.in_game_id"][0]


@pytest.mark.parametrize("section", GET_SHAPES)
def test_get_answers_the_sections_current_values(player_client, section):
    response = get_json(player_client, section)

    assert response.status_code == HTTPStatus.OK
    assert response.json()["success"] is True
    assert set(response.json()["data"]) == GET_SHAPES[section]


@pytest.mark.parametrize("section", VALID)
def test_valid_post_saves_exactly_the_named_fields(player_client, player, section):
    payload, saved = VALID[section]
    before = snapshot(player.profile)

    response = post_json(player_client, section, payload)

    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json()["success"] is True
    profile = Profile.objects.get(pk=player.profile.pk)
    assert saved(profile)
    after = snapshot(profile)
    changed = {key for key in before if before[key] != after[key]}
    expected = {
        "basic": {"profile"},
        "social": {"links"},
        "games": {"passports"},
        "privacy": {"privacy"},
        "notifications": {"notifications"},
        "platform": {"platform"},
        "wallet": {"wallet"},
    }[section]
    assert changed == expected


@pytest.mark.parametrize(("section", "payload", "field"), INVALID)
def test_invalid_input_is_refused_and_changes_nothing(
    player_client, player, section, payload, field
):
    before = snapshot(player.profile)

    response = post_json(player_client, section, payload)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["success"] is False
    assert body["error"]
    if field is not None:
        assert field in body["errors"]
    assert snapshot(player.profile) == before


@pytest.mark.parametrize("section", VALID)
def test_anonymous_client_gets_401(db, section):
    response = post_json(Client(), section, VALID[section][0])

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["success"] is False


@pytest.mark.parametrize("section", VALID)
def test_post_without_csrf_token_gets_403_json(csrf_client, player, section):
    before = snapshot(player.profile)

    response = post_json(csrf_client, section, VALID[section][0])

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["success"] is False
    assert snapshot(player.profile) == before


FORM_POSTS = {
    "basic": {"display_name": "Rakib", "bio": "From the form", "country": "BD"},
    "social": {"youtube": "https://youtube.com/@rakib"},
    "games": {
        "valorant.in_game_name": "Phantom",
        "valorant.in_game_id": "Phantom#BD1",
        "valorant.rank": "Immortal 2",
        "valorant.region": "Asia Pacific",
    },
    "privacy": {
        "profile_visibility": "public",
        "about": "members",
        "social_links": "public",
        "game_passports": "public",
        "achievements": "public",
        "teams": "public",
        "match_history": "public",
        "followers_list": "public",
        "following_list": "public",
    },
    "notifications": {
        "email_wallet": "on",
        "_fields": ",".join(NotificationPreferences.switch_names()),
    },
    "platform": {"language": "bn", "time_zone": "Asia/Dhaka", "theme": "dark"},
    "wallet": {"nagad_number": "০১৮১২৩৪৫৬৭৮", "preferred_method": "nagad"},
}

FORM_SAVED = {
    "basic": lambda p: p.bio == "From the form",
    "social": lambda p: p.social_links.get().url == "https://youtube.com/@rakib",
    "games": lambda p: p.game_profiles.get().rank == "Immortal 2",
    "privacy": lambda p: PrivacySettings.objects.get(profile=p).about == "members",
    "notifications": lambda p: (
        NotificationPreferences.objects.get(profile=p).email_new_follower is False
    ),
    "platform": lambda p: PlatformPreferences.objects.get(profile=p).language == "bn",
    "wallet": lambda p: (
        WalletSettings.objects.get(profile=p).nagad_number == "01812345678"
    ),
}


@pytest.mark.parametrize("section", FORM_POSTS)
def test_html_form_post_saves_and_redirects_back(player_client, player, section):
    response = player_client.post(
        f"/me/settings/{section}/", FORM_POSTS[section], HTTP_ACCEPT="text/html"
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"/me/settings/{section}/"
    assert FORM_SAVED[section](Profile.objects.get(pk=player.profile.pk))


@pytest.mark.parametrize(
    "typed",
    [
        "01712345678",
        "+880 1712-345678",
        "8801712345678",
        "+8801712345678",
        "017 1234 5678",
        "0171-2345678",
        "০১৭১২৩৪৫৬৭৮",
        "+৮৮০ ১৭১২-৩৪৫৬৭৮",
    ],
)
def test_wallet_numbers_typed_any_usual_way_are_stored_normalised(
    player_client, player, typed
):
    response = post_json(player_client, "wallet", {"rocket_number": typed})

    assert response.status_code == HTTPStatus.OK
    assert response.json()["data"]["rocket_number"] == "01712345678"
    assert WalletSettings.objects.get(profile=player.profile).rocket_number == (
        "01712345678"
    )


@pytest.mark.parametrize("prefix", "3456789")
def test_every_operator_prefix_from_3_to_9_is_accepted(player_client, prefix):
    response = post_json(
        player_client, "wallet", {"bkash_number": f"01{prefix}12345678"}
    )

    assert response.status_code == HTTPStatus.OK


def test_refused_wallet_number_shows_the_expected_form(player_client):
    response = post_json(player_client, "wallet", {"bkash_number": "01212345678"})

    assert "01712345678" in response.json()["errors"]["bkash_number"][0]


def test_refused_wallet_number_is_logged_masked_never_whole(
    player_client, player, caplog
):
    caplog.set_level(logging.INFO)

    post_json(
        player_client, "wallet", {"bkash_number": "01212345678", "nagad_number": "x"}
    )

    security = [r for r in caplog.records if r.name == "security"]
    assert security
    line = security[0].getMessage()
    assert "012*****678" in line
    assert f"user_id={player.pk}" in line
    assert "client=127.0.0.1" in line
    assert all("01212345678" not in record.getMessage() for record in caplog.records)


def test_validation_failures_log_field_names_not_values(player_client, caplog):
    caplog.set_level(logging.INFO)

    post_json(player_client, "basic", {"display_name": "S3cr3t-" + "x" * 60})

    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refusals == ["Settings refused section=basic fields=display_name"]
    assert all("S3cr3t" not in record.getMessage() for record in caplog.records)


def test_saved_wallet_number_never_reaches_the_logs(player_client, caplog):
    caplog.set_level(logging.DEBUG)

    post_json(player_client, "wallet", {"bkash_number": "01712345678"})

    assert all("1712345678" not in record.getMessage() for record in caplog.records)


def test_preferred_method_needs_its_number(player_client):
    post_json(player_client, "wallet", {"bkash_number": "01712345678"})

    ok = post_json(player_client, "wallet", {"preferred_method": "bkash"})
    refused = post_json(player_client, "wallet", {"preferred_method": "rocket"})

    assert ok.status_code == HTTPStatus.OK
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "Rocket" in refused.json()["errors"]["preferred_method"][0]


def test_blank_social_link_removes_it(player_client, player):
    post_json(player_client, "social", {"twitch": "https://twitch.tv/rakib"})

    response = post_json(player_client, "social", {"twitch": ""})

    assert response.json()["data"]["twitch"] == ""
    assert not SocialLink.objects.filter(profile=player.profile).exists()


def test_one_link_per_platform_is_replaced_not_added(player_client, player):
    post_json(player_client, "social", {"twitch": "https://twitch.tv/rakib"})
    post_json(player_client, "social", {"twitch": "https://twitch.tv/rakib_bd"})

    links = SocialLink.objects.filter(profile=player.profile)
    assert [link.url for link in links] == ["https://twitch.tv/rakib_bd"]


def test_passport_parts_change_only_where_named(player_client, player, valorant):
    GameProfileFactory(
        profile=player.profile,
        game=valorant,
        in_game_name="Phantom",
        in_game_id="Phantom#BD1",
        rank="Gold 1",
    )

    response = post_json(player_client, "games", {"valorant": {"rank": "Diamond 3"}})

    assert response.status_code == HTTPStatus.OK
    passport = GameProfile.objects.get(profile=player.profile)
    assert (passport.in_game_id, passport.rank) == ("Phantom#BD1", "Diamond 3")


def test_null_passport_removes_it(player_client, player, valorant):
    GameProfileFactory(profile=player.profile, game=valorant, in_game_id="Ace#BD1")

    response = post_json(player_client, "games", {"valorant": None})

    assert response.json()["data"] == {"valorant": None}
    assert not GameProfile.objects.filter(profile=player.profile).exists()


def test_games_without_a_format_take_any_id(player_client, player):
    GameFactory(name="eFootball", slug="efootball", id_format="")

    response = post_json(
        player_client,
        "games",
        {"efootball": {"in_game_name": "Rakib10", "in_game_id": "RKHB-210-774"}},
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["data"]["efootball"]["in_game_id"] == "RKHB-210-774"


def test_rate_limit_answers_429_with_retry_after(player_client, settings):
    settings.DELTACROWN = {**settings.DELTACROWN, "SETTINGS_RATE_LIMIT": (2, 60)}

    statuses = [
        post_json(player_client, "notifications", {"site_wallet": False}).status_code
        for _ in range(3)
    ]

    assert statuses == [HTTPStatus.OK, HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS]
    limited = post_json(player_client, "notifications", {"site_wallet": True})
    assert limited.json()["success"] is False
    assert limited["Retry-After"] == "60"
    assert NotificationPreferences.objects.get().site_wallet is False


LOCK_NOWAIT = psycopg.sql.SQL(
    "SELECT 1 FROM {} WHERE profile_id = %s FOR UPDATE NOWAIT"
)


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", ["notifications", "privacy", "wallet", "platform"])
def test_a_save_holds_its_rows_lock_until_it_commits(key):
    """Two saves of one section never interleave: the second waits for the first."""
    spec = SECTIONS[key]
    profile = UserFactory().profile
    table = psycopg.sql.Identifier(spec.model._meta.db_table)
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:

        def other_can_lock() -> bool:
            try:
                with other.transaction():
                    other.execute(LOCK_NOWAIT.format(table), [profile.pk])
            except psycopg.errors.LockNotAvailable:
                return False
            return True

        with transaction.atomic():
            row = spec.load(profile, for_update=True)
            assert row.profile_id == profile.pk
            assert not other_can_lock()
        assert other_can_lock()
