"""The shared cache of what each kind of viewer sees of a profile.

An entry holds the part of a profile page that depends only on the profile and
the viewer's role (counts and sections), never anything about one viewer. Its
key names the profile, the role, whether a block stands between them, the
page of matches and its privacy settings as they stand; it is served only
while the profile's version it was built under is the current one
(deltacrown.versioned_cache), so:

- a change bumps the profile's version and every entry for it is forgotten;
- a privacy change reaches the next request even when no signal ran (a bulk
  ``update()``) or the bump was lost, since the settings are part of the key;
- a viewer of one role can never be served an entry built for another.

The cache is a convenience: when it fails, the page is built from the
database and the failure is logged.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import transaction

from deltacrown import versioned_cache

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Entries outlive no change (every change bumps the version); the timeout only
# bounds how long a change whose bump was lost could stay unseen.
ENTRY_TIMEOUT = 10 * 60
VERSION_TIMEOUT = 24 * 60 * 60


# One version for every profile at once: bumped when something many profiles
# show changes (a game, team or achievement in the catalogue), or after bulk
# writes that sent no signals.
SHARED_VERSION_KEY = "profile-page:version:all"


def _version_key(profile_id: int) -> str:
    return f"profile-page:version:{profile_id}"


def bump(profile_ids: Iterable[int | None]) -> None:
    """Forget every cached view of these profiles, now and once committed.

    Bumping again after the commit closes the window in which a request could
    read the new version but the old rows and cache them under it.
    """
    ids = {pk for pk in profile_ids if pk}
    if not ids:
        return
    _bump(ids)
    transaction.on_commit(lambda: _bump(ids))


def bump_all() -> None:
    """Forget every cached view of every profile."""
    _bump_keys([SHARED_VERSION_KEY])
    transaction.on_commit(lambda: _bump_keys([SHARED_VERSION_KEY]))


def _bump(profile_ids: set[int]) -> None:
    _bump_keys([_version_key(pk) for pk in profile_ids])


def _bump_keys(names: list[str]) -> None:
    try:
        versioned_cache.bump(names, VERSION_TIMEOUT)
    except Exception:
        logger.exception("Profile cache version not bumped profiles=%s", len(names))


def cached(
    profile_id: int,
    parts: tuple,
    build: Callable[[], T],
    *,
    also_versions: tuple[str, ...] = (),
) -> T:
    """The entry for this profile and key parts, built and stored when missing.

    None from ``build`` is passed on but not stored. ``also_versions`` names
    other versions the entry depends on (a whole page shows the site
    settings), read in the same round trip.
    """
    return _cached(
        [_version_key(profile_id), SHARED_VERSION_KEY, *also_versions],
        f"profile-page:{profile_id}",
        parts,
        build,
    )


def cached_catalogue(name: str, build: Callable[[], T]) -> T:
    """A catalogue every page shares (the games), until the catalogue changes."""
    return _cached([SHARED_VERSION_KEY], f"catalogue:{name}", (), build)


def _cached(version_names: list[str], prefix: str, parts: tuple, build):
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return versioned_cache.get_or_build(
        version_names,
        f"{prefix}:{digest}",
        build,
        timeout=ENTRY_TIMEOUT,
        version_timeout=VERSION_TIMEOUT,
        what="Profile",
    )
