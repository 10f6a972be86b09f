"""The player-profile data model, split by domain."""

from .competition import (
    Achievement,
    Match,
    MatchParticipant,
    Team,
    TeamMembership,
    UserAchievement,
)
from .games import Game, GameProfile
from .identity import Profile, User
from .preferences import NotificationPreferences, PlatformPreferences
from .privacy import Audience, PrivacySettings, ProfileVisibility
from .social import Block, Follow, SocialLink
from .wallet import WalletSettings, WalletTransaction

__all__ = [
    "Achievement",
    "Audience",
    "Block",
    "Follow",
    "Game",
    "GameProfile",
    "Match",
    "MatchParticipant",
    "NotificationPreferences",
    "PlatformPreferences",
    "PrivacySettings",
    "Profile",
    "ProfileVisibility",
    "SocialLink",
    "Team",
    "TeamMembership",
    "User",
    "UserAchievement",
    "WalletSettings",
    "WalletTransaction",
]
