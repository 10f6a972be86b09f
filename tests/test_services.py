"""The suite runs against the database and cache it is pointed at, never a fallback.

`make test` runs everything twice: on SQLite with the in-memory cache, then with
DATABASE_URL and CACHE_URL pointing at the throwaway PostgreSQL and Redis servers
that site/services.sh starts.
"""

import os

from django.core.cache import cache
from django.db import connection

import pytest
import redis


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
