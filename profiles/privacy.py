"""Who is looking, and what they may see: the one place privacy is decided.

Every piece of profile data that leaves the server is filtered by the rules
here, through profiles.profile_page. Templates and endpoints never decide.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery

from .companions import companion
from .models import Audience, Block, Follow, Profile, ProfileVisibility

logger = logging.getLogger(__name__)


class Role(enum.IntEnum):
    """How close a viewer is to a profile, from least to most trusted."""

    ANONYMOUS = 0
    MEMBER = 1
    FOLLOWER = 2
    OWNER = 3


class Access(enum.Enum):
    """How much of a profile a viewer gets."""

    FULL = "full"  # every section the viewer's role reaches
    LOCKED = "locked"  # name, avatar and a lock saying who can see more
    NOT_FOUND = "not_found"  # answered exactly like a username that does not exist


AUDIENCE_ROLE = {
    Audience.PUBLIC: Role.ANONYMOUS,
    Audience.MEMBERS: Role.MEMBER,
    Audience.FOLLOWERS: Role.FOLLOWER,
    Audience.ONLY_ME: Role.OWNER,
}

VISIBILITY_ROLE = {
    ProfileVisibility.PUBLIC: Role.ANONYMOUS,
    ProfileVisibility.MEMBERS: Role.MEMBER,
    ProfileVisibility.FOLLOWERS: Role.FOLLOWER,
    ProfileVisibility.HIDDEN: Role.OWNER,
}

LOCK_TEXT = {
    Audience.PUBLIC: "Visible to everyone",
    Audience.MEMBERS: "Only signed-in members can see this",
    Audience.FOLLOWERS: "Only followers can see this",
    Audience.ONLY_ME: "Only the player can see this",
}


@dataclass(frozen=True)
class Relationship:
    """What the viewer is to the profile: role, block, and their follow if any."""

    role: Role
    blocked: bool = False  # either side has blocked the other
    follow_status: str | None = None
    blocking: bool = False  # the viewer is the one who blocked

    @property
    def is_owner(self) -> bool:
        return self.role is Role.OWNER


RELATIONSHIP_FIELDS = ("viewer_follow_status", "viewer_blocking", "viewer_blocked_by")


def relationship_annotations(viewer) -> dict:
    """Annotations that read a signed-in viewer's relationship to each profile."""
    # The viewer's profile comes with their account (profiles.auth_backends),
    # which spares each subquery a join to find it.
    mine = getattr(viewer, "profile", None)
    if mine is not None:
        return relationship_annotations_of_profile(mine.pk)
    return _relationship_annotations(
        me={"follower__user_id": viewer.pk},
        blocker={"blocker__user_id": viewer.pk},
        blocked={"blocked__user_id": viewer.pk},
    )


def relationship_annotations_of_profile(profile_id: int) -> dict:
    """relationship_annotations for the viewer whose profile has this id."""
    return _relationship_annotations(
        me={"follower_id": profile_id},
        blocker={"blocker_id": profile_id},
        blocked={"blocked_id": profile_id},
    )


def _relationship_annotations(*, me: dict, blocker: dict, blocked: dict) -> dict:
    return {
        "viewer_follow_status": Subquery(
            Follow.objects.filter(**me, followee=OuterRef("pk")).values("status")[:1]
        ),
        "viewer_blocking": Exists(
            Block.objects.filter(**blocker, blocked=OuterRef("pk"))
        ),
        "viewer_blocked_by": Exists(
            Block.objects.filter(blocker=OuterRef("pk"), **blocked)
        ),
    }


def relationship(profile: Profile, viewer) -> Relationship:
    """Work out the viewer's relationship to the profile in at most one query.

    No query at all when the profile was read with ``relationship_annotations``
    for this viewer, as profiles.profile_page.get_profile does.
    """
    if viewer is None or not viewer.is_authenticated:
        return Relationship(Role.ANONYMOUS)
    if viewer.pk == profile.user_id:
        return Relationship(Role.OWNER)

    annotated = getattr(profile, "annotated_for", None) == viewer.pk
    if annotated and hasattr(profile, "viewer_follow_status"):
        row = {name: getattr(profile, name) for name in RELATIONSHIP_FIELDS}
    else:
        row = (
            Profile.objects.filter(pk=profile.pk)
            .annotate(**relationship_annotations(viewer))
            .values(*RELATIONSHIP_FIELDS)
            .first()
        ) or {}

    follow_status = row.get("viewer_follow_status")
    blocking = bool(row.get("viewer_blocking"))
    blocked = blocking or bool(row.get("viewer_blocked_by"))
    accepted = follow_status == Follow.Status.ACCEPTED
    return Relationship(
        role=Role.FOLLOWER if accepted and not blocked else Role.MEMBER,
        blocked=blocked,
        follow_status=follow_status,
        blocking=blocking,
    )


def reaches(relation: Relationship, audience: str) -> bool:
    """True when the viewer may see a section shown to this audience."""
    if relation.is_owner:
        return True
    if relation.blocked:
        return False
    return relation.role >= AUDIENCE_ROLE[_audience(audience)]


def profile_access(profile: Profile, relation: Relationship) -> Access:
    """How much of the profile as a whole this viewer gets."""
    if relation.is_owner:
        return Access.FULL
    privacy = companion(profile, "privacy")
    visibility = _visibility(privacy.profile_visibility)
    if visibility is ProfileVisibility.HIDDEN:
        return Access.NOT_FOUND
    if relation.blocked or relation.role < VISIBILITY_ROLE[visibility]:
        return Access.LOCKED
    return Access.FULL


def lock_text(audience: str) -> str:
    return LOCK_TEXT[_audience(audience)]


# The forms and endpoints store only known values; one written around them (a
# shell, a bulk update) is read as the narrowest choice, never as a wider one
# and never as a server error.


def _audience(value: str) -> Audience:
    return _known(Audience, value, narrowest=Audience.ONLY_ME)


def _visibility(value: str) -> ProfileVisibility:
    return _known(ProfileVisibility, value, narrowest=ProfileVisibility.HIDDEN)


def _known(choices, value: str, *, narrowest):
    try:
        return choices(value)
    except ValueError:
        logger.error(
            "Unknown %s %r read as %s", choices.__name__, value, narrowest.value
        )
        return narrowest
