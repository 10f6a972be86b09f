"""What one viewer may see of one profile, built in a fixed number of queries.

``build_profile_page`` is the only way profile data reaches a template or a
JSON answer. It returns plain values, never model instances, so nothing
downstream can reach past the privacy decision to the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, Window
from django.urls import reverse

from deltacrown.statements import Statement

from . import privacy, profile_cache
from .companions import companion
from .models import (
    Audience,
    Follow,
    GameProfile,
    MatchParticipant,
    PrivacySettings,
    Profile,
    SocialLink,
    TeamMembership,
    UserAchievement,
    WalletTransaction,
)
from .privacy import Access, Relationship, Role

TROPHY_SHELF_SIZE = 24
TEAMS_SHOWN = 10


@dataclass(frozen=True)
class Header:
    username: str
    display_name: str
    public_id: str
    initials: str
    avatar_url: str
    url: str
    level: int | None  # None on a locked profile: it shows name and avatar only
    xp: int | None
    follower_count: int | None  # None when the owner hides it from this viewer
    following_count: int | None


@dataclass
class Section:
    """One block of the profile: its items when visible, or its lock."""

    key: str
    title: str
    visible: bool
    lock_text: str = ""
    items: list = field(default_factory=list)
    total: int | None = None
    next_page: int | None = None
    previous_page: int | None = None


@dataclass
class ProfilePage:
    access: Access
    relation: Relationship
    header: Header | None = None
    sections: dict[str, Section] = field(default_factory=dict)
    wallet_balance_poisha: int | None = None
    searchable: bool = False
    approve_followers: bool = False
    lock_text: str = ""  # on a locked profile: who can see more
    preview: Role | None = None  # the role the owner is previewing their page as
    pending_requests: int = 0  # the owner's follow requests waiting for them
    # What the shared parts of this page were cached under: the role, the
    # block, the page of matches and the privacy settings as they stand.
    cache_parts: tuple = ()

    @property
    def role(self) -> Role:
        return self.relation.role

    @property
    def is_owner(self) -> bool:
        return self.relation.is_owner

    @property
    def noindex(self) -> bool:
        return (
            self.access is not Access.FULL
            or not self.searchable
            or self.preview is not None
        )

    @property
    def wallet_balance_taka(self) -> str | None:
        if self.wallet_balance_poisha is None:
            return None
        taka, poisha = divmod(abs(self.wallet_balance_poisha), 100)
        sign = "-" if self.wallet_balance_poisha < 0 else ""
        return f"{sign}{taka:,}.{poisha:02d}"


SECTION_TITLES = {
    "about": "About",
    "social_links": "Social links",
    "game_passports": "Game passports",
    "achievements": "Trophy shelf",
    "teams": "Teams",
    "match_history": "Match history",
}


def get_profile(username: str, viewer=None) -> Profile | None:
    """The profile for a username in any case, with what the page needs joined in.

    Given a viewer other than the owner, the same query also reads their
    relationship to the profile, so the page needs no further query for it.
    """
    slug = username.lower()
    signed_in = viewer is not None and viewer.is_authenticated
    if not signed_in or viewer.get_username().lower() == slug:
        profile = _PROFILE.first(slug=slug)
    elif getattr(viewer, "profile", None) is not None:
        profile = _PROFILE_FOR_VIEWER.first(slug=slug, viewer=viewer.profile.pk)
    else:  # an account without a profile (made outside the site)
        profile = (
            _active_profiles(slug)
            .annotate(**privacy.relationship_annotations(viewer))
            .first()
        )
    if profile is not None and signed_in:
        profile.annotated_for = viewer.pk
    return profile


def _active_profiles(slug: str):
    return Profile.objects.select_related("user", "privacy").filter(
        slug=slug, user__is_active=True
    )


# Stand-ins no real slug or profile id can equal (see deltacrown.statements).
_SLUG = "stand-in slug"
_PROFILE_ID = -7_000_000_001

_PROFILE = Statement(lambda slug: _active_profiles(slug)[:1], slug=_SLUG)
_PROFILE_FOR_VIEWER = Statement(
    lambda slug, viewer: _active_profiles(slug).annotate(
        **privacy.relationship_annotations_of_profile(viewer)
    )[:1],
    slug=_SLUG,
    viewer=_PROFILE_ID,
)


PREVIEW_ROLES = {
    "anonymous": Role.ANONYMOUS,
    "member": Role.MEMBER,
    "follower": Role.FOLLOWER,
}


def preview_relationship(role: Role) -> Relationship:
    """The relationship of a typical viewer in this role: no block, no request."""
    follow_status = Follow.Status.ACCEPTED if role is Role.FOLLOWER else None
    return Relationship(role, follow_status=follow_status)


def build_profile_page(
    profile: Profile,
    viewer,
    *,
    match_page: int = 1,
    view_as: Role | None = None,
) -> ProfilePage:
    """Everything this viewer may see of the profile, and nothing else.

    ``view_as`` lets the owner preview the page as another role would see it;
    it is ignored for anyone but the owner.
    """
    relation = privacy.relationship(profile, viewer)
    preview = None
    if view_as is not None and view_as is not Role.OWNER and relation.is_owner:
        preview = view_as
        relation = preview_relationship(view_as)
    access = privacy.profile_access(profile, relation)
    if access is Access.NOT_FOUND:
        return ProfilePage(access=access, relation=relation, preview=preview)

    settings_row = companion(profile, "privacy")
    page = ProfilePage(
        access=access,
        relation=relation,
        searchable=settings_row.searchable,
        approve_followers=settings_row.approve_followers,
        preview=preview,
    )
    if access is Access.LOCKED:
        page.header = _header(profile, relation, settings_row, locked=True)
        # A block reads like a followers-only profile, so it cannot be told apart.
        visibility = settings_row.profile_visibility
        page.lock_text = privacy.lock_text(
            Audience.MEMBERS if visibility == "members" else Audience.FOLLOWERS
        )
        return page

    page.cache_parts = cache_parts(profile, relation, match_page)
    counts, page.sections = profile_cache.cached(
        profile.pk,
        page.cache_parts,
        lambda: _visible_content(profile, relation, settings_row, match_page),
    )
    page.header = _header(profile, relation, settings_row, locked=False, counts=counts)

    if relation.is_owner:
        page.wallet_balance_poisha = counts["balance"]
        page.pending_requests = counts["pending"]
    return page


def cache_parts(profile: Profile, relation: Relationship, match_page: int) -> tuple:
    """What the shared parts of a fully visible page are cached under.

    The role, the block, the page of matches and the privacy settings as they
    stand: everything the shared parts depend on besides the profile's version.
    """
    return (relation.role.value, relation.blocked, match_page, _privacy_state(profile))


# The privacy settings that decide what anyone sees: part of every cache key.
PRIVACY_STATE_FIELDS = tuple(
    field
    for field in PrivacySettings._meta.concrete_fields
    if field.attname not in ("id", "profile_id", "updated_at")
)


@dataclass(frozen=True)
class StrangerKey:
    """What a signed-out visitor's page of a profile is cached under."""

    profile_id: int
    user_id: int
    privacy_state: tuple

    @classmethod
    def of(cls, profile: Profile) -> StrangerKey:
        return cls(profile.pk, profile.user_id, _privacy_state(profile))

    def cache_parts(self, match_page: int) -> tuple:
        """The key parts of the visitor's page (as build_profile_page's)."""
        return (Role.ANONYMOUS.value, False, match_page, self.privacy_state)


