"""A player asks for their account to be deleted, and can change their mind."""

from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from django.test import Client

from wagtail.models import ModelLogEntry

import pytest

from deletions.models import DeletionRequest
from tests.factories import PASSWORD, deletion_requested

pytestmark = pytest.mark.django_db

DELETE = "/me/account/delete/"
CANCEL = "/me/account/delete/cancel/"
HTML = {"HTTP_ACCEPT": "text/html"}


def test_the_page_offers_the_data_export_before_the_request(player_client):
    html = player_client.get(DELETE).content.decode()

    assert "data-export-link" in html
    assert html.index("Download my data") < html.index("Request account deletion")
    assert "14 days to cancel" in html


def test_a_request_needs_the_password_again(player):
    client = Client()
    client.force_login(player)

    asked = client.post(DELETE, {"confirm": "yes"}, **HTML)

    assert asked.status_code == HTTPStatus.FOUND
    target = urlsplit(asked["Location"])
    assert target.path == "/accounts/reauthenticate/"
    assert parse_qs(target.query)["next"] == [DELETE]
    assert not DeletionRequest.objects.exists()

    client.post(asked["Location"], {"password": PASSWORD}, **HTML)

    assert DeletionRequest.objects.get(user=player).is_pending


def test_a_json_client_is_told_to_reauthenticate(player):
    client = Client()
    client.force_login(player)

    response = client.post(DELETE, {"confirm": "yes"}, HTTP_ACCEPT="application/json")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["reauthenticate"].startswith("/accounts/reauthenticate/")
    assert not DeletionRequest.objects.exists()


def test_a_request_needs_the_box_ticked(player_client):
    response = player_client.post(DELETE, {}, follow=True)

    assert "Tick the box to confirm" in response.content.decode()
    assert not DeletionRequest.objects.exists()


def test_a_confirmed_request_starts_the_grace_period(player, player_client, settings):
    settings.DELETION_GRACE_DAYS = 7

    response = player_client.post(DELETE, {"confirm": "yes"}, follow=True)

    deletion = DeletionRequest.objects.get(user=player)
    assert deletion.status == DeletionRequest.Status.REQUESTED
    assert (deletion.grace_ends_at - deletion.requested_at).days == 7
    html = response.content.decode()
    assert "Deletion requested" in html
    assert "data-deletion-pending" in html
    assert ModelLogEntry.objects.filter(action="deletions.request").count() == 1


def test_submitting_twice_makes_one_request(player, player_client):
    player_client.post(DELETE, {"confirm": "yes"})
    first = DeletionRequest.objects.get(user=player)

    player_client.post(DELETE, {"confirm": "yes"})

    assert DeletionRequest.objects.filter(user=player).count() == 1
    assert DeletionRequest.objects.get(user=player).requested_at == first.requested_at


def test_the_player_can_cancel_during_the_grace_period(player, player_client):
    deletion_requested(player)

    response = player_client.post(CANCEL, follow=True)

    assert "Deletion cancelled" in response.content.decode()
    deletion = DeletionRequest.objects.get(user=player)
    assert deletion.status == DeletionRequest.Status.CANCELLED
    assert "data-deletion-pending" not in response.content.decode()
    assert ModelLogEntry.objects.filter(action="deletions.cancel").count() == 1


def test_a_cancelled_request_can_be_made_again(player, player_client):
    deletion_requested(player, days_ago=3)
    player_client.post(CANCEL)

    player_client.post(DELETE, {"confirm": "yes"})

    deletion = DeletionRequest.objects.get(user=player)
    assert deletion.is_pending
    assert deletion.in_grace_period()


def test_cancelling_with_nothing_pending_changes_nothing(player, player_client):
    response = player_client.post(CANCEL, follow=True)

    assert "There is no pending deletion request" in response.content.decode()
    assert not DeletionRequest.objects.exists()


def test_cancel_is_a_post(player, player_client):
    deletion_requested(player)

    assert player_client.get(CANCEL).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert DeletionRequest.objects.get(user=player).is_pending


def test_a_player_with_a_pending_request_can_sign_in_and_is_offered_to_cancel(
    player,
):
    deletion_requested(player)
    client = Client()

    response = client.post(
        "/accounts/login/", {"login": "Rakib", "password": PASSWORD}, follow=True
    )

    assert response.context["user"].is_authenticated
    html = response.content.decode()
    assert "Your account is due to be deleted" in html
    assert f'href="{DELETE}"' in html

    page = client.get(DELETE).content.decode()
    assert f'action="{CANCEL}"' in page
    client.post(CANCEL)
    assert DeletionRequest.objects.get(user=player).status == "cancelled"


def test_signing_in_without_a_request_says_nothing_of_deletion(player):
    response = Client().post(
        "/accounts/login/", {"login": "Rakib", "password": PASSWORD}, follow=True
    )

    assert "due to be deleted" not in response.content.decode()


def test_signed_out_visitors_cannot_request(db):
    response = Client().post(DELETE, {"confirm": "yes"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/")
    assert not DeletionRequest.objects.exists()
