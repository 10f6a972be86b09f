"""Validation for every settings section, shared by the HTML and JSON paths."""

import unicodedata

from django import forms

from . import images
from .models import (
    NotificationPreferences,
    PlatformPreferences,
    PrivacySettings,
    Profile,
)

COUNTRIES = [
    ("", "Not shown"),
    ("BD", "Bangladesh"),
    ("IN", "India"),
    ("NP", "Nepal"),
    ("PK", "Pakistan"),
    ("LK", "Sri Lanka"),
    ("MY", "Malaysia"),
    ("SG", "Singapore"),
    ("SA", "Saudi Arabia"),
    ("AE", "United Arab Emirates"),
    ("QA", "Qatar"),
    ("GB", "United Kingdom"),
    ("US", "United States"),
]


def reject_control_characters(value: str, *, allow_newlines: bool = False) -> str:
    for char in value:
        if allow_newlines and char in "\r\n":
            continue
        if unicodedata.category(char) in ("Cc", "Cf") and char not in "\u200c\u200d":
            raise forms.ValidationError("Remove the invisible control characters.")
    return value


class BasicProfileForm(forms.ModelForm):
    """Display name, bio, country and avatar."""

    country = forms.ChoiceField(choices=COUNTRIES, required=False)

    class Meta:
        model = Profile
        fields = ["display_name", "bio", "country", "avatar"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "display_name": "Shown on your profile, in Bangla or English.",
            "bio": "Up to 500 characters. Links and HTML show as plain text.",
        }

    def clean_display_name(self):
        value = " ".join(self.cleaned_data["display_name"].split())
        if not value:
            raise forms.ValidationError("Enter a display name.")
        return reject_control_characters(value)

    def clean_bio(self):
        return reject_control_characters(
            self.cleaned_data["bio"].strip(), allow_newlines=True
        )

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and hasattr(avatar, "content_type"):
            return images.clean_avatar(avatar)
        return avatar


class PrivacyForm(forms.ModelForm):
    class Meta:
        model = PrivacySettings
        fields = [
            "profile_visibility",
            *PrivacySettings.SECTIONS,
            "show_follower_count",
            "show_following_count",
            "approve_followers",
            "searchable",
        ]


class NotificationsForm(forms.ModelForm):
    class Meta:
        model = NotificationPreferences
        fields = NotificationPreferences.switch_names()


class PlatformForm(forms.ModelForm):
    class Meta:
        model = PlatformPreferences
        fields = ["language", "time_zone", "theme", "preferred_games"]
        widgets = {"preferred_games": forms.CheckboxSelectMultiple}

    def clean_time_zone(self):
        import zoneinfo

        value = self.cleaned_data["time_zone"].strip()
        if value not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                "Choose a time zone from the list, such as Asia/Dhaka."
            )
        return value