def stranger_key(username: str) -> StrangerKey | None:
    """The cache key of an active player's page for signed-out visitors.

    Most such pages are served from the cache, and finding one needs only the
    profile's id and privacy settings: no model instances, and a statement
    compiled once per process. None when no active player has the name.
    """
    row = _STRANGER_KEY.first(slug=username.lower())
    if row is None:
        return None
    profile_id, user_id, *state = row
    return StrangerKey(profile_id, user_id, tuple(state))


_STRANGER_KEY = Statement(
    lambda slug: Profile.objects.filter(slug=slug, user__is_active=True).values_list(
        "pk",
        "user_id",
        *(f"privacy__{field.attname}" for field in PRIVACY_STATE_FIELDS),
    )[:1],
    slug=_SLUG,
)


def _privacy_state(profile: Profile) -> tuple:
    """The profile's privacy settings as they stand: part of every cache key."""
    row = companion(profile, "privacy")
    return tuple(getattr(row, field.attname) for field in PRIVACY_STATE_FIELDS)


def _visible_content(
    profile: Profile, relation: Relationship, settings_row, match_page: int
) -> tuple[dict, dict[str, Section]]:
    """The counts and sections a viewer in this relationship may see.

    Everything here depends on the profile and the viewer's role alone, never
    on the one viewer, so it may be shared through the cache.
    """
    counts = _counts(profile, relation, settings_row)
    if relation.is_owner:
        # Only the owner's role sees these, and only the owner has that role.
        from .follow_lists import pending_request_count

        counts["balance"] = WalletTransaction.balance_poisha(profile)
        counts["pending"] = pending_request_count(profile.user)
    sections = {}
    for key, title in SECTION_TITLES.items():
        audience = settings_row.audience_for(key)
        section = Section(
            key=key, title=title, visible=privacy.reaches(relation, audience)
        )
        if section.visible:
            _fill(section, profile, match_page)
        else:
            section.lock_text = privacy.lock_text(audience)
        sections[key] = section
    return counts, sections


