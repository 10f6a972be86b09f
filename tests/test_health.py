"""/healthz and /readyz: what load balancers see, and what operators do not."""

import logging
import socket
from contextlib import contextmanager
from http import HTTPStatus

from django.db import connection
from django.test import Client

import pytest

from deltacrown import health


@pytest.fixture
def closed_port():
    """A local TCP port that refuses connections: bound, never listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@contextmanager
def database_unreachable(port: int, tmp_path):
    """Point the real connection at a database that cannot be opened, then mend it."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "missing" / "db.sqlite3")
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(port))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.fixture(autouse=True)
def _readiness_last_seen_healthy(monkeypatch):
    """Each test starts from a process whose last readiness check passed."""
    monkeypatch.setattr(health, "_failing", frozenset())


@pytest.fixture
def broken_cache(settings, closed_port):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        }
    }


def probe(path: str):
    return Client().get(path)


def assert_probe_answer(response) -> None:
    """Never stored by a cache, and nothing a person should not see."""
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"
    assert "Traceback" not in response.content.decode()


def test_healthz_answers_without_touching_the_database(caplog):
    with caplog.at_level(logging.DEBUG):
        response = probe("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}
    assert_probe_answer(response)
    assert caplog.records == []


@pytest.mark.django_db
def test_readyz_answers_when_database_and_cache_do(caplog):
    probe("/readyz")  # any earlier failure is now over

    with caplog.at_level(logging.DEBUG):
        responses = [probe("/readyz") for _ in range(3)]

    for response in responses:
        assert response.status_code == HTTPStatus.OK
        assert response.json() == {
            "status": "ok",
            "checks": {"database": "ok", "cache": "ok"},
        }
        assert_probe_answer(response)
    assert [r for r in caplog.records if r.name != "django.db.backends"] == []


@pytest.mark.slow  # a transactional database: the connection is closed for real
@pytest.mark.django_db(transaction=True)
def test_readyz_names_a_database_that_does_not_answer(caplog, closed_port, tmp_path):
    with caplog.at_level(logging.INFO):
        with database_unreachable(closed_port, tmp_path):
            responses = [probe("/readyz") for _ in range(3)]
        mended = probe("/readyz")

    for response in responses:
        assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
        assert response.json() == {
            "status": "unavailable",
            "checks": {"database": "unavailable", "cache": "ok"},
            "failed": ["database"],
        }
        assert_probe_answer(response)
        assert str(tmp_path) not in response.content.decode()
    assert mended.status_code == HTTPStatus.OK
    # A line when it starts failing and one when it recovers, not one per probe;
    # Django's own "Service Unavailable" error line is not written at all.
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        (
            "WARNING",
            "Readiness check failing component=database error=OperationalError",
        ),
        ("INFO", "Readiness check passing again component=database"),
    ]


@pytest.mark.slow  # the Redis client retries a refused connection for ~0.3 s
@pytest.mark.django_db
def test_readyz_names_a_cache_that_does_not_answer(caplog, broken_cache, closed_port):
    with caplog.at_level(logging.INFO):
        responses = [probe("/readyz") for _ in range(2)]

    for response in responses:
        assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
        assert response.json() == {
            "status": "unavailable",
            "checks": {"database": "ok", "cache": "unavailable"},
            "failed": ["cache"],
        }
        assert_probe_answer(response)
        assert str(closed_port) not in response.content.decode()
    assert [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.WARNING
    ] == ["Readiness check failing component=cache error=ConnectionError"]
