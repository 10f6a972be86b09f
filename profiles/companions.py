"""The rows every profile has beside it, and defaults for older data that lacks one."""

from django.core.exceptions import ObjectDoesNotExist

from .models import (
    NotificationPreferences,
    PlatformPreferences,
    PrivacySettings,
    Profile,
    WalletSettings,
)

COMPANIONS = {
    "privacy": PrivacySettings,
    "notifications": NotificationPreferences,
    "platform": PlatformPreferences,
    "wallet": WalletSettings,
}


def create_companions(profile: Profile) -> None:
    """Create whichever companion rows the profile is missing."""
    for model in COMPANIONS.values():
        model.objects.get_or_create(profile=profile)


def companion(profile: Profile, name: str):
    """The profile's companion row, or an unsaved one holding the defaults."""
    try:
        return getattr(profile, name)
    except ObjectDoesNotExist:
        return COMPANIONS[name](profile=profile)
