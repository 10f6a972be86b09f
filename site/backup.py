"""Back up and restore the database DATABASE_URL points at, as the settings read it.

    .venv/bin/python site/backup.py dump FILE [--force]
    .venv/bin/python site/backup.py restore FILE [--force]

PostgreSQL is dumped with pg_dump in its custom format and restored with
pg_restore in a single transaction, so a restore that fails half-way leaves the
database as it was. The client programs come from PG_BINDIR when it is set
(use the server's major version), otherwise from PATH. SQLite is copied with
SQLite's backup API, which gives a consistent copy while the site keeps
running, and restored the same way, in one transaction.

A dump never replaces an existing FILE, and a restore never writes over a
database that already has tables, unless --force is given. Nothing printed
repeats the password in DATABASE_URL.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
POSTGRES_ENGINES = {
    "django.db.backends.postgresql",
    "django.contrib.gis.db.backends.postgis",
}
SQLITE_ENGINES = {
    "django.db.backends.sqlite3",
    "django.contrib.gis.db.backends.spatialite",
}
ENGINE_NAMES = {"postgres": "a PostgreSQL", "sqlite": "an SQLite"}

MEDIA_HELP = """\
Uploaded media (avatars, images and documents) are files under MEDIA_ROOT, not
rows in the database; back them up beside each dump, for example:

    tar -czf media-$(date +%F).tar.gz -C {media_root} .

