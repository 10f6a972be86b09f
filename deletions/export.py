"""Everything a player's account holds about them, as one JSON-ready dict.

It reads a fixed number of queries whatever the amount of data, and never
holds a password hash, session key or second-factor secret.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.utils import timezone

from allauth.account.models import EmailAddress

from profiles.models import (
    Block,
    Follow,
    GameProfile,
    MatchParticipant,
    NotificationPreferences,
    PlatformPreferences,
    PrivacySettings,
    Profile,
    SocialLink,
    TeamMembership,
    User,
    UserAchievement,
    WalletSettings,
    WalletTransaction,
)

SKIPPED = {"id", "profile"}


def build_export(user: User) -> dict[str, Any]:
    """The player's own data, in sections named for what they hold."""
    profile = Profile.objects.get(user=user)
    return {
        "exported_at": timezone.now(),
        "account": {
            "username": user.username,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": _rows(
                EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
                "email",
                "verified",
                "primary",
            ),
        },
        "profile": {
            "public_id": profile.public_id,
            "display_name": profile.display_name,
            "bio": profile.bio,
            "country": profile.country,
            "avatar": profile.avatar.url if profile.avatar else "",
            "level": profile.level,
            "xp": profile.xp,
            "created_at": profile.created_at,
        },
        "privacy": _companion(PrivacySettings, profile),
        "notifications": _companion(NotificationPreferences, profile),
        "preferences": _preferences(profile),
        "social_links": _rows(
            SocialLink.objects.filter(profile=profile), "platform", "url"
        ),
        "game_passports": _rows(
            GameProfile.objects.filter(profile=profile).order_by("game__name"),
            "game__name",
            "in_game_name",
            "in_game_id",
            "rank",
            "region",
            "is_main",
        ),
        "achievements": _rows(
            UserAchievement.objects.filter(profile=profile).order_by("awarded_at"),
            "achievement__name",
            "awarded_at",
        ),
        "teams": _rows(
            TeamMembership.objects.filter(profile=profile).order_by("joined_at"),
            "team__name",
            "role",
            "is_active",
            "joined_at",
            "left_at",
        ),
        "matches": _rows(
            MatchParticipant.objects.filter(profile=profile),
            "match__title",
            "match__game__name",
            "team__name",
            "result",
            "score",
            "played_at",
        ),
        "following": _rows(
            Follow.objects.filter(follower=profile).order_by("created_at"),
            "followee__user__username",
            "status",
            "created_at",
        ),
        "followers": _rows(
            Follow.objects.filter(followee=profile).order_by("created_at"),
            "follower__user__username",
            "status",
            "created_at",
        ),
        "blocked": _rows(
            Block.objects.filter(blocker=profile).order_by("created_at"),
            "blocked__user__username",
            "created_at",
        ),
        # The player's own numbers are theirs to see in full.
        "wallet": _companion(WalletSettings, profile),
        "wallet_ledger": _rows(
            WalletTransaction.objects.filter(profile=profile),
            "kind",
            "amount_poisha",
            "description",
            "created_at",
        ),
    }


def _rows(queryset: QuerySet, *fields: str) -> list[dict[str, Any]]:
    return [
        {name.replace("__", "_"): value for name, value in row.items()}
        for row in queryset.values(*fields)
    ]


def _companion(model, profile: Profile) -> dict[str, Any]:
    row = model.objects.filter(profile=profile).first()
    if row is None:
        return {}
    return {
        name: value for name, value in model_to_dict(row).items() if name not in SKIPPED
    } | {"updated_at": row.updated_at}


def _preferences(profile: Profile) -> dict[str, Any]:
    row = (
        PlatformPreferences.objects.filter(profile=profile)
        .prefetch_related("preferred_games")
        .first()
    )
    if row is None:
        return {}
    return {
        "language": row.language,
        "time_zone": row.time_zone,
        "theme": row.theme,
        "preferred_games": [game.name for game in row.preferred_games.all()],
    }
