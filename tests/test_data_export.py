"""A player downloads everything their account holds, as JSON, at any time."""

import json
import logging
from http import HTTPStatus

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest
from allauth.mfa.models import Authenticator

from profiles.models import Block, Follow, SocialLink, WalletSettings
from tests.factories import (
    FollowFactory,
    GameProfileFactory,
    MatchParticipantFactory,
    SocialLinkFactory,
    UserFactory,
    WalletTransactionFactory,
    profile_for,
)

pytestmark = pytest.mark.django_db

EXPORT = "/me/account/data.json"


def download(client) -> dict:
    response = client.get(EXPORT)
    assert response.status_code == HTTPStatus.OK
    return json.loads(response.content)


def test_export_holds_every_section_of_the_players_data(rich_player, player_client):
    profile = rich_player.profile
    WalletSettings.objects.filter(profile=profile).update(
        bkash_number="01712345678", preferred_method="bkash"
    )
    fan = profile_for(username="tania")
    FollowFactory(follower=fan, followee=profile)
    FollowFactory(follower=profile, followee=profile_for(username="sabbir"))
    Block.objects.create(blocker=profile, blocked=profile_for(username="troll"))

    data = download(player_client)

    assert data["account"]["username"] == "Rakib"
    assert data["account"]["email_addresses"] == [
        {"email": "Rakib@example.com", "verified": True, "primary": True}
    ]
    assert data["profile"]["bio"] == "Valorant IGL from Chattogram."
    assert data["privacy"]["profile_visibility"] == "public"
    assert "email_new_follower" in data["notifications"]
    assert data["preferences"]["time_zone"] == "Asia/Dhaka"
    assert data["social_links"] == [
        {"platform": "twitch", "url": "https://twitch.tv/rakib"}
    ]
    assert data["game_passports"][0]["in_game_name"] == "PhantomBD"
    assert data["achievements"][0]["achievement_name"] == "Ace Machine"
    assert data["teams"][0]["team_name"] == "Dhaka Dragons"
    assert data["matches"][0]["match_title"] == "Dhaka Open final"
    assert data["followers"][0]["follower_user_username"] == "tania"
    assert data["following"][0]["followee_user_username"] == "sabbir"
    assert data["blocked"][0]["blocked_user_username"] == "troll"
    # The player's own wallet numbers are theirs, in full.
    assert data["wallet"]["bkash_number"] == "01712345678"
    assert data["wallet_ledger"][0]["amount_poisha"] == 150_050


def test_export_never_holds_secrets(player, player_client):
    Authenticator.objects.create(
        user=player, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )

    response = player_client.get(EXPORT)
    body = response.content.decode()

    assert player.password not in body
    assert "JBSWY3DPEHPK3PXP" not in body
    assert player_client.session.session_key not in body
    assert "password" not in body


def test_export_is_a_download_that_is_never_cached(player_client):
    response = player_client.get(EXPORT)

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]


def test_export_costs_the_same_queries_however_much_data(player, player_client):
    with CaptureQueriesContext(connection) as empty:
        download(player_client)
    profile = player.profile
    for n in range(5):
        FollowFactory(follower=profile_for(username=f"fan{n}"), followee=profile)
        FollowFactory(follower=profile, followee=profile_for(username=f"star{n}"))
        SocialLinkFactory(profile=profile, platform=SocialLink.Platform.values[n])
        GameProfileFactory(profile=profile)
        MatchParticipantFactory(profile=profile)
        WalletTransactionFactory(profile=profile)

    with CaptureQueriesContext(connection) as full:
        data = download(player_client)

    assert len(data["followers"]) == len(data["matches"]) == 5
    assert len(full) == len(empty) <= 20


def test_export_is_only_ever_the_signed_in_players_own(player_client):
    other = UserFactory(username="tania")
    Follow.objects.create(
        follower=other.profile, followee=profile_for(username="sabbir")
    )

    data = download(player_client)

    assert data["account"]["username"] == "Rakib"
    assert data["following"] == []


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get(EXPORT)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/")


def test_export_is_logged_without_personal_data(player, player_client, caplog):
    with caplog.at_level(logging.INFO, logger="security"):
        player_client.get(EXPORT)

    lines = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert f"Data export downloaded user_id={player.pk}" in lines
    assert not any("example.com" in line or "Rakib" in line for line in lines)


def test_settings_page_links_to_the_export_and_deletion(player_client):
    html = player_client.get("/me/settings/").content.decode()

    assert f'href="{EXPORT}"' in html
    assert 'href="/me/account/delete/"' in html