and restore them with: tar -xzf media-DATE.tar.gz -C {media_root}
"""


class BackupError(Exception):
    """A failure explained in one sentence for the operator."""


@dataclass
class Database:
    """Where the backup goes to or comes from: DATABASE_URL, read once."""

    kind: str  # "postgres" or "sqlite"
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""
    options: dict | None = None

    def describe(self) -> str:
        """The database in words, without its password."""
        if self.kind == "sqlite":
            return f"the SQLite database {self.name}"
        where = f"{self.host or 'localhost'}:{self.port or 5432}"
        return f"the PostgreSQL database {self.name} on {where}"


def environment() -> environ.Env:
    """The same reading of the environment as deltacrown/settings/base.py."""
    env = environ.Env()
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
    return env


def configured_database() -> Database:
    """The database the settings would use, from DATABASE_URL or the default."""
    env = environment()
    try:
        config = env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    except Exception:  # noqa: BLE001 - the message could repeat the URL
        raise BackupError(
            "DATABASE_URL is not a database URL this script can read; it takes "
            "postgres://user:password@host:port/name or sqlite:////path/to/file."
        ) from None

    engine = config.get("ENGINE", "")
    if engine in POSTGRES_ENGINES:
        return Database(
            kind="postgres",
            name=config["NAME"],
            host=str(config.get("HOST") or ""),
            port=str(config.get("PORT") or ""),
            user=config.get("USER") or "",
            password=config.get("PASSWORD") or "",
            options=config.get("OPTIONS") or {},
        )
    if engine in SQLITE_ENGINES:
        if config["NAME"] in ("", ":memory:"):
            raise BackupError(
                "DATABASE_URL names an in-memory SQLite database, which has "
                "nothing to back up."
            )
        return Database(kind="sqlite", name=str(config["NAME"]))
    raise BackupError(
        "Backups cover PostgreSQL and SQLite only, and DATABASE_URL names "
        f"another database engine ({engine or 'unknown'})."
    )


def media_root() -> str:
    return str(environment().path("MEDIA_ROOT", default=str(BASE_DIR / "media")))


# Files


def backup_kind(path: Path) -> str:
    """Which engine made the backup at ``path``, from its first bytes."""
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"Could not read {path}: {error.strerror}.") from None
    if head.startswith(PG_DUMP_MAGIC):
        return "postgres"
    if head == SQLITE_MAGIC:
        return "sqlite"
    raise BackupError(
        f"{path} is not a backup made by this script: it is neither a PostgreSQL "
        "custom-format dump nor an SQLite database. Nothing was changed."
    )


def partial_file_beside(path: Path) -> Path:
    """An empty file next to ``path`` to write into before moving it into place."""
    handle, partial = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
    )
    os.close(handle)
    return Path(partial)


# PostgreSQL


def pg_program(name: str) -> str:
    bindir = os.environ.get("PG_BINDIR", "")
    if bindir:
        candidate = Path(bindir) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
        raise BackupError(f"PG_BINDIR is set, but holds no {name} program.")
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found: install PostgreSQL's client programs or set "
            "PG_BINDIR to the folder that holds them (e.g. /usr/lib/postgresql/15/bin)."
        )
    return found


def pg_connection_string(database: Database) -> str:
    """A libpq connection string for ``database``, without its password."""
    import psycopg.conninfo
    import psycopg.pq

    known = {item.keyword.decode() for item in psycopg.pq.Conninfo.get_defaults()}
    # Django's own OPTIONS (pool, isolation level...) mean nothing to libpq.
    options = {
        key: value
        for key, value in (database.options or {}).items()
        if key in known and key != "password"
    }
    params = {
        "dbname": database.name,
        "host": database.host,
        "port": database.port,
        "user": database.user,
    }
    return psycopg.conninfo.make_conninfo(
        **{key: value for key, value in params.items() if value}, **options
    )


def run_pg_program(database: Database, args: list[str]) -> None:
    """Run a PostgreSQL client program; BackupError with its complaint on failure."""
    env = {**os.environ}
    env.pop("PGPASSWORD", None)
    if database.password:
        # Through the environment, never the command line that `ps` shows.
        env["PGPASSWORD"] = database.password
    result = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(redact(result.stderr.strip(), database) or "no message")


def redact(text: str, database: Database) -> str:
    if database.password:
        text = text.replace(database.password, "********")
    return text


def pg_table_count(database: Database) -> int:
    import psycopg

    try:
        with psycopg.connect(
            pg_connection_string(database), password=database.password or None
        ) as connection:
            row = connection.execute(
                "SELECT count(*) FROM pg_catalog.pg_tables "
                "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()
    except psycopg.Error as error:
        message = redact(str(error).strip().splitlines()[0], database)
        raise BackupError(
            f"Could not connect to {database.describe()}: {message}"
        ) from None
    return row[0]


def dump_postgres(database: Database, target: Path) -> None:
    pg_dump = pg_program("pg_dump")
    partial = partial_file_beside(target)
    try:
        run_pg_program(
            database,
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--file={partial}",
                f"--dbname={pg_connection_string(database)}",
            ],
        )
        os.replace(partial, target)
    except BackupError as error:
        raise BackupError(
            f"pg_dump could not dump {database.describe()}: {error}"
        ) from None
    finally:
        partial.unlink(missing_ok=True)


def restore_postgres(database: Database, source: Path, force: bool) -> None:
    pg_restore = pg_program("pg_restore")
    try:
        # Reads the table of contents: a foreign file, or one cut short, fails here.
        run_pg_program(database, [pg_restore, "--list", str(source)])
    except BackupError as error:
        raise BackupError(
            f"{source} is not a readable PostgreSQL dump ({error}). "
            "Nothing was changed."
        ) from None

    if pg_table_count(database) and not force:
        raise BackupError(
            f"{database.describe()} already has tables. Restore into an empty "
            "database, or add --force to replace what is there with the backup."
        )

    args = [
        pg_restore,
        "--single-transaction",
        "--no-owner",
        "--no-privileges",
        "--no-password",
        f"--dbname={pg_connection_string(database)}",
    ]
    if force:
        args += ["--clean", "--if-exists"]
    try:
        run_pg_program(database, [*args, str(source)])
    except BackupError as error:
        raise BackupError(
            f"The restore into {database.describe()} failed and was rolled back, "
            f"so the database is as it was. pg_restore said: {error}"
        ) from None


# SQLite


def sqlite_table_count(connection: sqlite3.Connection) -> int:
    row = connection.execute(
        "SELECT count(*) FROM sqlite_master "
        "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()
    return row[0]


def dump_sqlite(database: Database, target: Path) -> None:
    source_path = Path(database.name)
    if not source_path.is_file():
        raise BackupError(f"There is no SQLite database at {source_path} to dump.")
    partial = partial_file_beside(target)
    try:
        source = sqlite3.connect(source_path, timeout=20)
        copy = sqlite3.connect(partial)
        try:
            # One step: a consistent snapshot even while the site writes.
            source.backup(copy)
            # The copy stands alone, with no -wal file beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
            source.close()
        os.replace(partial, target)
    except sqlite3.Error as error:
        raise BackupError(f"Could not copy {database.describe()}: {error}.") from None
    finally:
        partial.unlink(missing_ok=True)


def open_sqlite_backup(source: Path) -> sqlite3.Connection:
    """The backup, read-only, once it has passed SQLite's integrity check."""
    try:
        backup = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        check = backup.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise sqlite3.DatabaseError("the integrity check found damage")
        tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error as error:
        raise BackupError(
            f"{source} is not a readable SQLite backup ({error}). Nothing was changed."
        ) from None
    if "django_migrations" not in tables:
        backup.close()
        raise BackupError(
            f"{source} is an SQLite database but not a backup of this site (it has "
            "no django_migrations table). Nothing was changed."
        )
    return backup


