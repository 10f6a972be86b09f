"""Editors and moderators work in the Wagtail admin at /admin/."""

from http import HTTPStatus

from django.test import Client

import pytest

from tests.factories import UserFactory


@pytest.mark.django_db
def test_admin_asks_anonymous_visitors_to_sign_in():
    response = Client().get("/admin/")

    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response.url


@pytest.mark.django_db
def test_players_cannot_open_the_admin():
    client = Client()
    client.force_login(UserFactory())

    response = client.get("/admin/")

    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.django_db
def test_editor_reaches_the_dashboard_and_the_game_catalogue():
    editor = UserFactory(username="editor", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(editor)

    assert client.get("/admin/").status_code == HTTPStatus.OK
    assert client.get("/admin/snippets/profiles/game/").status_code == HTTPStatus.OK
    assert (
        client.get("/admin/snippets/profiles/achievement/").status_code == HTTPStatus.OK
    )
