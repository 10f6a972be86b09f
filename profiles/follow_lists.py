"""Who follows whom, as one viewer may see it, in a fixed number of queries.

The followers and following lists, and the owner's pending follow requests,
reach templates only through these functions. They decide through
profiles.privacy and return plain values, never model instances.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from . import privacy
from .companions import companion
from .models import Follow, Profile, ProfileVisibility
from .privacy import Access, Relationship
from .profile_page import name_card

PAGE_SIZE = 20

# For each list: the side of a follow it shows, the profile's side, its audience.
KINDS = {
    "followers": ("follower", "followee", "followers_list"),
    "following": ("followee", "follower", "following_list"),
}

TITLES = {"followers": "Followers", "following": "Following"}


@dataclass
class FollowList:
    """One page of a player's followers or following, or its lock."""

    kind: str
    access: Access
    relation: Relationship
    owner: dict = field(default_factory=dict)
    visible: bool = False
    lock_text: str = ""
    entries: list[dict] = field(default_factory=list)
    page: int = 1
    next_page: int | None = None
    previous_page: int | None = None

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def is_owner(self) -> bool:
        return self.relation.is_owner


def build_follow_list(
    profile: Profile, viewer, kind: str, *, page: int = 1
) -> FollowList:
    """One page of the profile's followers or following, as this viewer may see it."""
    side, own_side, audience_field = KINDS[kind]
    relation = privacy.relationship(profile, viewer)
    access = privacy.profile_access(profile, relation)
    result = FollowList(kind=kind, access=access, relation=relation, page=page)
    if access is not Access.FULL:
        return result

    result.owner = name_card(profile)
    audience = companion(profile, "privacy").audience_for(audience_field)
    result.visible = privacy.reaches(relation, audience)
    if not result.visible:
        result.lock_text = privacy.lock_text(audience)
        return result

    rows = Follow.objects.filter(status=Follow.Status.ACCEPTED, **{own_side: profile})
    rows = _listable(rows, side, viewer, owner=relation.is_owner)
    _fill_page(result, rows.select_related(f"{side}__user"), side)
    return result


def pending_request_count(user) -> int:
    """How many players wait for this signed-in user to accept them; one query."""
    if user is None or not user.is_authenticated:
        return 0
    return _pending(user).count()


def pending_requests_queryset(user) -> QuerySet:
    """The follow requests waiting for this signed-in user, as the lists count them."""
    return _pending(user)


def pending_requests(user, *, page: int = 1) -> FollowList:
    """One page of the follow requests waiting for this signed-in user."""
    result = FollowList(
        kind="followers",
        access=Access.FULL,
        relation=Relationship(privacy.Role.OWNER),
        visible=True,
        page=page,
    )
    _fill_page(result, _pending(user).select_related("follower__user"), "follower")
    return result


def _pending(user) -> QuerySet:
    rows = Follow.objects.filter(
        followee__user_id=user.pk, status=Follow.Status.PENDING
    )
    return _listable(rows, "follower", user, owner=True)


def _listable(rows: QuerySet, side: str, viewer, *, owner: bool = False) -> QuerySet:
    """Leave out players who are inactive, hidden, or on either side of a block.

    The owner of the list still sees hidden players: whoever follows them, or
    asks to, must be someone they can see, accept, decline and remove.
    """
    rows = rows.filter(**{f"{side}__user__is_active": True})
    if not owner:
        rows = rows.exclude(
            **{f"{side}__privacy__profile_visibility": ProfileVisibility.HIDDEN}
        )
    if viewer is not None and viewer.is_authenticated:
        rows = rows.exclude(
            Q(**{f"{side}__blocks_made__blocked__user_id": viewer.pk})
            | Q(**{f"{side}__blocks_received__blocker__user_id": viewer.pk})
        )
    return rows


def _fill_page(result: FollowList, rows: QuerySet, side: str) -> None:
    start = (result.page - 1) * PAGE_SIZE
    # One extra row says whether a next page exists without counting them all.
    window = list(rows.order_by("-created_at", "-pk")[start : start + PAGE_SIZE + 1])
    result.entries = [
        name_card(getattr(row, side), since=row.created_at)
        for row in window[:PAGE_SIZE]
    ]
    result.next_page = result.page + 1 if len(window) > PAGE_SIZE else None
    result.previous_page = result.page - 1 if result.page > 1 else None
