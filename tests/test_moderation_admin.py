"""Moderators review players in the Wagtail admin; nobody else sees accounts there."""

from datetime import timedelta
from http import HTTPStatus

from django.contrib.auth.models import Permission
from django.utils import timezone

from wagtail.models import GroupPagePermission, ModelLogEntry

import pytest

from moderation.models import Player
from profiles.models import Follow, Profile, WalletSettings
from tests.factories import UserFactory, signed_in

PLAYERS = "/admin/moderation/players/"


@pytest.fixture
def editor_client(db):
    """Staff with admin access and page rights, but no moderation permission."""
    editor = UserFactory(username="editor", is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_game"),
    )
    return signed_in(editor)


@pytest.fixture
def superuser_client(db):
    return signed_in(UserFactory(username="boss", is_staff=True, is_superuser=True))


def _player_url(user):
    return f"{PLAYERS}{user.profile.pk}/"


@pytest.mark.django_db
def test_moderator_opens_the_listing_the_player_and_the_reports(moderator_client):
    target = UserFactory(username="target")

    assert moderator_client.get("/admin/").status_code == HTTPStatus.OK
    assert moderator_client.get(PLAYERS).status_code == HTTPStatus.OK
    assert moderator_client.get(_player_url(target)).status_code == HTTPStatus.OK
    assert (
        moderator_client.get("/admin/moderation/reports/").status_code == HTTPStatus.OK
    )


@pytest.mark.django_db
def test_moderator_cannot_edit_pages_snippets_or_users(moderator_client, moderator):
    assert not GroupPagePermission.objects.filter(group__name="Moderators").exists()
    for url in (
        "/admin/pages/",
        "/admin/pages/1/edit/",
        "/admin/snippets/profiles/game/",
        "/admin/users/",
        "/admin/settings/home/communitysettings/",
    ):
        response = moderator_client.get(url)
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN), url
    assert not moderator.has_perm("moderation.reveal_wallet_number")


@pytest.mark.django_db
def test_editor_without_moderation_rights_sees_no_players(editor_client):
    target = UserFactory(username="target")

    assert editor_client.get("/admin/").status_code == HTTPStatus.OK
    for url in (PLAYERS, _player_url(target), "/admin/moderation/reports/"):
        response = editor_client.get(url)
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN), url
    response = editor_client.post(f"{_player_url(target)}suspend/", {"reason": "spam"})
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.django_db
def test_superuser_opens_everything_but_no_edit_form_for_players(superuser_client):
    target = UserFactory(username="target")

    assert superuser_client.get(PLAYERS).status_code == HTTPStatus.OK
    assert superuser_client.get(_player_url(target)).status_code == HTTPStatus.OK
    response = superuser_client.get(f"{PLAYERS}edit/{target.profile.pk}/")
    assert response.status_code == HTTPStatus.NOT_FOUND


def _names(response):
    return {player.user.username for player in response.context["object_list"]}


@pytest.mark.django_db
def test_search_finds_players_by_username_name_public_id_and_email(
    moderator_client,
):
    rakib = UserFactory(username="rakib", email="rakib@mail.test")
    UserFactory(username="other")
    Profile.objects.filter(user=rakib).update(display_name="Tiger King")
    public_id = Profile.objects.get(user=rakib).public_id

    for query in ("rakib", "tiger", public_id, "rakib@mail"):
        response = moderator_client.get(PLAYERS, {"q": query})
        assert _names(response) == {"rakib"}, query


