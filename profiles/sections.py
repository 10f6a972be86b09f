"""The settings sections: what each edits, with which form, and how it reads back."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from .forms import BasicProfileForm, NotificationsForm, PlatformForm, PrivacyForm
from .models import (
    GameProfile,
    NotificationPreferences,
    PlatformPreferences,
    PrivacySettings,
    Profile,
    SocialLink,
    WalletSettings,
)


@dataclass(frozen=True)
class SettingsSection:
    key: str
    title: str
    description: str
    form_class: type | None = None  # None: read-only for now
    model: type[models.Model] | None = None

    @property
    def writable(self) -> bool:
        return self.form_class is not None

    def instance(self, profile: Profile, *, for_update: bool = False):
        """The row this section edits, created if older data lacks it."""
        if self.model is Profile:
            queryset = Profile.objects.all()
            if for_update:
                queryset = queryset.select_for_update()
            return queryset.get(pk=profile.pk)
        queryset = self.model.objects.all()
        if for_update:
            queryset = queryset.select_for_update()
        row = queryset.filter(profile=profile).first()
        if row is None:
            row, _ = self.model.objects.get_or_create(profile=profile)
        return row


SECTIONS = {
    section.key: section
    for section in [
        SettingsSection(
            "basic", "Profile", "Your name, bio, country and avatar.",
            BasicProfileForm, Profile,
        ),
        SettingsSection("social", "Social links", "Where else people can find you."),
        SettingsSection("games", "Game passports", "Your accounts in each game."),
        SettingsSection(
            "privacy", "Privacy", "Who sees each part of your profile.",
            PrivacyForm, PrivacySettings,
        ),
        SettingsSection(
            "notifications", "Notifications", "What we tell you about, and where.",
            NotificationsForm, NotificationPreferences,
        ),
        SettingsSection(
            "platform", "Preferences", "Language, time zone, theme and games.",
            PlatformForm, PlatformPreferences,
        ),
        SettingsSection(
            "wallet", "Wallet", "The mobile-wallet numbers prizes are paid to.",
            model=WalletSettings,
        ),
    ]
}  # fmt: skip


def section_data(section: SettingsSection, profile: Profile) -> dict:
    """The section's current values, as the JSON client and the page read them."""
    if section.key == "social":
        return {
            "links": [
                {"platform": link.platform, "url": link.url}
                for link in SocialLink.objects.filter(profile=profile)
            ]
        }
    if section.key == "games":
        return {
            "passports": [
                {
                    "game": passport.game.slug,
                    "in_game_name": passport.in_game_name,
                    "in_game_id": passport.in_game_id,
                    "rank": passport.rank,
                    "region": passport.region,
                }
                for passport in GameProfile.objects.filter(
                    profile=profile
                ).select_related("game")
            ]
        }
    instance = section.instance(profile)
    if section.key == "wallet":
        return {
            "bkash_number": instance.bkash_number,
            "nagad_number": instance.nagad_number,
            "rocket_number": instance.rocket_number,
            "preferred_method": instance.preferred_method,
        }
    return instance_data(section.form_class, instance)


def instance_data(form_class, instance) -> dict:
    data = {}
    for name in form_class._meta.fields:
        value = getattr(instance, name)
        if isinstance(value, models.fields.files.FieldFile):
            value = value.url if value else ""
        elif hasattr(value, "all"):
            value = [related.pk for related in value.all()] if instance.pk else []
        data[name] = value
    return data
