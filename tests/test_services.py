"""The suite runs against the database and cache it is pointed at, never a fallback.

`make test` runs everything twice: on SQLite with the in-memory cache, then with
DATABASE_URL and CACHE_URL pointing at the throwaway PostgreSQL and Redis servers
that site/services.sh starts.
"""

import os
import time

from django.core.cache import cache
from django.db import connection

import psycopg
import pytest
import redis

from tests.services import needs_postgres


def test_the_database_is_the_one_database_url_names(db):
    url = os.environ.get("DATABASE_URL", "")
    on_postgres = url.startswith(("postgres://", "postgresql://"))
    expected = "postgresql" if on_postgres else "sqlite"
    assert connection.vendor == expected
    if expected == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            assert int(cursor.fetchone()[0]) // 10000 == 15


@pytest.mark.skipif(
    not os.environ.get("CACHE_URL", "").startswith("redis://"),
    reason="CACHE_URL names no Redis server (the SQLite run uses the in-memory cache)",
)
def test_the_cache_is_the_redis_server_cache_url_names():
    cache.set("services-probe", "kept in redis", timeout=30)
    server = redis.Redis.from_url(cache._cache._servers[0])
    stored = list(server.scan_iter("*services-probe*"))
    assert stored, "the value was not written to the Redis server"
    assert cache.get("services-probe") == "kept in redis"


@pytest.mark.skipif(
    not os.environ.get("CACHE_URL", "").startswith("redis://"),
    reason="CACHE_URL names no Redis server (the SQLite run uses the in-memory cache)",
)
def test_the_redis_cache_answers_through_one_client_and_reconnects():
    cache.set("services-probe", "first", timeout=30)
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    # The server drops every connection (a restart, say); the next calls
    # open new ones through the same client.
    server = redis.Redis.from_url(cache._cache._servers[0])
    server.client_kill_filter(_type="normal", skipme=True)
    cache.set("services-probe", "second", timeout=30)
    assert cache.get("services-probe") == "second"


def test_incr_adds_to_a_key_that_exists_and_refuses_one_that_does_not():
    cache.set("services-count", 5, timeout=30)
    assert cache.incr("services-count") == 6
    assert cache.incr("services-count", 10) == 16
    assert cache.get("services-count") == 16

    with pytest.raises(ValueError, match="not found"):
        cache.incr("services-missing")
    assert cache.get("services-missing") is None


@pytest.mark.skipif(
    not os.environ.get("CACHE_URL", "").startswith("redis://"),
    reason="CACHE_URL names no Redis server (the SQLite run uses the in-memory cache)",
)
def test_incr_on_redis_keeps_the_keys_expiry():
    cache.set("services-count", 1, timeout=30)
    cache.incr("services-count")
    server = redis.Redis.from_url(cache._cache._servers[0])
    assert 0 < server.ttl(cache.make_key("services-count")) <= 30


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_database_connection_the_server_closed_is_replaced_before_the_next_query():
    connection.ensure_connection()
    assert connection.is_usable()
    backend_pid = connection.connection.info.backend_pid
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not connection.is_usable()

    # What Django does at the start of each request with health checks on.
    connection.health_check_enabled = True
    connection.health_check_done = False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != backend_pid