@pytest.mark.django_db
def test_filters_pick_the_right_players(moderator_client, moderator):
    from deletions import services as deletions
    from moderation import services as moderation

    old = UserFactory(username="old")
    high = UserFactory(username="high")
    suspended = UserFactory(username="gone")
    moderation.suspend_player(suspended, moderator, "Cheating in the Dhaka Open")
    leaving = UserFactory(username="leaving")
    deletions.request_deletion(leaving)
    erased = UserFactory(username="erased")
    request = deletions.request_deletion(erased)
    type(request).objects.filter(pk=request.pk).update(grace_ends_at=timezone.now())
    deletions.approve_deletion(request.pk, moderator)
    erased.refresh_from_db()
    Profile.objects.filter(user=old).update(
        created_at=timezone.now() - timedelta(days=40), country="IN"
    )
    Profile.objects.filter(user=high).update(level=50)
    WalletSettings.objects.filter(profile__user=high).update(bkash_number="01712345678")

    def names(**params):
        return _names(moderator_client.get(PLAYERS, params)) - {"mod"}

    assert names(level_min=10, level_max=60) == {"high"}
    recent = {"high", "gone", "leaving", erased.username}
    assert names(joined="30d") == recent
    assert names(joined="today") == recent
    old_day = (timezone.localdate() - timedelta(days=40)).isoformat()
    assert names(joined_between_from=old_day, joined_between_to=old_day) == {"old"}
    assert names(country="IN") == {"old"}
    assert names(status="suspended") == {"gone"}
    assert names(status="active") == {"old", "high", "leaving"}
    assert names(status="deletion_requested") == {"leaving"}
    listing = moderator_client.get(PLAYERS).content.decode()
    assert "Active, deletion requested" in listing
    assert "Erased" in listing
    assert names(has_wallet_number="true") == {"high"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"joined_between_from": "0001-01-01"},
        {"joined_between_to": "0001-01-01"},
        {"joined_between_from": "9999-12-31", "joined_between_to": "9999-12-31"},
        {"joined_between_from": "2026-13-45"},
        {"level_min": "abc", "joined": "bogus", "status": "gone"},
    ],
)
def test_filters_out_of_range_answer_without_an_error(moderator_client, params):
    UserFactory(username="someone")

    response = moderator_client.get(PLAYERS, params)

    assert response.status_code == HTTPStatus.OK


@pytest.mark.django_db
def test_listing_costs_the_same_queries_for_many_players(
    moderator_client, django_assert_max_num_queries
):
    UserFactory.create_batch(30)

    with django_assert_max_num_queries(20):
        response = moderator_client.get(PLAYERS)

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["object_list"]) == 31


@pytest.mark.django_db
def test_player_view_shows_follows_and_masks_wallet_numbers(moderator_client):
    target = UserFactory(username="target")
    fan = UserFactory(username="fan")
    Follow.objects.create(follower=fan.profile, followee=target.profile)
    WalletSettings.objects.filter(profile__user=target).update(
        bkash_number="01712345678"
    )

    response = moderator_client.get(_player_url(target))

    html = response.content.decode()
    assert "017*****678" in html
    assert "01712345678" not in html
    assert "@fan" in html
    assert "1 follower" in html
    assert "Reveal" not in html


@pytest.mark.django_db
def test_revealing_a_number_needs_its_permission_and_is_audited(
    moderator, moderator_client, caplog
):
    target = UserFactory(username="target")
    WalletSettings.objects.filter(profile__user=target).update(
        nagad_number="01812345678"
    )
    reveal = f"{_player_url(target)}reveal/"

    refused = moderator_client.post(reveal, {"method": "nagad"})
    # The admin answers a refusal by sending the moderator back home.
    assert refused.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert (
        "01812345678" not in moderator_client.get(_player_url(target)).content.decode()
    )
    assert not ModelLogEntry.objects.filter(
        action="moderation.reveal_wallet_number"
    ).exists()
    assert moderator_client.get(reveal).status_code in (
        HTTPStatus.FORBIDDEN,
        HTTPStatus.METHOD_NOT_ALLOWED,
    )

    moderator.user_permissions.add(
        Permission.objects.get(codename="reveal_wallet_number")
    )
    response = moderator_client.post(reveal, {"method": "nagad"}, follow=True)

    assert "01812345678" in response.content.decode()
    entry = ModelLogEntry.objects.get(action="moderation.reveal_wallet_number")
    assert entry.user == moderator
    assert entry.object_id == str(target.profile.pk)
    assert entry.data == {"method": "nagad"}
    assert entry.timestamp is not None
    assert "01812345678" not in caplog.text
    # Shown once: the next visit is masked again.
    again = moderator_client.get(_player_url(target)).content.decode()
    assert "01812345678" not in again


@pytest.mark.django_db
def test_dashboard_shows_moderators_pending_reports_and_signups(
    moderator_client, editor_client, django_assert_max_num_queries
):
    from moderation.models import Report

    UserFactory.create_batch(3)
    target, reporter = UserFactory(), UserFactory()
    Report.objects.create(
        profile=target.profile, reporter=reporter.profile, reason="spam"
    )

    response = moderator_client.get("/admin/")

    html = response.content.decode()
    assert "<strong>1</strong> pending report" in html
    assert "/admin/moderation/reports/?status=open" in html
    assert html.count("<rect") == 30
    assert "Moderation" not in editor_client.get("/admin/").content.decode()


def test_player_is_a_proxy_so_no_table_is_added():
    assert Player._meta.proxy
