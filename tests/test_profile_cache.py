"""The cached profile page: fresh after every change, never another role's view.

Each test warms the cache with a first request, changes something, and looks
for the change on the next request.
"""

import logging
import re
from http import HTTPStatus

from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from deltacrown import versioned_cache
from profiles import services
from profiles.models import (
    Follow,
    GameProfile,
    MatchParticipant,
    PrivacySettings,
    SocialLink,
    User,
    UserAchievement,
)
from tests.factories import (
    FollowFactory,
    GameProfileFactory,
    MatchParticipantFactory,
    SocialLinkFactory,
    TeamMembershipFactory,
    UserAchievementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def star(db):
    user = UserFactory(username="star")
    user.profile.bio = "Plays everything."
    user.profile.save()
    return user


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(client: Client) -> str:
    response = client.get("/@star/")
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def set_audience(user, section: str, audience: str) -> None:
    privacy = user.profile.privacy
    setattr(privacy, section, audience)
    privacy.save(update_fields=[section])


CHANGES = {
    "display name": lambda star: _save_profile(star, display_name="Renamed Star"),
    "social link": lambda star: SocialLinkFactory(
        profile=star.profile, url="https://twitch.tv/newlink"
    ),
    "game passport": lambda star: GameProfileFactory(
        profile=star.profile, in_game_name="NewPassport"
    ),
    "achievement": lambda star: UserAchievementFactory(
        profile=star.profile, achievement__name="New Trophy"
    ),
    "team": lambda star: TeamMembershipFactory(
        profile=star.profile, team__name="New Team"
    ),
    "match": lambda star: MatchParticipantFactory(
        profile=star.profile, match__title="New Match"
    ),
}
SHOWN = {
    "display name": "Renamed Star",
    "social link": "https://twitch.tv/newlink",
    "game passport": "NewPassport",
    "achievement": "New Trophy",
    "team": "New Team",
    "match": "New Match",
}


def _save_profile(user, **fields):
    for name, value in fields.items():
        setattr(user.profile, name, value)
    user.profile.save()


@pytest.mark.parametrize("change", list(CHANGES))
def test_an_addition_of_each_kind_shows_on_the_next_request(star, change):
    client = client_for()
    assert SHOWN[change] not in page(client)

    CHANGES[change](star)

    assert SHOWN[change] in page(client)


@pytest.mark.parametrize(
    "model, made",
    [
        (
            SocialLink,
            lambda p: SocialLinkFactory(profile=p, url="https://twitch.tv/zqgone"),
        ),
        (GameProfile, lambda p: GameProfileFactory(profile=p, in_game_name="zqgone")),
        (
            UserAchievement,
            lambda p: UserAchievementFactory(profile=p, achievement__name="zqgone"),
        ),
        (
            MatchParticipant,
            lambda p: MatchParticipantFactory(profile=p, match__title="zqgone"),
        ),
    ],
)
def test_a_removal_shows_on_the_next_request(star, model, made):
    made(star.profile)
    client = client_for()
    assert "zqgone" in page(client)

    model.objects.filter(profile=star.profile).delete()

    assert "zqgone" not in page(client)


def test_catalogue_and_match_edits_reach_every_page_that_shows_them(star):
    award = UserAchievementFactory(profile=star.profile, achievement__name="Old Name")
    entry = MatchParticipantFactory(profile=star.profile, match__title="Old Title")
    client = client_for()
    assert "Old Name" in page(client)

    award.achievement.name = "Catalogue Name"
    award.achievement.save()
    entry.match.title = "Edited Title"
    entry.match.save()

    html = page(client)
    assert "Catalogue Name" in html
    assert "Edited Title" in html


def test_a_privacy_change_shows_on_the_next_request(star):
    client = client_for()
    assert "Plays everything." in page(client)

    set_audience(star, "about", "only_me")

    assert "Plays everything." not in page(client)


def test_a_privacy_change_without_signals_still_shows(star):
    """update() sends no signal, but the privacy settings are part of the key."""
    client = client_for()
    assert "Plays everything." in page(client)

    PrivacySettings.objects.filter(profile=star.profile).update(about="members")

    assert "Plays everything." not in page(client)


def test_hiding_or_suspending_without_signals_ends_the_shared_page_at_once(star):
    """The shared page is found by a query that asks for an active player."""
    client = client_for()
    assert "Plays everything." in page(client)

    PrivacySettings.objects.filter(profile=star.profile).update(
        profile_visibility="hidden"
    )
    assert client.get("/@star/").status_code == HTTPStatus.NOT_FOUND

    PrivacySettings.objects.filter(profile=star.profile).update(
        profile_visibility="public"
    )
    assert "Plays everything." in page(client)
    User.objects.filter(pk=star.pk).update(is_active=False)
    answer = client.get("/@star/")
    assert answer.status_code == HTTPStatus.NOT_FOUND
    assert b"Plays everything." not in answer.content


def test_a_page_built_from_other_settings_than_its_key_names_is_not_stored(
    star, monkeypatch
):
    """A privacy change landing between the key's read and the page's build.

    The key was read while the bio was public; the page is built after it
    became private. Stored under the old key, it would come back to a visitor
    once the settings read as they did (here by an update() that sends no
    signal and so bumps no version).
    """
    from profiles.profile_page import stranger_key
    from profiles.views import public

    before = stranger_key("star")
    PrivacySettings.objects.filter(profile=star.profile).update(about="only_me")
    monkeypatch.setattr(public, "stranger_key", lambda username: before)
    assert "Plays everything." not in page(client_for())

    monkeypatch.undo()
    PrivacySettings.objects.filter(profile=star.profile).update(about="public")
    assert "Plays everything." in page(client_for())


def follower_count(html: str) -> str:
    return html.split('data-follower-count="', 1)[1].split('"', 1)[0]


def test_follows_change_the_count_on_the_next_request(star):
    client = client_for()
    assert follower_count(page(client)) == "0"

    fan = UserFactory()
    services.follow(fan.profile, star.profile)
    assert follower_count(page(client)) == "1"

    services.unfollow(fan.profile, star.profile)
    assert follower_count(page(client)) == "0"


def test_a_follower_who_hides_or_is_suspended_leaves_the_count(star):
    fan, other = UserFactory(), UserFactory()
    FollowFactory(follower=fan.profile, followee=star.profile)
    FollowFactory(follower=other.profile, followee=star.profile)
    client = client_for()
    assert follower_count(page(client)) == "2"

    set_audience(fan, "profile_visibility", "hidden")
    assert follower_count(page(client)) == "1"

    other.is_active = False
    other.save()
    assert follower_count(page(client)) == "0"


def test_the_owners_view_is_never_served_to_anyone_else(star):
    for section in ("about", "achievements"):
        set_audience(star, section, "only_me")
    UserAchievementFactory(profile=star.profile, achievement__name="Secret Trophy")
    fan = UserFactory()
    FollowFactory(follower=fan.profile, followee=star.profile)
    owner = client_for(star)
    assert "Secret Trophy" in page(owner)
    assert "Secret Trophy" in page(owner)  # now from the cache

    for viewer in (
        client_for(),
        client_for(UserFactory()),
        client_for(fan),
    ):
        html = page(viewer)
        assert "Secret Trophy" not in html
        assert "Plays everything." not in html
        assert "Wallet balance" not in html


def test_a_followers_view_is_never_served_to_members_or_strangers(star):
    set_audience(star, "achievements", "followers")
    UserAchievementFactory(profile=star.profile, achievement__name="Fans Trophy")
    fan = UserFactory()
    FollowFactory(follower=fan.profile, followee=star.profile)
    follower = client_for(fan)
    assert "Fans Trophy" in page(follower)
    assert "Fans Trophy" in page(follower)

    assert "Fans Trophy" not in page(client_for(UserFactory()))
    assert "Fans Trophy" not in page(client_for())


def test_viewer_specific_parts_are_never_shared(star):
    """The follow button and block state belong to one viewer, not their role."""
    fan, stranger = UserFactory(), UserFactory()
    FollowFactory(
        follower=fan.profile, followee=star.profile, status=Follow.Status.PENDING
    )
    star.profile.privacy.approve_followers = True
    star.profile.privacy.save()
    assert "Cancel request" in page(client_for(fan))

    html = page(client_for(stranger))
    assert "Cancel request" not in html
    assert "Request to follow" in html

    services.block(stranger.profile, star.profile)
    assert "You blocked this player." in page(client_for(stranger))
    assert "You blocked this player." not in page(client_for(UserFactory()))


def csrf_tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_viewers_sharing_a_page_each_get_their_own_working_token(star):
    """Members share one rendering; each form carries the viewer's own token."""
    one, other = UserFactory(), UserFactory()
    first = Client(enforce_csrf_checks=True)
    first.force_login(one)
    second = Client(enforce_csrf_checks=True)
    second.force_login(other)

    first_tokens = csrf_tokens(page(first))
    second_html = page(second)  # served from the shared rendering
    second_tokens = csrf_tokens(second_html)

    assert first_tokens and second_tokens
    assert first_tokens.isdisjoint(second_tokens)
    assert "csrf-token-of-this-request" not in second_html
    answer = second.post(
        "/@star/follow/",
        {"csrfmiddlewaretoken": second_tokens.pop()},
        HTTP_ACCEPT="text/html",
    )
    assert answer.status_code == HTTPStatus.FOUND
    assert Follow.objects.filter(follower=other.profile, followee=star.profile).exists()
    # The follower's page is their own again: the follow state is in the key.
    assert "Unfollow" in page(second)
    assert "Unfollow" not in page(first)


def test_the_shared_signed_in_page_is_rendered_for_nobody_in_particular():
    """What a template might ask of the viewer beyond "signed in?" is empty."""
    from django.template import Context, Template

    from profiles.views.public import SOMEONE_SIGNED_IN

    rendered = Template(
        "{{ user.is_authenticated }}|{{ user.username }}|{{ user.email }}|"
        "{{ user.profile.public_id }}|{{ user.pk }}"
    ).render(Context({"user": SOMEONE_SIGNED_IN}))

    assert rendered == "True||||"


def test_a_warm_cache_needs_fewer_queries(star):
    client = client_for()
    client.get("/search/")
    with CaptureQueriesContext(connection) as cold:
        page(client)
    with CaptureQueriesContext(connection) as warm:
        page(client)

    assert len(warm) < len(cold)


def test_the_page_renders_when_the_cache_is_down(star, settings, caplog):
    UserAchievementFactory(profile=star.profile, achievement__name="Still Here")
    client = client_for()
    settings.CACHES = DEAD_REDIS

    with caplog.at_level(logging.WARNING):
        html = page(client)

    assert "Still Here" in html
    assert "Plays everything." in html
    assert "Profile cache unavailable" in caplog.text


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_a_signed_in_page_renders_when_the_profile_cache_fails(
    star, monkeypatch, caplog
):
    """Sessions live in the cache too; here only the page caches fail."""
    UserAchievementFactory(profile=star.profile, achievement__name="Still Here")
    client = client_for(UserFactory())
    monkeypatch.setattr(versioned_cache, "cache", BrokenCache())

    with caplog.at_level(logging.WARNING):
        html = page(client)

    assert "Still Here" in html
    assert "Profile cache unavailable" in caplog.text


def test_a_change_while_the_cache_is_down_is_logged_not_raised(
    star, monkeypatch, caplog
):
    monkeypatch.setattr(versioned_cache, "cache", BrokenCache())

    with caplog.at_level(logging.ERROR):
        SocialLinkFactory(profile=star.profile, url="https://twitch.tv/later")
        html = page(client_for())

    assert "https://twitch.tv/later" in html
    assert "Profile cache version not bumped" in caplog.text


SETTINGS_SAVES = [
    ("social", {"twitch": "https://twitch.tv/zqnew"}, "https://twitch.tv/zqnew"),
    ("social", {"twitch": "https://twitch.tv/zqedited"}, "https://twitch.tv/zqedited"),
    ("social", {"twitch": ""}, None),
    ("games", {"zq-game": {"in_game_name": "ZqNew", "in_game_id": "1"}}, "ZqNew"),
    ("games", {"zq-game": {"in_game_name": "ZqEdited"}}, "ZqEdited"),
    ("games", {"zq-game": None}, None),
]


def test_settings_saves_of_links_and_passports_show_on_the_next_request(star):
    """Saved in bulk, these send no signals of their own; the page still hears."""
    from tests.factories import GameFactory

    GameFactory(slug="zq-game", name="Zq Game")
    owner, stranger = client_for(star), client_for()
    previous = None
    for section, body, shown in SETTINGS_SAVES:
        page(stranger)
        response = owner.post(
            f"/me/settings/{section}/", body, content_type="application/json"
        )
        assert response.status_code == HTTPStatus.OK, response.content

        html = page(stranger)
        if shown:
            assert shown in html
        if previous and previous != shown:
            assert previous not in html
        previous = shown


def test_a_new_game_can_be_given_a_passport_at_once(star):
    from tests.factories import GameFactory

    client = client_for(star)
    assert (
        "Zq Fresh"
        not in client.get(
            "/me/settings/games/", HTTP_ACCEPT="text/html"
        ).content.decode()
    )

    GameFactory(slug="zq-fresh", name="Zq Fresh")

    assert (
        "Zq Fresh"
        in client.get("/me/settings/games/", HTTP_ACCEPT="text/html").content.decode()
    )
    response = client.post(
        "/me/settings/games/",
        {"zq-fresh": {"in_game_name": "FreshName", "in_game_id": "7"}},
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.OK
    assert response.json()["data"]["zq-fresh"]["in_game_name"] == "FreshName"
    response = client.post(
        "/me/settings/platform/",
        {"preferred_games": [GameProfile.objects.get().game_id]},
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.OK


def test_a_signed_out_visitor_gets_the_shared_page_at_one_query(star):
    first, second = client_for(), client_for()
    fresh = page(first)

    with CaptureQueriesContext(connection) as queries:
        shared = page(second)

    assert shared == fresh
    # The profile and its privacy settings, read to find the entry.
    assert len(queries) == 1
    assert "csrfmiddlewaretoken" not in shared


def test_a_visitor_with_a_message_waiting_gets_their_own_page(star):
    page(client_for())  # the shared page is cached
    waiting = client_for()
    storage = CookieStorage(None)
    waiting.cookies["messages"] = storage._encode(
        [Message(constants.INFO, "You have signed out.")]
    )

    assert "You have signed out." in page(waiting)
    assert "You have signed out." not in page(client_for())


def test_the_shared_page_names_the_address_it_was_asked_at(star, settings):
    settings.ALLOWED_HOSTS = ["play.example.com", "www.example.com"]
    client = client_for()

    one = client.get("/@star/", HTTP_HOST="play.example.com").content.decode()
    other = client.get("/@star/", HTTP_HOST="www.example.com").content.decode()

    assert "http://play.example.com/@star/" in one
    assert "http://www.example.com/@star/" in other


def test_the_owners_balance_and_requests_are_fresh_on_the_next_request(star):
    from tests.factories import WalletTransactionFactory

    owner = client_for(star)
    page(owner)
    star.profile.privacy.approve_followers = True
    star.profile.privacy.save()
    page(owner)

    WalletTransactionFactory(profile=star.profile, amount_poisha=123_456)
    assert "1,234.56" in page(owner)

    requester = UserFactory()
    services.follow(requester.profile, star.profile)
    assert "Follow requests (1)" in page(owner)

    requester.is_active = False
    requester.save()
    assert "Follow requests (" not in page(owner)
