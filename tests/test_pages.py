"""Editors' pages behave as Wagtail promises: preview, schedule, revisions, search."""

import datetime
from http import HTTPStatus

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from home.models import HomePage, NewsIndexPage, NewsPage, StandardPage
from profiles.models import PrivacySettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(db):
    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def news(db):
    return HomePage.objects.get().add_child(
        instance=NewsIndexPage(title="News", slug="news")
    )


def article(news, title, **fields):
    return news.add_child(
        instance=NewsPage(
            title=title, slug=title.lower().replace(" ", "-")[:50], **fields
        )
    )


def test_an_editor_previews_a_draft_without_publishing_it(editor_client, news):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[news.pk])
    form = {"title": "News", "slug": "news", "intro": "A draft intro nobody sees."}

    posted = editor_client.post(url, form)
    shown = editor_client.get(url)

    assert posted.json()["is_valid"]
    assert shown.status_code == HTTPStatus.OK
    assert "A draft intro nobody sees." in shown.content.decode()
    assert "A draft intro nobody sees." not in Client().get("/news/").content.decode()


def test_a_scheduled_page_goes_live_at_its_time(editor_client, news):
    draft = news.add_child(
        instance=NewsPage(title="Season two", slug="season-two", live=False)
    )
    go_live = timezone.localtime() + datetime.timedelta(hours=1)

    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        {
            "title": "Season two",
            "slug": "season-two",
            "date": "2026-12-01",
            "intro": "",
            "tags": "",
            "body-count": "0",
            "go_live_at": go_live.strftime("%Y-%m-%d %H:%M"),
            "action-publish": "action-publish",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    draft.refresh_from_db()
    assert not draft.live
    assert Client().get("/news/season-two/").status_code == HTTPStatus.NOT_FOUND

    # An hour passes.
    revision = draft.latest_revision
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled")

    draft.refresh_from_db()
    assert draft.live
    assert Client().get("/news/season-two/").status_code == HTTPStatus.OK


def test_every_save_keeps_a_revision(news):
    news.intro = "First"
    news.save_revision()
    news.intro = "Second"
    news.save_revision().publish()

    assert news.revisions.count() >= 2
    assert "Second" in Client().get("/news/").content.decode()


def test_search_finds_news_and_standard_pages_but_not_drafts(news):
    article(news, "Valorant open", intro="Dhaka's biggest bracket")
    HomePage.objects.get().add_child(
        instance=StandardPage(title="Rules", slug="rules", body="<p>No cheating</p>")
    )
    news.add_child(instance=NewsPage(title="Secret draft", slug="secret", live=False))

    html = Client().get("/search/?q=bracket").content.decode()
    rules = Client().get("/search/?q=cheating").content.decode()
    draft = Client().get("/search/?q=secret").content.decode()

    assert "Valorant open" in html
    assert "Rules" in rules
    assert "Secret draft" not in draft


def test_search_finds_players_only_through_the_privacy_rules(db):
    UserFactory(username="visible_star")
    ghost = UserFactory(username="hidden_star")
    PrivacySettings.objects.filter(profile=ghost.profile).update(
        profile_visibility="hidden"
    )

    html = Client().get("/search/?q=star").content.decode()

    assert "/@visible_star/" in html
    assert "/@hidden_star/" not in html
