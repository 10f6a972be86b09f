"""site/backup.py: dumps of the suite's database restore into a fresh one intact.

The dumps are taken from the database the suite runs on (SQLite, or PostgreSQL
under site/services.sh), with players committed to it, by the script running as
an operator would run it. Every test starts that script in a process of its
own, hence the slow mark.
"""

import contextlib
import os
import sqlite3
import subprocess
import sys
from urllib.parse import urlsplit

from django.db import connection

import pytest

from profiles.models import Follow, User
from tests.factories import UserFactory
from tests.services import (
    BASE_DIR,
    command_env,
    django_json,
    free_port,
    fresh_database,
    fresh_postgres_database,
    needs_postgres,
)

pytestmark = pytest.mark.slow

PLAYERS = """
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from profiles.models import Follow, User

executor = MigrationExecutor(connection)
result = {
    "players": {
        user.username: user.profile.bio
        for user in User.objects.select_related("profile")
    },
    "follows": sorted(
        [f.follower.user.username, f.followee.user.username, f.status]
        for f in Follow.objects.select_related("follower__user", "followee__user")
    ),
    "unapplied": len(executor.migration_plan(executor.loader.graph.leaf_nodes())),
}
"""


def suite_database_url() -> str:
    """The URL of the database this test process is using right now."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def backup(*args, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "site/backup.py", *map(str, args)],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def tables_in(database_url: str) -> list[str]:
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///")
        if not os.path.exists(path):
            return []
        with contextlib.closing(sqlite3.connect(path)) as conn:
            query = "SELECT name FROM sqlite_master WHERE type = 'table'"
            return [row[0] for row in conn.execute(query)]

    import psycopg

    with psycopg.connect(database_url) as conn:
        query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        return [row[0] for row in conn.execute(query)]


@pytest.fixture
def community(transactional_db):
    """Two players, one following the other, committed for other processes to see."""
    rakib = UserFactory(username="Rakib")
    rakib.profile.bio = "Valorant IGL from Chattogram."
    rakib.profile.save()
    mim = UserFactory(username="mim")
    Follow.objects.create(follower=mim.profile, followee=rakib.profile)
    return [rakib, mim]


@pytest.fixture
def dump_file(community, tmp_path):
    path = tmp_path / "deltacrown.dump"
    result = backup("dump", path, database_url=suite_database_url())
    assert result.returncode == 0, result.stderr
    return path


def test_a_dump_restores_into_a_fresh_database_with_the_same_players(
    dump_file, tmp_path
):
    with fresh_database("restored", tmp_path) as restored:
        result = backup("restore", dump_file, database_url=restored)

        assert result.returncode == 0, result.stderr
        assert "Restored" in result.stdout
        found = django_json(PLAYERS, command_env(restored))

    assert found["players"]["Rakib"] == "Valorant IGL from Chattogram."
    assert "mim" in found["players"]
    assert found["follows"] == [["mim", "Rakib", Follow.Status.ACCEPTED]]
    # The migration history came along: the site runs on the copy as it is.
    assert found["unapplied"] == 0


def test_restore_refuses_a_database_that_has_data(dump_file):
    UserFactory(username="latecomer")

    result = backup("restore", dump_file, database_url=suite_database_url())

    assert result.returncode == 1
    assert "already has tables" in result.stderr
    assert "--force" in result.stderr
    assert User.objects.filter(username="latecomer").exists()


def test_restore_with_force_puts_the_backup_over_newer_data(dump_file, tmp_path):
    with fresh_database("forced", tmp_path) as restored:
        assert backup("restore", dump_file, database_url=restored).returncode == 0
        django_json(
            "from profiles.models import User\n"
            "result = User.objects.filter(username='mim').delete()[0]",
            command_env(restored),
        )

        result = backup("restore", "--force", dump_file, database_url=restored)

        assert result.returncode == 0, result.stderr
        found = django_json(PLAYERS, command_env(restored))
    assert {"Rakib", "mim"} <= set(found["players"])
    assert found["follows"] == [["mim", "Rakib", Follow.Status.ACCEPTED]]


@pytest.mark.parametrize("damage", ["missing", "garbage", "cut in half"])
def test_restore_of_a_missing_or_damaged_file_fails_and_changes_nothing(
    dump_file, tmp_path, damage
):
    bad = tmp_path / "bad.dump"
    if damage == "garbage":
        bad.write_bytes(b"\x00\x01 definitely not a database " * 200)
    elif damage == "cut in half":
        whole = dump_file.read_bytes()
        bad.write_bytes(whole[: len(whole) // 2])

    with fresh_database("untouched", tmp_path) as target:
        result = backup("restore", bad, database_url=target)

        assert result.returncode == 1
        assert result.stderr.startswith("backup: ")
        assert str(bad) in result.stderr
        assert "Traceback" not in result.stderr
        assert tables_in(target) == []


@needs_postgres
def test_a_postgres_restore_that_fails_part_way_leaves_nothing_behind(dump_file):
    import psycopg

    with fresh_postgres_database("partway") as target:
        # A view (not a table, so the database counts as empty) named like one
        # of the dump's tables: pg_restore creates others before it meets it.
        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute("CREATE VIEW profiles_user AS SELECT 1 AS id")

        result = backup("restore", dump_file, database_url=target)

        assert result.returncode == 1
        assert "rolled back" in result.stderr
        assert tables_in(target) == []


def test_restore_refuses_a_backup_of_the_other_engine(tmp_path):
    sqlite_backup = tmp_path / "site.sqlite3"
    with contextlib.closing(sqlite3.connect(sqlite_backup)) as made:
        made.execute("CREATE TABLE django_migrations (id integer)")
    postgres_backup = tmp_path / "site.dump"
    postgres_backup.write_bytes(b"PGDMP" + bytes(200))  # pg_dump's custom format
    nowhere = f"postgres://deltacrown:s3cret-pw@127.0.0.1:{free_port()}/nowhere"
    sqlite_target = tmp_path / "target.sqlite3"

    into_postgres = backup("restore", sqlite_backup, database_url=nowhere)
    into_sqlite = backup(
        "restore", postgres_backup, database_url=f"sqlite:///{sqlite_target}"
    )

    assert into_postgres.returncode == 1
    assert "is an SQLite backup, but DATABASE_URL points at the PostgreSQL" in (
        into_postgres.stderr
    )
    assert "s3cret-pw" not in into_postgres.stdout + into_postgres.stderr
    assert into_sqlite.returncode == 1
    assert "is a PostgreSQL backup, but DATABASE_URL points at the SQLite" in (
        into_sqlite.stderr
    )
    assert not sqlite_target.exists()


def test_a_failed_dump_says_why_without_the_password(tmp_path):
    unreachable = f"postgres://deltacrown:s3cret-pw@127.0.0.1:{free_port()}/site"

    result = backup("dump", tmp_path / "site.dump", database_url=unreachable)

    assert result.returncode == 1
    assert result.stderr.startswith("backup: ")
    assert "s3cret-pw" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


def test_dump_never_writes_over_an_existing_file(tmp_path):
    earlier = tmp_path / "monday.dump"
    earlier.write_bytes(b"Monday's backup")

    result = backup("dump", earlier, database_url=f"sqlite:///{tmp_path / 'x.db'}")

    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert earlier.read_bytes() == b"Monday's backup"


def test_help_says_how_to_back_up_uploaded_media(tmp_path):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "site/backup.py", "--help"],
        cwd=BASE_DIR,
        env={**os.environ, "MEDIA_ROOT": str(tmp_path / "uploads")},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0
    assert "MEDIA_ROOT" in result.stdout
    assert f"tar -czf media-$(date +%F).tar.gz -C {tmp_path / 'uploads'}" in (
        result.stdout
    )
