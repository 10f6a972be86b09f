from django.db import models


class NotificationPreferences(models.Model):
    """One switch per event and channel. Announcements are opt-in."""

    EVENTS = (
        ("new_follower", "New follower"),
        ("follow_request", "Follow request"),
        ("team_invite", "Team invite"),
        ("match_reminder", "Match reminder"),
        ("tournament_result", "Tournament result"),
        ("achievement", "Achievement unlocked"),
        ("wallet", "Wallet and payouts"),
        ("announcements", "Announcements and offers"),
    )
    CHANNELS = (("email", "Email"), ("site", "On site"))

    profile = models.OneToOneField(
        "profiles.Profile", on_delete=models.CASCADE, related_name="notifications"
    )
    email_new_follower = models.BooleanField(default=True)
    site_new_follower = models.BooleanField(default=True)
    email_follow_request = models.BooleanField(default=True)
    site_follow_request = models.BooleanField(default=True)
    email_team_invite = models.BooleanField(default=True)
    site_team_invite = models.BooleanField(default=True)
    email_match_reminder = models.BooleanField(default=True)
    site_match_reminder = models.BooleanField(default=True)
    email_tournament_result = models.BooleanField(default=True)
    site_tournament_result = models.BooleanField(default=True)
    email_achievement = models.BooleanField(default=False)
    site_achievement = models.BooleanField(default=True)
    email_wallet = models.BooleanField(default=True)
    site_wallet = models.BooleanField(default=True)
    email_announcements = models.BooleanField(default=False)
    site_announcements = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "notification preferences"

    def __str__(self) -> str:
        return f"Notifications of {self.profile_id}"

    @classmethod
    def switch_names(cls) -> list[str]:
        return [
            f"{channel}_{event}"
            for event, _ in cls.EVENTS
            for channel, _ in cls.CHANNELS
        ]


class PlatformPreferences(models.Model):
    """How the site looks and speaks for one player."""

    class Theme(models.TextChoices):
        SYSTEM = "system", "Match my device"
        DARK = "dark", "Dark"
        LIGHT = "light", "Light"

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        BANGLA = "bn", "বাংলা"

    profile = models.OneToOneField(
        "profiles.Profile", on_delete=models.CASCADE, related_name="platform"
    )
    language = models.CharField(
        max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    time_zone = models.CharField(max_length=64, default="Asia/Dhaka")
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.SYSTEM)
    preferred_games = models.ManyToManyField("profiles.Game", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "platform preferences"

    def __str__(self) -> str:
        return f"Platform preferences of {self.profile_id}"
