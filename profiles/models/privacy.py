from django.db import models


class Audience(models.TextChoices):
    """Who may see one section of a profile, from widest to narrowest."""

    PUBLIC = "public", "Everyone"
    MEMBERS = "members", "Signed-in members"
    FOLLOWERS = "followers", "Followers"
    ONLY_ME = "only_me", "Only me"


class ProfileVisibility(models.TextChoices):
    """Who may see the profile at all."""

    PUBLIC = "public", "Everyone"
    MEMBERS = "members", "Signed-in members"
    FOLLOWERS = "followers", "Followers"
    HIDDEN = "hidden", "Hidden"


def audience_field(default=Audience.PUBLIC, label=""):
    return models.CharField(
        label, max_length=10, choices=Audience.choices, default=default
    )


class PrivacySettings(models.Model):
    """Who sees what of one player's profile."""

    SECTIONS = (
        "about",
        "social_links",
        "game_passports",
        "achievements",
        "teams",
        "match_history",
        "followers_list",
        "following_list",
    )

    profile = models.OneToOneField(
        "profiles.Profile", on_delete=models.CASCADE, related_name="privacy"
    )
    profile_visibility = models.CharField(
        "Who can see my profile",
        max_length=10,
        choices=ProfileVisibility.choices,
        default=ProfileVisibility.PUBLIC,
    )
    about = audience_field(label="About")
    social_links = audience_field(label="Social links")
    game_passports = audience_field(label="Game passports")
    achievements = audience_field(label="Trophies")
    teams = audience_field(label="Teams")
    match_history = audience_field(label="Match history")
    followers_list = audience_field(label="Followers list")
    following_list = audience_field(label="Following list")
    show_follower_count = models.BooleanField("Show follower count", default=True)
    show_following_count = models.BooleanField("Show following count", default=True)
    approve_followers = models.BooleanField(
        "Approve followers before they can follow", default=False
    )
    searchable = models.BooleanField(
        "Let search engines and site search list my profile", default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "privacy settings"

    def __str__(self) -> str:
        return f"Privacy of {self.profile_id}"

    def audience_for(self, section: str) -> str:
        return getattr(self, section)

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        # What was stored, so a save can tell what it changed without a query.
        row.loaded_values = dict(zip(field_names, values, strict=True))
        return row