def _shows_counts(relation: Relationship, settings_row) -> tuple[bool, bool]:
    return (
        relation.is_owner or settings_row.show_follower_count,
        relation.is_owner or settings_row.show_following_count,
    )


def _counts(profile: Profile, relation: Relationship, settings_row) -> dict:
    show_followers, show_following = _shows_counts(relation, settings_row)
    counts = {"followers": None, "following": None}
    if show_followers or show_following:
        accepted = Q(status=Follow.Status.ACCEPTED)
        # Count whom the lists would show: active players whose own profile
        # is not hidden.
        counts = Follow.objects.filter(
            accepted & (Q(followee=profile) | Q(follower=profile))
        ).aggregate(
            followers=Count(
                "pk", filter=Q(followee=profile) & _listed("follower", relation)
            ),
            following=Count(
                "pk", filter=Q(follower=profile) & _listed("followee", relation)
            ),
        )
    return counts


def _header(
    profile: Profile,
    relation: Relationship,
    settings_row,
    *,
    locked: bool,
    counts: dict | None = None,
) -> Header:
    show_followers, show_following = _shows_counts(relation, settings_row)
    counts = counts or {}
    return Header(
        username=profile.user.username,
        display_name=profile.display_name,
        public_id=profile.public_id,
        initials=profile.initials,
        avatar_url=profile.avatar.url if profile.avatar else "",
        level=None if locked else profile.level,
        xp=None if locked else profile.xp,
        url=reverse("profiles:profile", kwargs={"username": profile.user.username}),
        follower_count=None if locked or not show_followers else counts["followers"],
        following_count=None if locked or not show_following else counts["following"],
    )


def _fill(section: Section, profile: Profile, match_page: int) -> None:
    if section.key == "about":
        if profile.bio or profile.country:
            section.items = [{"bio": profile.bio, "country": profile.country}]
    elif section.key == "social_links":
        section.items = [
            {
                "platform": link.platform,
                "label": link.get_platform_display(),
                "url": link.url,
            }
            for link in SocialLink.objects.filter(profile=profile)
        ]
    elif section.key == "game_passports":
        section.items = [
            {
                "game": passport.game.name,
                "game_short": passport.game.short_name or passport.game.name,
                "icon": passport.game.icon,
                "colour": passport.game.colour,
                "id_label": passport.game.id_label,
                "in_game_name": passport.in_game_name,
                "in_game_id": passport.in_game_id,
                "rank": passport.rank,
                "region": passport.region,
                "is_main": passport.is_main,
            }
            for passport in GameProfile.objects.filter(profile=profile).select_related(
                "game"
            )
        ]
    elif section.key == "achievements":
        # The window counts every award in the same query as the shelf.
        awards = list(
            UserAchievement.objects.filter(profile=profile)
            .select_related("achievement")
            .annotate(total=Window(Count("pk")))[:TROPHY_SHELF_SIZE]
        )
        section.items = [
            {
                "name": award.achievement.name,
                "icon": award.achievement.icon,
                "rarity": award.achievement.rarity,
                "rarity_label": award.achievement.get_rarity_display(),
                "points": award.achievement.points,
                "description": award.achievement.description,
                "awarded_at": award.awarded_at,
            }
            for award in awards
        ]
        section.total = awards[0].total if awards else 0
    elif section.key == "teams":
        memberships = TeamMembership.objects.filter(profile=profile).select_related(
            "team", "team__game"
        )[:TEAMS_SHOWN]
        section.items = [
            {
                "name": membership.team.name,
                "tag": membership.team.tag,
                "game": membership.team.game.name,
                "role": membership.get_role_display(),
                "is_active": membership.is_active,
                "joined_at": membership.joined_at,
                "left_at": membership.left_at,
            }
            for membership in memberships
        ]
    elif section.key == "match_history":
        _fill_matches(section, profile, match_page)


