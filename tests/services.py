"""Helpers for tests that drive the site through other processes.

`site/services.sh run` gives the suite a throwaway PostgreSQL server and Redis
server through DATABASE_URL, PG_SERVER_URL, PG_BINDIR and REDIS_URL; without
them the suite runs on SQLite and the PostgreSQL tests skip themselves.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://")


def on_postgres() -> bool:
    """True when the suite runs against PostgreSQL (under site/services.sh)."""
    return os.environ.get("DATABASE_URL", "").startswith(POSTGRES_SCHEMES)


needs_postgres = pytest.mark.skipif(
    not on_postgres() or not os.environ.get("PG_SERVER_URL"),
    reason="needs PostgreSQL: DATABASE_URL is not a postgres:// URL; run the "
    "suite under `site/services.sh run` (make test-postgres)",
)


def worker_number() -> int:
    """This pytest-xdist worker's number (gw3 is 3), or 0 without xdist."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def fresh_postgres_database(label: str) -> Iterator[str]:
    """An empty PostgreSQL database of its own, dropped afterwards; yields its URL."""
    import psycopg
    from psycopg import sql

    name = f"dc_{label}_gw{worker_number()}_{os.getpid()}"
    server = os.environ["PG_SERVER_URL"]

    def run(statement: str) -> None:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(name)))

    run("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    run("CREATE DATABASE {}")
    try:
        yield urlsplit(server)._replace(path=f"/{name}").geturl()
    finally:
        run("DROP DATABASE IF EXISTS {} WITH (FORCE)")


@contextmanager
def fresh_database(label: str, folder: Path) -> Iterator[str]:
    """An empty database on the engine the suite runs on; yields its URL.

    PostgreSQL under site/services.sh, otherwise a new SQLite file in `folder`.
    """
    if on_postgres():
        with fresh_postgres_database(label) as url:
            yield url
    else:
        yield f"sqlite:///{folder / f'{label}.db'}"


def command_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment for a management command run against `database_url`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "deltacrown.settings.test",
        "DATABASE_URL": database_url,
        # Each command is one process: a cache of its own is enough, and it
        # leaves the Redis databases of the suite's workers alone.
        "CACHE_URL": "locmemcache://commands",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def manage(
    *args: str, env: dict[str, str], check: bool = True, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run `manage.py ARGS` in a new process; failing, it fails the test."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} exited with {result.returncode}\n"
            f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"
        )
    return result


def django_json(script: str, env: dict[str, str], timeout: float = 120):
    """Run `script` in a new Django process; it sets `result`, which comes back as JSON.

    The script sees the database through the ORM exactly as the site would.
    """
    program = (
        "import json, django\n"
        "django.setup()\n"
        f"{script}\n"
        "print('RESULT:' + json.dumps(result, default=str))\n"
    )
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-c", program],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = [
        line for line in completed.stdout.splitlines() if line.startswith("RESULT:")
    ]
    if completed.returncode != 0 or not lines:
        pytest.fail(
            f"Django script failed with {completed.returncode}\n{script}\n"
            f"--- stdout\n{completed.stdout[-4000:]}\n"
            f"--- stderr\n{completed.stderr[-4000:]}"
        )
    return json.loads(lines[-1].removeprefix("RESULT:"))
