"""How players are found: site search and the sitemap, through the one door.

A player is listed only where the viewer would get the full profile, and
only when the player lets search list them. Results are plain values built
from the privacy decision; they hold the name card and nothing of a section.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from wagtail.search.backends import get_search_backends

from . import privacy
from .models import Block, Follow, Profile, ProfileVisibility
from .privacy import Access, Relationship, Role
from .profile_page import name_card
from .search_text import searchable

SEARCH_LIMIT = 20
MAX_QUERY_LENGTH = 100


def _listable() -> QuerySet[Profile]:
    """Profiles whose players let search list them; what else applies is per viewer."""
    return (
        Profile.objects.filter(user__is_active=True, privacy__searchable=True)
        .exclude(privacy__profile_visibility=ProfileVisibility.HIDDEN)
        .select_related("user", "privacy")
    )


def search_players(query: str, viewer, *, limit: int = SEARCH_LIMIT) -> list[dict]:
    """Name cards of players matching the query whom this viewer may find.

    Wagtail search matches the words of a display name or username, the last
    word as a prefix ("rak" finds Rakib). The privacy door narrows the query
    before it runs: a match is dropped unless the viewer would get the full
    profile, and players on either side of a block never appear.
    """
    query = search_text(query)
    if not query:
        return []

    profiles = _listable()
    signed_in = viewer is not None and viewer.is_authenticated
    if signed_in:
        # Written as id lookups: the search backend filters on index fields only.
        profiles = profiles.exclude(
            pk__in=Block.objects.filter(blocked__user_id=viewer.pk).values("blocker")
        ).exclude(
            pk__in=Block.objects.filter(blocker__user_id=viewer.pk).values("blocked")
        )
    # Fetch a few more than shown: some matches may be locked for this viewer.
    matches = profiles.autocomplete(query, operator="and")
    candidates = list(matches[: limit * 3])

    followed = set()
    if signed_in and candidates:
        followed = set(
            Follow.objects.filter(
                follower__user_id=viewer.pk,
                followee__in=[profile.pk for profile in candidates],
                status=Follow.Status.ACCEPTED,
            ).values_list("followee_id", flat=True)
        )

    cards = []
    for profile in candidates:
        relation = _relation(profile, viewer, signed_in, followed)
        access = privacy.profile_access(profile, relation)
        if access is Access.FULL:
            cards.append(
                name_card(
                    profile,
                    level=profile.level if access is Access.FULL else None,
                )
            )
        if len(cards) == limit:
            break
    return cards


def clean_query(query: str) -> str:
    """What a search box sent, as words only: one space apart, bounded.

    Double quotes delimit terms in SQLite's full-text syntax and a NUL ends
    its strings; a stray one would be a syntax error, so they and every other
    control character go.
    """
    text = "".join(
        " " if char == '"' or unicodedata.category(char) in ("Cc", "Cf", "Cs") else char
        for char in query
    )
    words = " ".join(text.split())
    return words[:MAX_QUERY_LENGTH].strip()


def search_text(query: str) -> str:
    """The query as the profile index is searched: Bangla spelled as indexed."""
    return searchable(clean_query(query))


def reindex_profiles(profile_ids: Iterable[int], *, chunk_size: int = 500) -> int:
    """Bring the search text of these profiles up to date, in bulk; how many.

    Saving a profile re-indexes it through Wagtail's signal handlers; this is
    for rows written without save() (bulk_create, update()).
    """
    ids = list(profile_ids)
    backends = list(get_search_backends(with_auto_update=True))
    for start in range(0, len(ids), chunk_size):
        objects = list(
            Profile.get_indexed_objects().filter(pk__in=ids[start : start + chunk_size])
        )
        for backend in backends:
            backend.add_bulk(Profile, objects)
    return len(ids)


def _relation(profile: Profile, viewer, signed_in: bool, followed: set) -> Relationship:
    """The viewer's relationship, from what the search already fetched.

    Blocked pairs were filtered out in the query, so none is blocked here.
    """
    if not signed_in:
        return Relationship(Role.ANONYMOUS)
    if viewer.pk == profile.user_id:
        return Relationship(Role.OWNER)
    if profile.pk in followed:
        return Relationship(Role.FOLLOWER, follow_status=Follow.Status.ACCEPTED)
    return Relationship(Role.MEMBER)


def sitemap_profiles() -> list[dict]:
    """Profiles a search engine may list: public to anyone and searchable."""
    anonymous = Relationship(Role.ANONYMOUS)
    return [
        {"url": profile.get_absolute_url()}
        for profile in _listable()
        .filter(privacy__profile_visibility=ProfileVisibility.PUBLIC)
        .order_by("slug")
        if privacy.profile_access(profile, anonymous) is Access.FULL
    ]


class PlayerSitemap(Sitemap):
    """The sitemap section of player profiles."""

    changefreq = "weekly"
    priority = 0.5

    def items(self) -> list[dict]:
        return sitemap_profiles()

    def location(self, item: dict) -> str:
        return item["url"]
