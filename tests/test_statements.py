"""A query compiled once answers as the ORM would, for every set of values.

deltacrown.statements keeps the SQL the ORM wrote for a queryset shape; these
check that what comes back for other values is what the queryset itself
returns: the right rows, their joined rows without further queries,
annotations, and values converted as the database backend converts them.
"""

import threading

from django.db import connection, connections
from django.db.models import Count

import pytest

from deltacrown.statements import Statement
from profiles import privacy
from profiles.models import Block, Follow, PrivacySettings, Profile, User
from tests.factories import UserFactory
from tests.services import needs_postgres

pytestmark = pytest.mark.django_db

PROFILE_WITH_RELATIONSHIP = Statement(
    lambda slug, viewer: (
        Profile.objects.select_related("user", "privacy")
        .filter(slug=slug, user__is_active=True)
        .annotate(**privacy.relationship_annotations_of_profile(viewer))[:1]
    ),
    slug="stand-in",
    viewer=-1,
)


def orm_profile(slug: str, viewer: int):
    return (
        Profile.objects.select_related("user", "privacy")
        .filter(slug=slug, user__is_active=True)
        .annotate(**privacy.relationship_annotations_of_profile(viewer))
        .first()
    )


@pytest.fixture
def players():
    star, fan, stranger, blocker = (
        UserFactory(username=name) for name in ("star", "fan", "stranger", "blocker")
    )
    Follow.objects.create(
        follower=fan.profile, followee=star.profile, status=Follow.Status.ACCEPTED
    )
    Follow.objects.create(
        follower=stranger.profile, followee=star.profile, status=Follow.Status.PENDING
    )
    Block.objects.create(blocker=star.profile, blocked=blocker.profile)
    PrivacySettings.objects.filter(profile=star.profile).update(
        about="followers", searchable=False
    )
    return {"star": star, "fan": fan, "stranger": stranger, "blocker": blocker}


@pytest.mark.parametrize("viewer", ["fan", "stranger", "blocker"])
def test_each_viewer_gets_the_row_and_relationship_the_orm_gives(
    players, viewer, django_assert_num_queries
):
    viewer_id = players[viewer].profile.pk
    expected = orm_profile("star", viewer_id)

    with django_assert_num_queries(1):
        found = PROFILE_WITH_RELATIONSHIP.first(slug="star", viewer=viewer_id)
        # The joined rows came with it.
        username, about, searchable = (
            found.user.username,
            found.privacy.about,
            found.privacy.searchable,
        )

    assert found.pk == expected.pk
    assert (username, about, searchable) == ("star", "followers", False)
    assert found.user.date_joined == expected.user.date_joined
    for name in privacy.RELATIONSHIP_FIELDS:
        assert getattr(found, name) == getattr(expected, name)
    assert (
        found.viewer_follow_status
        == {
            "fan": "accepted",
            "stranger": "pending",
            "blocker": None,
        }[viewer]
    )
    assert found.viewer_blocked_by is (viewer == "blocker")


def test_no_row_and_an_inactive_account_give_none(players):
    viewer = players["fan"].profile.pk
    assert PROFILE_WITH_RELATIONSHIP.first(slug="nobody", viewer=viewer) is None

    User.objects.filter(pk=players["star"].pk).update(is_active=False)
    assert PROFILE_WITH_RELATIONSHIP.first(slug="star", viewer=viewer) is None


def test_values_come_back_converted_like_values_list(players):
    statement = Statement(
        lambda name: User.objects.filter(username=name).values_list(
            "username", "is_active", "date_joined"
        ),
        name="stand-in",
    )
    User.objects.filter(username="blocker").update(is_active=False)

    for name in ("star", "blocker", "nobody"):
        expected = list(
            User.objects.filter(username=name).values_list(
                "username", "is_active", "date_joined"
            )
        )
        found = statement.all(name=name)
        assert found == expected
        assert all(type(row[1]) is bool for row in found)


def test_a_stand_in_the_query_does_not_hold_is_refused():
    statement = Statement(
        lambda slug: Profile.objects.annotate(n=Count("pk")).filter(slug="fixed"),
        slug="stand-in",
    )
    with pytest.raises(ValueError, match="slug"):
        statement.all(slug="star")


@needs_postgres
def test_a_statement_sent_again_is_prepared_on_the_server_and_answers_the_same(
    players,
):
    from deltacrown.postgresql.base import PREPARE_THRESHOLD

    # Every viewer with every profile, more times than it takes to prepare:
    # the answers from the prepared statement are the ORM's too.
    for _ in range(PREPARE_THRESHOLD + 2):
        for viewer in players.values():
            for name in ("star", "fan", "nobody"):
                found = PROFILE_WITH_RELATIONSHIP.first(
                    slug=name, viewer=viewer.profile.pk
                )
                expected = orm_profile(name, viewer.profile.pk)
                assert (found and found.pk) == (expected and expected.pk)
                if found:
                    assert found.privacy.about == expected.privacy.about
                    assert found.user.date_joined == expected.user.date_joined
                    for field in privacy.RELATIONSHIP_FIELDS:
                        assert getattr(found, field) == getattr(expected, field)

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "profiles_profile"' in sql and "$1" in sql for sql in prepared)


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_a_statement_on_its_own_connection():
    star = UserFactory(username="star")
    here = PROFILE_WITH_RELATIONSHIP.first(slug="star", viewer=-1)
    there = {}

    def other_thread():
        try:
            found = PROFILE_WITH_RELATIONSHIP.first(slug="star", viewer=-1)
            there["answer"] = (found.pk, found.user.date_joined)
            there["connection"] = connections["default"]
            there["converted with"] = PROFILE_WITH_RELATIONSHIP._rows(
                "default"
            ).compiler.connection
        finally:
            connections.close_all()

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()

    assert there["answer"] == (star.profile.pk, here.user.date_joined)
    assert there["converted with"] is there["connection"]
    assert there["connection"] is not connections["default"]
    assert (
        PROFILE_WITH_RELATIONSHIP._rows("default").compiler.connection
        is (connections["default"])
    )
