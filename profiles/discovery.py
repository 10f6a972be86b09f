"""How players are found: site search and the sitemap, through the one door.

A player is listed only where the viewer would get the full profile, and
only when the player lets search list them. Results are plain values built
from the privacy decision; they hold the name card and nothing of a section.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Q, QuerySet

from . import privacy
from .models import Follow, Profile, ProfileVisibility
from .privacy import Access, Relationship, Role

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

    A name or username matches; a match is dropped unless the viewer would get
    the full profile, and players on either side of a block never appear.
    """
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return []

    profiles = _listable().filter(
        Q(user__username__icontains=query) | Q(display_name__icontains=query)
    )
    signed_in = viewer is not None and viewer.is_authenticated
    if signed_in:
        profiles = profiles.exclude(
            Q(blocks_made__blocked__user_id=viewer.pk)
            | Q(blocks_received__blocker__user_id=viewer.pk)
        )
    # Fetch a few more than shown: some matches may be locked for this viewer.
    candidates = list(profiles.order_by("slug")[: limit * 3])

    followed = set()
    if signed_in and candidates:
        followed = set(
            Follow.objects.filter(
                follower__user_id=viewer.pk,
                followee__in=candidates,
                status=Follow.Status.ACCEPTED,
            ).values_list("followee_id", flat=True)
        )

    cards = []
    for profile in candidates:
        relation = _relation(profile, viewer, signed_in, followed)
        access = privacy.profile_access(profile, relation)
        if access is Access.FULL:
            cards.append(_card(profile, access))
        if len(cards) == limit:
            break
    return cards


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


def _card(profile: Profile, access: Access) -> dict:
    full = access is Access.FULL
    return {
        "username": profile.user.username,
        "display_name": profile.display_name,
        "initials": profile.initials,
        "avatar_url": profile.avatar.url if profile.avatar else "",
        "level": profile.level if full else None,
        "url": profile.get_absolute_url(),
    }


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
