"""Cache entries that count only while the versions they were built under stand.

A version is a short random string under its own key; a change sets a new
one. An entry holds the versions it was built under beside its value, and is
keyed by what it is, not by the versions, so a hit is one round trip (the
versions and the entry read together) and a change replaces the entry in
place instead of leaving the old one to expire.

The cache is a convenience: when it fails, the value is built from the
database and the failure is logged under the caller's name for what it holds.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

logger = logging.getLogger(__name__)

T = TypeVar("T")


def new_version() -> str:
    return uuid.uuid4().hex[:12]


def bump(version_names: list[str], timeout: int | None) -> None:
    """Set new versions: every entry built under the old ones is forgotten."""
    cache.set_many({name: new_version() for name in version_names}, timeout)


def get_or_build(
    version_names: list[str],
    key: str,
    build: Callable[[], T | None],
    *,
    timeout: int,
    version_timeout: int | None,
    what: str,
) -> T | None:
    """The entry under ``key`` if built under the current versions, else build().

    A value of None from ``build`` is returned but not stored (the builder
    found nothing it may share). ``what`` names the cache in log lines.
    """
    try:
        found = cache.get_many([*version_names, key])
        for name in version_names:
            if name not in found:
                # add() keeps a version another process set meanwhile.
                cache.add(name, new_version(), version_timeout)
                found[name] = cache.get(name)
        versions = tuple(found[name] for name in version_names)
    except Exception:
        logger.warning("%s cache unavailable, built from the database", what)
        return build()

    entry = found.get(key)
    if entry is not None and entry[0] == versions:
        return entry[1]
    value = build()
    if value is None:
        return None
    try:
        cache.set(key, (versions, value), timeout)
    except Exception:
        logger.warning("%s cache unavailable, not stored", what)
    return value