def _fill_matches(section: Section, profile: Profile, page_number: int) -> None:
    size = settings.DELTACROWN["PROFILE_PAGE_SIZE"]
    page_number = max(1, page_number)
    start = (page_number - 1) * size
    # One extra row says whether a next page exists without counting them all.
    rows = list(
        MatchParticipant.objects.filter(profile=profile)
        .select_related("match", "match__game", "team")
        .order_by("-played_at", "-pk")[start : start + size + 1]
    )
    section.items = [
        {
            "title": row.match.title,
            "game": row.match.game.name,
            "colour": row.match.game.colour,
            "team": row.team.name if row.team else "",
            "result": row.result,
            "result_label": row.get_result_display(),
            "score": row.score,
            "played_at": row.played_at,
        }
        for row in rows[:size]
    ]
    section.next_page = page_number + 1 if len(rows) > size else None
    section.previous_page = page_number - 1 if page_number > 1 else None


def featured_cards(
    profile_ids: list[int], viewer, *, searchable_only: bool = False
) -> list[dict]:
    """Name cards for a hand-picked list of players, as this viewer may see them.

    A card holds what a locked profile shows anyone (name and avatar), plus
    the level only where the viewer could see the whole profile without
    following. Hidden profiles and players on either side of a block are left
    out, and with ``searchable_only`` players who chose not to be found.
    """
    if not profile_ids:
        return []
    profiles = (
        Profile.objects.filter(pk__in=profile_ids, user__is_active=True)
        .select_related("user", "privacy")
        .exclude(privacy__profile_visibility="hidden")
    )
    if searchable_only:
        profiles = profiles.filter(privacy__searchable=True)
    if viewer is not None and viewer.is_authenticated:
        profiles = profiles.exclude(
            Q(blocks_made__blocked__user_id=viewer.pk)
            | Q(blocks_received__blocker__user_id=viewer.pk)
        )
    by_id = {profile.pk: profile for profile in profiles}
    return [
        name_card(profile, level=profile.level if _open_to(profile, viewer) else None)
        for profile in (by_id.get(pk) for pk in profile_ids)
        if profile is not None
    ]


def name_card(profile: Profile, **extra) -> dict:
    """What any list of players shows of one: what a locked profile shows anyone.

    Callers add what they have decided this viewer may see besides (a level,
    the date a follow began) as keyword arguments.
    """
    return {
        "username": profile.user.username,
        "display_name": profile.display_name,
        "initials": profile.initials,
        "avatar_url": profile.avatar.url if profile.avatar else "",
        "url": profile.get_absolute_url(),
        **extra,
    }


def _open_to(profile: Profile, viewer) -> bool:
    """True when the profile's visibility lets this viewer in without following."""
    visibility = companion(profile, "privacy").profile_visibility
    signed_in = viewer is not None and viewer.is_authenticated
    return visibility == "public" or (visibility == "members" and signed_in)


def _listed(side: str, relation: Relationship) -> Q:
    """Whom the follow lists show this viewer; the owner sees hidden players too."""
    active = Q(**{f"{side}__user__is_active": True})
    if relation.is_owner:
        return active
    return active & ~Q(**{f"{side}__privacy__profile_visibility": "hidden"})