def restore_sqlite(database: Database, source: Path, force: bool) -> None:
    backup = open_sqlite_backup(source)
    target_path = Path(database.name)
    existed = target_path.exists()
    try:
        target = sqlite3.connect(target_path, timeout=20)
    except sqlite3.Error as error:
        backup.close()
        raise BackupError(f"Could not open {database.describe()}: {error}.") from None
    try:
        if sqlite_table_count(target) and not force:
            raise BackupError(
                f"{database.describe()} already has tables. Restore into a new "
                "file, or add --force to replace what is there with the backup."
            )
        # The backup API writes the whole copy in one transaction: readers see
        # the old database or the restored one, never a mix.
        backup.backup(target)
    except sqlite3.Error as error:
        raise BackupError(
            f"The restore into {database.describe()} failed and was rolled back, "
            f"so the database is as it was: {error}."
        ) from None
    finally:
        target.close()
        backup.close()
        if not existed and target_path.exists() and target_path.stat().st_size == 0:
            target_path.unlink()


# Commands


def dump(target: Path, force: bool) -> str:
    database = configured_database()
    if target.exists() and not force:
        raise BackupError(
            f"{target} already exists. Choose a new file name, or add --force to "
            "replace it."
        )
    # A first backup goes into a folder of its own, made here.
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(
            f"Cannot make the folder {target.parent} for the dump: {error.strerror}."
        ) from None
    if database.kind == "postgres":
        dump_postgres(database, target)
    else:
        dump_sqlite(database, target)
    size = target.stat().st_size
    return f"Dumped {database.describe()} to {target} ({size:,} bytes)."


def restore(source: Path, force: bool) -> str:
    database = configured_database()
    kind = backup_kind(source)
    if kind != database.kind:
        raise BackupError(
            f"{source} is {ENGINE_NAMES[kind]} backup, but DATABASE_URL points "
            f"at {database.describe()}; restore it into {ENGINE_NAMES[kind]} "
            "database. Nothing was changed."
        )
    if kind == "postgres":
        restore_postgres(database, source, force)
    else:
        restore_sqlite(database, source, force)
    return f"Restored {source} into {database.describe()}."


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="site/backup.py",
        description=(
            "Dump or restore the database DATABASE_URL points at (PostgreSQL or "
            "SQLite), read the way the site's settings read it."
        ),
        epilog=MEDIA_HELP.format(media_root=media_root()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = main.add_subparsers(dest="command", required=True)
    dump_command = commands.add_parser(
        "dump", help="write a backup of the database to FILE"
    )
    dump_command.add_argument("file", type=Path, metavar="FILE")
    dump_command.add_argument(
        "--force", action="store_true", help="replace FILE if it exists"
    )
    restore_command = commands.add_parser(
        "restore",
        help="load a backup from FILE into the database",
        description=(
            "Load FILE into the database. Stop the site first: the restore "
            "replaces the data under it."
        ),
    )
    restore_command.add_argument("file", type=Path, metavar="FILE")
    restore_command.add_argument(
        "--force",
        action="store_true",
        help="replace a database that already has tables",
    )
    return main


def main(argv: list[str] | None = None) -> int:
    try:
        options = parser().parse_args(argv)
        action = dump if options.command == "dump" else restore
        print(action(options.file, options.force))
    except BackupError as error:
        print(f"backup: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
