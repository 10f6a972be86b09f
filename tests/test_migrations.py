"""Our migrations run backwards as well as forwards, on a database with data in it.

Each slow test works on a fresh database of the engine the suite runs on (a new
PostgreSQL database under site/services.sh, otherwise a new SQLite file) and
drives it with `manage.py` in separate processes, as an operator would.
"""

from django.db.migrations.loader import MigrationLoader

import pytest

from tests.services import command_env, django_json, fresh_database, manage

OUR_APPS = ["home", "profiles", "payouts"]

# What an operator would look at after a migration: the players, their follows,
# the page at the root of the default site and the health of the page tree.
SNAPSHOT = """
from django.db import connection
from wagtail.models import Page, Site
from profiles.models import Follow, User

site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
root_type = None
if site is not None:
    content_type = site.root_page.content_type
    root_type = f"{content_type.app_label}.{content_type.model}"
result = {
    "players": sorted(User.objects.values_list("username", flat=True)),
    "follows": Follow.objects.count(),
    "root_type": root_type,
    "home_pages": Page.objects.filter(content_type__app_label="home").count(),
    "slugs": sorted(Page.objects.filter(depth__gt=2).values_list("slug", flat=True)),
    "tree_problems": [len(found) for found in Page.find_problems()],
}
"""

TABLES = """
from django.db import connection
result = sorted(connection.introspection.table_names())
"""

MODERATOR_PERMISSIONS = """
from django.contrib.auth.models import Group
group = Group.objects.get(name="Moderators")
result = sorted(group.permissions.values_list("codename", flat=True))
"""


@pytest.fixture
def database_env(tmp_path):
    with fresh_database("migrations", tmp_path) as url:
        yield command_env(url)


def snapshot(env):
    return django_json(SNAPSHOT, env)


def test_every_operation_in_our_migrations_has_a_reverse():
    """What `migrate APP zero` refuses to start on: an operation with no way back."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {
        key: migration
        for key, migration in loader.disk_migrations.items()
        if key[0] in OUR_APPS
    }
    assert {app for app, _ in ours} == set(OUR_APPS)

    irreversible = [
        f"{app}.{name}: {operation.describe()}"
        for (app, name), migration in sorted(ours.items())
        for operation in migration.operations
        if not operation.reversible
    ]
    assert irreversible == []


@pytest.mark.slow
def test_our_apps_migrate_to_zero_and_back_with_players_in_place(database_env):
    """A minute or more: a dozen `manage.py` runs, three of them full migrations."""
    env = database_env

    # profiles on its own: every operation of its migrations reverses.
    manage("migrate", "profiles", "--noinput", env=env)
    assert "profiles_user" in django_json(TABLES, env)
    manage("migrate", "profiles", "zero", "--noinput", env=env)
    assert not [t for t in django_json(TABLES, env) if t.startswith("profiles_")]

    # The whole site, with a community in it.
    manage("migrate", "--noinput", env=env)
    manage("seed_demo", "--players", "10", env=env)
    seeded = snapshot(env)
    assert len(seeded["players"]) >= 10
    assert seeded["follows"] > 0
    assert seeded["root_type"] == "home.homepage"
    assert "news" in seeded["slugs"]

    # payouts to zero and back: the Moderators group keeps what others granted.
    granted = django_json(MODERATOR_PERMISSIONS, env)
    manage("migrate", "payouts", "zero", "--noinput", env=env)
    assert not [t for t in django_json(TABLES, env) if t.startswith("payouts_")]
    assert django_json(MODERATOR_PERMISSIONS, env) == [
        codename for codename in granted if not codename.endswith("_payoutclaim")
    ]
    manage("migrate", "--noinput", env=env)
    assert django_json(MODERATOR_PERMISSIONS, env) == granted

    # deletions to zero and back, likewise.
    manage("migrate", "deletions", "zero", "--noinput", env=env)
    assert not [t for t in django_json(TABLES, env) if t.startswith("deletions_")]
    assert django_json(MODERATOR_PERMISSIONS, env) == [
        codename for codename in granted if not codename.endswith("_deletionrequest")
    ]
    manage("migrate", "--noinput", env=env)
    assert django_json(MODERATOR_PERMISSIONS, env) == granted

    # home to zero: its pages go, Wagtail's welcome page returns, players stay.
    manage("migrate", "home", "zero", "--noinput", env=env)
    emptied = snapshot(env)
    assert emptied["players"] == seeded["players"]
    assert emptied["follows"] == seeded["follows"]
    assert emptied["home_pages"] == 0
    assert emptied["slugs"] == []
    assert emptied["root_type"] == "wagtailcore.page"
    assert emptied["tree_problems"] == [0, 0, 0, 0, 0]

    # And forward again: the home page is back at the root of the site.
    manage("migrate", "--noinput", env=env)
    restored = snapshot(env)
    assert restored["players"] == seeded["players"]
    assert restored["root_type"] == "home.homepage"
    assert restored["tree_problems"] == [0, 0, 0, 0, 0]

    # Seeding works again and brings the editorial pages back.
    manage("seed_demo", "--players", "10", env=env)
    reseeded = snapshot(env)
    assert reseeded["players"] == seeded["players"]
    assert reseeded["slugs"] == seeded["slugs"]
    assert reseeded["tree_problems"] == [0, 0, 0, 0, 0]

    # The schema is exactly what the models describe.
    manage("migrate", "--check", env=env)
    manage("makemigrations", "--check", "--dry-run", env=env)

    # profiles to zero unapplies every app built on the user model, all of
    # Wagtail included, and drops the players with it; forward again builds
    # an empty site that seeding fills as before.
    manage("migrate", "profiles", "zero", "--noinput", env=env)
    manage("migrate", "--noinput", env=env)
    rebuilt = snapshot(env)
    assert rebuilt["players"] == []
    assert rebuilt["root_type"] == "home.homepage"
    assert rebuilt["tree_problems"] == [0, 0, 0, 0, 0]
    manage("seed_demo", "--players", "10", env=env)
    repaired = snapshot(env)
    assert repaired["players"] == seeded["players"]
    assert repaired["slugs"] == seeded["slugs"]
    manage("migrate", "--check", env=env)
