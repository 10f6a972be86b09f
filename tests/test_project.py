"""The project itself: system checks pass and no migration is missing."""

from http import HTTPStatus
from io import StringIO

from django.core.management import call_command
from django.test import Client

import pytest


def test_system_check_finds_no_errors():
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


@pytest.mark.django_db
def test_settings_page_sends_anonymous_visitors_to_sign_in():
    response = Client().get("/me/settings/")

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == "/accounts/login/?next=/me/settings/"


@pytest.mark.django_db
def test_health_endpoints_answer():
    assert Client().get("/healthz").json() == {"status": "ok"}
    ready = Client().get("/readyz")
    assert ready.status_code == HTTPStatus.OK
    assert ready.json()["checks"] == {"database": "ok", "cache": "ok"}
