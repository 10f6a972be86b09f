"""The home page's "popular this week": real views, counted fairly, shown privately."""

import datetime
from http import HTTPStatus

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from home import popularity
from home.models import ProfileViews
from profiles.models import PrivacySettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_for(user=None, address="203.0.113.7") -> Client:
    client = Client(REMOTE_ADDR=address)
    if user is not None:
        client.force_login(user)
    return client


def views_of(user) -> int:
    return sum(
        ProfileViews.objects.filter(profile=user.profile).values_list(
            "views", flat=True
        )
    )


def popular(client: Client) -> list[str]:
    html = client.get("/").content.decode()
    if "Popular this week" not in html:
        return []
    section = html.split("Popular this week", 1)[1].split("</section>", 1)[0]
    return [part.split("/", 1)[0] for part in section.split('href="/@')[1:] if part]


def test_each_viewer_counts_once_a_day_and_the_owner_never():
    star = UserFactory(username="star")
    fan = UserFactory()

    for _ in range(3):
        client_for(fan).get("/@star/")
        client_for(address="198.51.100.1").get("/@star/")
        client_for(star).get("/@star/")

    assert views_of(star) == 2


def test_a_missing_or_hidden_profile_counts_nothing():
    hidden = UserFactory(username="hiddenone")
    PrivacySettings.objects.filter(profile=hidden.profile).update(
        profile_visibility="hidden"
    )

    assert client_for().get("/@hiddenone/").status_code == HTTPStatus.NOT_FOUND
    assert client_for().get("/@nobody/").status_code == HTTPStatus.NOT_FOUND
    assert not ProfileViews.objects.exists()


def test_the_most_viewed_players_of_the_week_lead_the_list():
    top, second, old = (UserFactory(username=name) for name in ("top", "second", "old"))
    today = timezone.localdate()
    ProfileViews.objects.create(profile=top.profile, day=today, views=40)
    ProfileViews.objects.create(profile=second.profile, day=today, views=10)
    ProfileViews.objects.create(
        profile=second.profile, day=today - datetime.timedelta(days=3), views=5
    )
    ProfileViews.objects.create(
        profile=old.profile, day=today - datetime.timedelta(days=8), views=500
    )

    assert popular(client_for()) == ["top", "second"]


def test_players_who_hide_or_keep_out_of_search_are_never_listed():
    shown, hidden, unlisted = (
        UserFactory(username=name) for name in ("shown", "hidden", "unlisted")
    )
    for user in (shown, hidden, unlisted):
        ProfileViews.objects.create(
            profile=user.profile, day=timezone.localdate(), views=9
        )
    PrivacySettings.objects.filter(profile=hidden.profile).update(
        profile_visibility="hidden"
    )
    PrivacySettings.objects.filter(profile=unlisted.profile).update(searchable=False)

    assert popular(client_for()) == ["shown"]
    assert popular(client_for(UserFactory())) == ["shown"]


def test_counting_a_first_view_costs_at_most_two_queries():
    UserFactory(username="star")
    client = client_for(UserFactory())
    client.get("/search/")
    client.get("/@star/")  # fills the page's cache; this view is counted
    other = client_for(UserFactory())
    other.get("/search/")

    with CaptureQueriesContext(connection) as first:
        other.get("/@star/")
    with CaptureQueriesContext(connection) as again:
        other.get("/@star/")

    assert len(first) - len(again) <= 2


def test_a_player_who_opts_out_leaves_the_list_at_once():
    star = UserFactory(username="star")
    ProfileViews.objects.create(profile=star.profile, day=timezone.localdate(), views=9)
    client = client_for()
    assert popular(client) == ["star"]

    privacy = star.profile.privacy
    privacy.searchable = False
    privacy.save()

    assert popular(client) == []


def test_a_repeat_view_counts_once_whether_or_not_the_process_remembers_it(
    monkeypatch,
):
    star = UserFactory(username="star")
    for _ in range(3):
        client_for().get("/@star/")
    assert views_of(star) == 1

    # Forgotten by the process at once, the visit is still known to the cache.
    monkeypatch.setattr(popularity, "REMEMBERED_SECONDS", 0)
    client_for().get("/@star/")
    assert views_of(star) == 1

    client_for(address="198.51.100.9").get("/@star/")
    assert views_of(star) == 2


def test_the_process_remembers_a_bounded_number_of_views(monkeypatch):
    monkeypatch.setattr(popularity, "REMEMBERED_VIEWS", 2)
    players = [UserFactory(username=f"player{n}") for n in range(4)]
    for player in players:
        client_for().get(f"/@{player.username}/")

    assert len(popularity._counted_lately) == 2
    assert all(views_of(player) == 1 for player in players)


def test_a_head_request_is_not_a_view():
    star = UserFactory(username="star")
    fan = UserFactory()

    assert client_for().head("/@star/").status_code == HTTPStatus.OK
    assert client_for(fan).head("/@star/").status_code == HTTPStatus.OK
    assert views_of(star) == 0

    client_for(fan).get("/@star/")
    assert views_of(star) == 1
