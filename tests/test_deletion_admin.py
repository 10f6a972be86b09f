"""Moderators approve or reject deletion requests in the Wagtail admin."""

import datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from PIL import Image

from deletions.models import DeletionRequest
from deletions.services import DELETED_NAME
from profiles.models import (
    Block,
    Follow,
    GameProfile,
    MatchParticipant,
    Profile,
    SocialLink,
    User,
    WalletSettings,
    WalletTransaction,
)
from tests.factories import (
    PASSWORD,
    FollowFactory,
    UserFactory,
    deletion_requested,
    profile_for,
)

pytestmark = pytest.mark.django_db

INDEX = "/admin/deletion_requests/"


def decide_url(deletion) -> str:
    return f"{INDEX}decide/{deletion.pk}/"


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def past_grace(deletion) -> DeletionRequest:
    DeletionRequest.objects.filter(pk=deletion.pk).update(
        grace_ends_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    deletion.refresh_from_db()
    return deletion


def give_avatar(profile) -> Path:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="WEBP")
    profile.avatar.save("face.webp", ContentFile(buffer.getvalue()))
    return Path(profile.avatar.path)


def approve(client, deletion, **extra):
    return client.post(
        decide_url(deletion), {"decision": "approve", "confirm": "on", **extra}
    )


def test_moderators_see_pending_requests_listed(deletion_moderator, player):
    deletion_requested(player)

    response = admin_client(deletion_moderator).get(INDEX)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Requested" in html
    assert decide_url(player.deletion_request) in html


def test_the_dashboard_shows_moderators_pending_requests(deletion_moderator, player):
    deletion_requested(player)

    html = admin_client(deletion_moderator).get("/admin/").content.decode()

    assert "Pending deletion requests (1)" in html
    assert decide_url(player.deletion_request) in html


def test_approval_waits_for_the_grace_period(deletion_moderator, rich_player):
    deletion = deletion_requested(rich_player)

    response = approve(admin_client(deletion_moderator), deletion)

    assert response.status_code == HTTPStatus.FOUND
    deletion.refresh_from_db()
    assert deletion.is_pending
    rich_player.refresh_from_db()
    assert rich_player.is_active
    assert rich_player.username == "Rakib"


def test_approval_needs_the_box_ticked(deletion_moderator, player):
    deletion = past_grace(deletion_requested(player))

    admin_client(deletion_moderator).post(decide_url(deletion), {"decision": "approve"})

    deletion.refresh_from_db()
    assert deletion.is_pending


def test_approval_erases_the_players_personal_data(
    deletion_moderator, rich_player, django_capture_on_commit_callbacks
):
    profile = rich_player.profile
    avatar = give_avatar(profile)
    assert avatar.exists()
    WalletSettings.objects.filter(profile=profile).update(
        bkash_number="01712345678", nagad_number="01812345678"
    )
    fan = profile_for(username="tania")
    FollowFactory(follower=fan, followee=profile)
    FollowFactory(follower=profile, followee=profile_for(username="sabbir"))
    Block.objects.create(blocker=profile_for(username="troll"), blocked=profile)
    player_client = Client()
    player_client.post("/accounts/login/", {"login": "Rakib", "password": PASSWORD})
    assert UserSession.objects.filter(user=rich_player).exists()
    Authenticator.objects.create(
        user=rich_player, type=Authenticator.Type.TOTP, data={"secret": "X"}
    )
    deletion = past_grace(deletion_requested(rich_player))

    with django_capture_on_commit_callbacks(execute=True):
        response = approve(admin_client(deletion_moderator), deletion)

    assert response.status_code == HTTPStatus.FOUND
    deletion.refresh_from_db()
    assert deletion.status == DeletionRequest.Status.APPROVED
    assert deletion.decided_by == deletion_moderator
    user = User.objects.get(pk=rich_player.pk)
    assert user.username.startswith("deleted-")
    assert (user.email, user.first_name, user.last_name) == ("", "", "")
    assert not user.is_active
    assert not user.has_usable_password()
    profile = Profile.objects.get(pk=profile.pk)
    assert profile.display_name == DELETED_NAME
    assert (profile.bio, profile.avatar.name, profile.country) == ("", "", "")
    assert not avatar.exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not UserSession.objects.filter(user=user).exists()
    assert not SocialLink.objects.filter(profile=profile).exists()
    assert not GameProfile.objects.filter(profile=profile).exists()
    assert not Follow.objects.filter(follower=profile).exists()
    assert not Follow.objects.filter(followee=profile).exists()
    assert not Block.objects.filter(blocked=profile).exists()
    wallet = WalletSettings.objects.get(profile=profile)
    assert (wallet.bkash_number, wallet.nagad_number, wallet.rocket_number) == (
        "",
        "",
        "",
    )
    # The ledger stays whole for the accounts.
    assert WalletTransaction.objects.filter(profile=profile).count() == 1
    assert ModelLogEntry.objects.filter(
        action="deletions.approve", user_id=deletion_moderator.pk
    ).exists()
    # The signed-in browser is signed out.
    assert player_client.get("/me/settings/").status_code == HTTPStatus.FOUND


