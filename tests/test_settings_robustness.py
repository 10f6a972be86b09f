"""No body can break a settings endpoint or leave a half-saved row."""

import json
import threading
from http import HTTPStatus

from django.db import connection
from django.test import Client

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from profiles import wallet_numbers
from profiles.forms import _check_link
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
from tests.factories import GameFactory, UserFactory

SECTION_KEYS = list(SECTIONS)

MALFORMED = [
    ("not json", b"display_name=Rakib&bio=x", "application/json", 400),
    ("a list", b'[{"display_name": "x"}]', "application/json", 400),
    ("a string", b'"display_name"', "application/json", 400),
    ("a number", b"42", "application/json", 400),
    ("null", b"null", "application/json", 400),
    ("deeply nested", b"[" * 100_000 + b"]" * 100_000, "application/json", 413),
    (
        "nested but small",
        b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
        "application/json",
        400,
    ),
    ("2 MB", b'{"bio": "' + b"x" * (2 * 1024 * 1024) + b'"}', "application/json", 413),
    ("invalid UTF-8", b'{"bio": "\xff\xfe\xfa"}', "application/json", 400),
    ("wrong content type", b'{"bio": "x"}', "text/plain", 415),
    ("xml", b"<bio>x</bio>", "application/xml", 415),
]


def snapshot(profile):
    return (
        list(Profile.objects.filter(pk=profile.pk).values()),
        list(PrivacySettings.objects.filter(profile=profile).values()),
        list(NotificationPreferences.objects.filter(profile=profile).values()),
        list(PlatformPreferences.objects.filter(profile=profile).values()),
        list(WalletSettings.objects.filter(profile=profile).values()),
        list(SocialLink.objects.filter(profile=profile).values()),
        list(GameProfile.objects.filter(profile=profile).values()),
    )


@pytest.mark.parametrize("section", SECTION_KEYS)
@pytest.mark.parametrize(
    ("label", "body", "content_type", "status"),
    MALFORMED,
    ids=[m[0] for m in MALFORMED],
)
def test_malformed_bodies_get_a_4xx_json_answer(
    player_client, player, section, label, body, content_type, status
):
    before = snapshot(player.profile)

    response = player_client.generic(
        "POST",
        f"/me/settings/{section}/",
        body,
        content_type=content_type,
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == status, label
    assert response["Content-Type"] == "application/json"
    assert response.json()["success"] is False
    assert response.json()["error"]
    assert snapshot(player.profile) == before


def test_interleaved_tabs_keep_both_changes(player):
    """Two tabs opened at once, each saving a different switch."""
    first, second = Client(), Client()
    first.force_login(player)
    second.force_login(player)
    first.get("/me/settings/notifications/", HTTP_ACCEPT="application/json")
    second.get("/me/settings/notifications/", HTTP_ACCEPT="application/json")

    first.post(
        "/me/settings/notifications/",
        {"email_team_invite": False},
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )
    second.post(
        "/me/settings/notifications/",
        {"site_match_reminder": False},
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )

    prefs = NotificationPreferences.objects.get(profile=player.profile)
    assert prefs.email_team_invite is False
    assert prefs.site_match_reminder is False


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_different_switches_both_survive():
    """Real threads, each with its own connection, saving at the same moment."""
    user = UserFactory(username="twotabs")
    switches = ["email_team_invite", "site_match_reminder", "email_achievement",
                "site_wallet"]  # fmt: skip
    barrier = threading.Barrier(len(switches), timeout=30)
    statuses = []

    def save(name):
        client = Client()
        client.force_login(user)
        barrier.wait()
        for _ in range(5):
            response = client.post(
                "/me/settings/notifications/",
                {name: not getattr(NotificationPreferences(), name)},
                content_type="application/json",
                HTTP_ACCEPT="application/json",
            )
            statuses.append((response.status_code, response.content[:200]))
            if response.status_code == HTTPStatus.OK:
                break
        connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in switches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    prefs = NotificationPreferences.objects.get(profile=user.profile)
    for name in switches:
        assert getattr(prefs, name) is not getattr(NotificationPreferences(), name), (
            name
        )
    assert [status for status, _ in statuses].count(HTTPStatus.OK) == len(switches)


# Any text JSON can carry, lone surrogates included.
any_text = st.text(st.characters(exclude_categories=()))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def field_names(section: str) -> list[str]:
    if section == "games":
        return ["valorant", "pubg-mobile"]
    form_class = SECTIONS[section].form_class
    return list(form_class.base_fields) or list(form_class().fields)


@pytest.mark.slow
@pytest.mark.parametrize("section", SECTION_KEYS)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_arbitrary_json_never_breaks_a_section(player_client, player, section, data):
    GameFactory(
        name="Valorant",
        slug="valorant",
        id_format=r"^[^#]{3,16}#[A-Za-z0-9]{3,5}$",
    )
    names = field_names(section)
    payload = data.draw(
        st.one_of(
            json_values,
            st.dictionaries(st.sampled_from(names), json_values, max_size=4),
            st.dictionaries(
                st.sampled_from(names),
                st.text(max_size=80)
                | st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3)
                | st.lists(st.integers(), max_size=3)
                | st.booleans()
                | st.sampled_from(
                    ["public", "only_me", "01712345678", "https://twitch.tv/a"]
                ),
                max_size=4,
            ),
        )
    )
    before = snapshot(player.profile)

    response = player_client.post(
        f"/me/settings/{section}/",
        json.dumps(payload),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)
    assert response.json()["success"] is (response.status_code == HTTPStatus.OK)
    if response.status_code != HTTPStatus.OK:
        assert snapshot(player.profile) == before
    assert_rows_valid(player.profile)


def assert_rows_valid(profile):
    """Whatever was saved obeys every rule the forms promise."""
    for model in (Profile, PrivacySettings, NotificationPreferences, WalletSettings):
        row = (
            model.objects.get(pk=profile.pk)
            if model is Profile
            else model.objects.get(profile=profile)
        )
        row.full_clean(exclude=["avatar", "user", "profile", "slug"])
    wallet = WalletSettings.objects.get(profile=profile)
    for number in (wallet.bkash_number, wallet.nagad_number, wallet.rocket_number):
        assert number == "" or wallet_numbers.normalise(number) == number
    for link in SocialLink.objects.filter(profile=profile):
        assert _check_link(link.platform, link.url) == link.url
    for passport in GameProfile.objects.filter(profile=profile).select_related("game"):
        assert passport.in_game_name and passport.game.id_is_valid(passport.in_game_id)
