"""The Wagtail home page: the community's news and featured players."""

import datetime
from http import HTTPStatus

from django.test import Client

from wagtail.models import Site

import pytest

from home.models import FeaturedPlayer, HomePage, NewsIndexPage, NewsPage
from profiles.models import PrivacySettings
from tests.factories import UserFactory


@pytest.fixture
def home(db):
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    news = home.add_child(instance=NewsIndexPage(title="News", slug="news"))
    news.add_child(
        instance=NewsPage(
            title="Dhaka Valorant Open finals this Friday",
            slug="finals",
            date=datetime.date(2026, 11, 20),
            intro="Eight teams, one crown.",
        )
    )
    return home


def feature(home, user):
    FeaturedPlayer.objects.create(page=home, profile=user.profile)


def test_home_page_shows_news_and_featured_players(home):
    nusrat = UserFactory(username="nusrat")
    nusrat.profile.display_name = "নুসরাত জাহান"
    nusrat.profile.save()
    feature(home, nusrat)

    response = Client().get("/")

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Dhaka Valorant Open finals this Friday" in html
    assert "নুসরাত জাহান" in html
    assert "/@nusrat/" in html


def test_hidden_players_are_never_featured(home):
    ghost = UserFactory(username="ghost")
    ghost.profile.display_name = "Ghost Player"
    ghost.profile.save()
    PrivacySettings.objects.filter(profile=ghost.profile).update(
        profile_visibility="hidden"
    )
    feature(home, ghost)

    html = Client().get("/").content.decode()

    assert "Ghost Player" not in html
    assert "/@ghost/" not in html


def test_news_article_page_renders(home):
    response = Client().get("/news/finals/")

    assert response.status_code == HTTPStatus.OK
    assert "Eight teams, one crown." in response.content.decode()


@pytest.mark.parametrize(
    ("visibility", "shown_to_anonymous"),
    [("public", True), ("members", False), ("followers", False)],
)
def test_featured_level_only_where_the_profile_is_open(
    home, visibility, shown_to_anonymous
):
    star = UserFactory(username="star")
    star.profile.level = 87
    star.profile.save()
    PrivacySettings.objects.filter(profile=star.profile).update(
        profile_visibility=visibility
    )
    feature(home, star)

    html = Client().get("/").content.decode()

    assert "/@star/" in html
    assert ("Level 87" in html) is shown_to_anonymous
