"""The settings page without JavaScript: plain forms that redirect back."""

from http import HTTPStatus

from django.contrib.messages import get_messages

from profiles.forms import PrivacyForm
from profiles.models import NotificationPreferences, PrivacySettings


def test_settings_page_opens_on_the_basic_section(player_client):
    response = player_client.get("/me/settings/")

    assert response.status_code == HTTPStatus.OK
    assert response.context["active"] == "basic"
    assert 'value="Rakib"' in response.content.decode()


def test_any_section_opens_by_its_url(player_client):
    response = player_client.get("/me/settings/privacy/", HTTP_ACCEPT="text/html")

    assert response.status_code == HTTPStatus.OK
    assert response.context["active"] == "privacy"


def test_form_post_saves_and_redirects_back_with_a_message(player_client, player):
    response = player_client.post(
        "/me/settings/basic/",
        {"display_name": "  Rakib   Hasan ", "bio": "IGL", "country": "BD"},
        HTTP_ACCEPT="text/html",
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == "/me/settings/basic/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Profile saved."]
    player.profile.refresh_from_db()
    assert player.profile.display_name == "Rakib Hasan"
    assert player.profile.bio == "IGL"


def test_invalid_form_post_shows_the_error_beside_the_field(player_client, player):
    response = player_client.post(
        "/me/settings/basic/",
        {"display_name": "x" * 500, "bio": "changed", "country": "BD"},
        HTTP_ACCEPT="text/html",
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["active"] == "basic"
    assert "at most 50 characters" in response.content.decode()
    player.profile.refresh_from_db()
    assert player.profile.bio == ""


def test_unchecked_boxes_in_a_form_post_turn_switches_off(player_client, player):
    names = NotificationPreferences.switch_names()
    checked = dict.fromkeys(names, "on")
    checked.pop("email_wallet")
    checked["_fields"] = ",".join(names)

    player_client.post("/me/settings/notifications/", checked, HTTP_ACCEPT="text/html")

    prefs = NotificationPreferences.objects.get(profile=player.profile)
    assert prefs.email_wallet is False
    assert prefs.site_announcements is True


def test_privacy_form_post_saves_the_audiences(player_client, player):
    form = {
        "profile_visibility": "members",
        "about": "public",
        "social_links": "members",
        "game_passports": "public",
        "achievements": "followers",
        "teams": "public",
        "match_history": "only_me",
        "followers_list": "public",
        "following_list": "public",
        "show_follower_count": "on",
        "searchable": "on",
        "_fields": ",".join(PrivacyForm.base_fields),
    }

    response = player_client.post(
        "/me/settings/privacy/", form, HTTP_ACCEPT="text/html"
    )

    assert response.status_code == HTTPStatus.FOUND
    privacy = PrivacySettings.objects.get(profile=player.profile)
    assert privacy.profile_visibility == "members"
    assert privacy.match_history == "only_me"
    assert privacy.show_following_count is False


def test_settings_page_links_to_waiting_follow_requests(player_client, player):
    from profiles.models import Follow
    from tests.factories import FollowFactory, UserFactory

    for _ in range(2):
        FollowFactory(
            follower=UserFactory().profile,
            followee=player.profile,
            status=Follow.Status.PENDING,
        )

    html = player_client.get("/me/settings/").content.decode()

    assert 'href="/me/follow-requests/">Follow requests (2)</a>' in html