def test_match_results_stay_under_deleted_player(deletion_moderator, rich_player):
    deletion = past_grace(deletion_requested(rich_player))

    approve(admin_client(deletion_moderator), deletion)

    entry = MatchParticipant.objects.get(match__title="Dhaka Open final")
    assert entry.profile.display_name == DELETED_NAME
    assert entry.result == MatchParticipant.Result.WIN


def test_the_deleted_players_profile_no_longer_exists(deletion_moderator, player):
    old_url = player.profile.get_absolute_url()
    deletion = past_grace(deletion_requested(player))

    approve(admin_client(deletion_moderator), deletion)

    assert Client().get(old_url).status_code == HTTPStatus.NOT_FOUND
    new_url = Profile.objects.get(pk=player.profile.pk).get_absolute_url()
    assert Client().get(new_url).status_code == HTTPStatus.NOT_FOUND


def test_the_deleted_player_cannot_sign_in(deletion_moderator, player):
    deletion = past_grace(deletion_requested(player))
    approve(admin_client(deletion_moderator), deletion)

    client = Client()
    client.post("/accounts/login/", {"login": "Rakib", "password": PASSWORD})
    client.post(
        "/accounts/login/", {"login": "Rakib@example.com", "password": PASSWORD}
    )

    assert client.get("/me/settings/").status_code == HTTPStatus.FOUND


def test_followers_pages_lose_the_deleted_player(deletion_moderator, player):
    fan = UserFactory(username="tania")
    FollowFactory(follower=fan.profile, followee=player.profile)
    fan_page = fan.profile.get_absolute_url()
    before = Client().get(fan_page).context["page"].header.following_count
    deletion = past_grace(deletion_requested(player))

    approve(admin_client(deletion_moderator), deletion)

    after = Client().get(fan_page).context["page"].header.following_count
    assert (before, after) == (1, 0)


def test_approval_cannot_be_repeated_or_undone(deletion_moderator, player):
    deletion = past_grace(deletion_requested(player))
    client = admin_client(deletion_moderator)
    approve(client, deletion)
    username = User.objects.get(pk=player.pk).username

    approve(client, deletion)
    client.post(decide_url(deletion), {"decision": "reject", "note": "Oops"})

    deletion.refresh_from_db()
    assert deletion.status == DeletionRequest.Status.APPROVED
    assert User.objects.get(pk=player.pk).username == username
    assert ModelLogEntry.objects.filter(action="deletions.approve").count() == 1


def test_rejection_needs_a_note_and_keeps_the_account(deletion_moderator, player):
    deletion = deletion_requested(player)
    client = admin_client(deletion_moderator)

    client.post(decide_url(deletion), {"decision": "reject", "note": "  "})
    deletion.refresh_from_db()
    assert deletion.is_pending

    client.post(
        decide_url(deletion),
        {"decision": "reject", "note": "Prize payout still open."},
    )

    deletion.refresh_from_db()
    assert deletion.status == DeletionRequest.Status.REJECTED
    assert deletion.note == "Prize payout still open."
    assert deletion.decided_by == deletion_moderator
    player.refresh_from_db()
    assert player.is_active
    assert player.profile.display_name == "Rakib"
    assert ModelLogEntry.objects.filter(action="deletions.reject").exists()


def test_players_cannot_reach_the_deletion_admin(player):
    other = UserFactory(username="tania")
    deletion = past_grace(deletion_requested(other))
    client = admin_client(player)

    for url in (INDEX, decide_url(deletion)):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert "/admin/login/" in response["Location"]
    approve(client, deletion)

    deletion.refresh_from_db()
    assert deletion.is_pending


def test_staff_without_the_permissions_cannot_decide(db):
    editor = UserFactory(username="editor.sumi", is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_deletionrequest"),
    )
    deletion = past_grace(deletion_requested(UserFactory(username="tania")))
    client = admin_client(editor)

    assert client.get(INDEX).status_code == HTTPStatus.OK
    assert client.get(decide_url(deletion)).status_code != HTTPStatus.OK
    approve(client, deletion)
    client.post(decide_url(deletion), {"decision": "reject", "note": "No"})

    deletion.refresh_from_db()
    assert deletion.is_pending


def test_staff_with_admin_access_alone_see_no_requests(db):
    editor = UserFactory(username="editor.sumi", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    deletion_requested(UserFactory(username="tania"))
    client = admin_client(editor)

    assert client.get(INDEX).status_code != HTTPStatus.OK
    assert "Pending deletion requests" not in client.get("/admin/").content.decode()


def test_nobody_adds_or_edits_requests_in_the_admin(deletion_moderator, player):
    deletion = deletion_requested(player)
    client = admin_client(deletion_moderator)

    assert client.get(f"{INDEX}new/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"{INDEX}edit/{deletion.pk}/").status_code == (
        HTTPStatus.NOT_FOUND
    )
    assert client.get(f"{INDEX}delete/{deletion.pk}/").status_code == (
        HTTPStatus.NOT_FOUND
    )


def test_moderators_can_inspect_a_request(deletion_moderator, player):
    deletion = deletion_requested(player)

    response = admin_client(deletion_moderator).get(f"{INDEX}inspect/{deletion.pk}/")

    assert response.status_code == HTTPStatus.OK
    assert "Grace ends at" in response.content.decode()
