"""Site settings reach every page from the cache, and a change at once."""

import logging

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

import pytest

from deltacrown import versioned_cache
from home.models import CommunitySettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def footer(client: Client) -> str:
    return client.get("/search/").content.decode()


def community() -> CommunitySettings:
    return CommunitySettings.for_site(Site.objects.get(is_default_site=True))


def test_an_editors_change_shows_on_the_next_page():
    client = Client()
    footer(client)

    row = community()
    row.footer_text = "Finals this Friday in Dhaka."
    row.save()

    assert "Finals this Friday in Dhaka." in footer(client)


def test_pages_read_the_settings_without_asking_the_database():
    client = Client()
    footer(client)

    with CaptureQueriesContext(connection) as queries:
        footer(client)

    tables = " ".join(query["sql"] for query in queries)
    assert "home_communitysettings" not in tables
    assert "wagtailcore_site" not in tables


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_pages_still_show_the_settings_when_the_cache_is_down(monkeypatch, caplog):
    row = community()
    row.footer_text = "Still here without a cache."
    row.save()
    monkeypatch.setattr(versioned_cache, "cache", BrokenCache())

    with caplog.at_level(logging.WARNING):
        html = footer(Client())

    assert "Still here without a cache." in html
    assert "Site settings cache unavailable" in caplog.text


@pytest.mark.parametrize("signed_in", [False, True])
def test_an_editors_change_reaches_kept_profile_pages_at_once(signed_in):
    """Whole profile pages are kept; the settings they show are in their key."""
    star = UserFactory(username="star")
    client = Client()
    if signed_in:
        client.force_login(UserFactory())
    client.get("/@star/")

    row = community()
    row.footer_text = "Finals this Friday in Dhaka."
    row.save()

    assert (
        "Finals this Friday in Dhaka."
        in client.get(star.profile.get_absolute_url()).content.decode()
    )
