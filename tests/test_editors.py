"""The editors' workspace: what an editor can open, award and publish."""

import datetime
from http import HTTPStatus

from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from wagtail.models import ModelLogEntry, Site

import pytest

from home.models import CommunitySettings, HomePage, NewsIndexPage, NewsPage
from profiles.models import UserAchievement
from tests.factories import AchievementFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def settings_url() -> str:
    site = Site.objects.get(is_default_site=True)
    return f"/admin/settings/home/communitysettings/{site.pk}/"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/pages/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/snippets/profiles/game/",
        "/admin/snippets/profiles/achievement/",
        "/admin/snippets/profiles/team/",
        "/admin/snippets/profiles/userachievement/add/",
    ],
)
def test_an_editor_opens_what_editors_run(editor_client, url):
    assert editor_client.get(url).status_code == HTTPStatus.OK


def test_an_editor_opens_the_community_settings(editor_client):
    assert editor_client.get(settings_url()).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "url", ["/admin/users/", "/admin/groups/", "/admin/users/add/", "/admin/sites/"]
)
def test_an_editor_cannot_open_accounts_or_site_structure(editor_client, url):
    response = editor_client.get(url)

    # Wagtail sends a signed-in user without the permission back to the
    # dashboard with a message; either way the page is not shown.
    assert response.status_code in (
        HTTPStatus.FOUND,
        HTTPStatus.FORBIDDEN,
        HTTPStatus.NOT_FOUND,
    )
    if response.status_code == HTTPStatus.FOUND:
        assert response["Location"].startswith("/admin/")
        assert response["Location"] != url


def test_an_editor_may_add_and_publish_pages(editor):
    home = HomePage.objects.get()
    permissions = home.permissions_for_user(editor)

    assert permissions.can_add_subpage()
    assert permissions.can_publish()


def award(client: Client, username: str, achievement) -> object:
    return client.post(
        "/admin/snippets/profiles/userachievement/add/",
        {
            "player": username,
            "achievement": achievement.pk,
            "awarded_at": timezone.now().strftime("%Y-%m-%d %H:%M"),
        },
    )


def test_an_editor_awards_an_achievement_that_shows_on_the_shelf(
    editor, editor_client, player
):
    trophy = AchievementFactory(name="Clutch King")
    assert "Clutch King" not in Client().get("/@Rakib/").content.decode()

    response = award(editor_client, "@Rakib", trophy)

    assert response.status_code == HTTPStatus.FOUND
    awarded = UserAchievement.objects.get(profile=player.profile)
    assert awarded.achievement == trophy
    assert ModelLogEntry.objects.filter(
        action="wagtail.create", object_id=str(awarded.pk), user=editor
    ).exists()
    assert "Clutch King" in Client().get("/@Rakib/").content.decode()


def test_an_achievement_is_awarded_once(editor_client, player):
    trophy = AchievementFactory(name="Clutch King")
    award(editor_client, "rakib", trophy)

    response = award(editor_client, "rakib", trophy)

    assert response.status_code == HTTPStatus.OK
    assert "already has Clutch King" in response.content.decode()
    assert UserAchievement.objects.count() == 1


def test_an_award_to_nobody_is_refused(editor_client, db):
    response = award(editor_client, "nobody-here", AchievementFactory())

    assert response.status_code == HTTPStatus.OK
    assert "No active player has that username." in response.content.decode()
    assert not UserAchievement.objects.exists()


def banner(settings_row, text, starts=None, ends=None):
    settings_row.announcement = text
    settings_row.announcement_starts_at = starts
    settings_row.announcement_ends_at = ends
    settings_row.save()


@pytest.mark.parametrize(
    "starts_in, ends_in, shown",
    [
        (None, None, True),
        (-1, 1, True),
        (1, 2, False),  # not started
        (-2, -1, False),  # over
        (None, -1, False),
    ],
)
def test_the_announcement_shows_only_in_its_window(db, starts_in, ends_in, shown):
    now = timezone.now()
    row = CommunitySettings.for_site(Site.objects.get(is_default_site=True))

    def hours(n):
        return None if n is None else now + datetime.timedelta(hours=n)

    banner(
        row,
        "Registration for the Dhaka Cup closes Friday",
        hours(starts_in),
        hours(ends_in),
    )

    html = Client().get("/search/").content.decode()
    assert ("Registration for the Dhaka Cup closes Friday" in html) is shown


def test_a_banner_that_ends_before_it_starts_is_refused(editor_client):
    now = timezone.now()
    response = editor_client.post(
        settings_url(),
        {
            "community_name": "DeltaCrown",
            "footer_text": "",
            "announcement": "Backwards",
            "announcement_starts_at": (now + datetime.timedelta(days=2)).strftime(
                "%Y-%m-%d %H:%M"
            ),
            "announcement_ends_at": (now + datetime.timedelta(days=1)).strftime(
                "%Y-%m-%d %H:%M"
            ),
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "The banner must end after it starts." in response.content.decode()
    row = CommunitySettings.for_site(Site.objects.get(is_default_site=True))
    assert row.announcement == ""


def test_an_article_names_its_author_and_tags(editor):
    editor.profile.display_name = "Nusrat from DeltaCrown"
    editor.profile.save()
    home = HomePage.objects.get()
    news = home.add_child(instance=NewsIndexPage(title="News", slug="news"))
    article = news.add_child(
        instance=NewsPage(title="Patch notes", slug="patch-notes", author=editor)
    )
    article.tags.add("valorant", "patch")
    article.save_revision().publish()

    html = Client().get("/news/patch-notes/").content.decode()

    assert "By Nusrat from DeltaCrown" in html
    assert "valorant" in html and "patch" in html
