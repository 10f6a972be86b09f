from django.db import models


class Follow(models.Model):
    """One player following another; pending until accepted when approval is on."""

    class Status(models.TextChoices):
        PENDING = "pending", "Requested"
        ACCEPTED = "accepted", "Following"

    follower = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="following_set"
    )
    followee = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="follower_set"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACCEPTED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "followee"], name="follow_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")),
                name="follow_not_self",
            ),
        ]
        indexes = [
            models.Index(fields=["followee", "status", "-created_at"]),
            models.Index(fields=["follower", "status", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} -> {self.followee_id} ({self.status})"


class Block(models.Model):
    """One player blocking another: neither sees the other's profile."""

    blocker = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")),
                name="block_not_self",
            ),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"])]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class SocialLink(models.Model):
    """A link to the player's account elsewhere; https on the platform's own hosts."""

    class Platform(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        YOUTUBE = "youtube", "YouTube"
        TWITCH = "twitch", "Twitch"
        DISCORD = "discord", "Discord"
        X = "x", "X"
        INSTAGRAM = "instagram", "Instagram"
        TIKTOK = "tiktok", "TikTok"

    # The hosts each platform serves profiles from; a link elsewhere is refused.
    HOSTS = {
        Platform.FACEBOOK: ("facebook.com", "www.facebook.com", "m.facebook.com"),
        Platform.YOUTUBE: ("youtube.com", "www.youtube.com", "m.youtube.com"),
        Platform.TWITCH: ("twitch.tv", "www.twitch.tv"),
        Platform.DISCORD: ("discord.gg", "discord.com", "www.discord.com"),
        Platform.X: ("x.com", "twitter.com", "www.x.com", "www.twitter.com"),
        Platform.INSTAGRAM: ("instagram.com", "www.instagram.com"),
        Platform.TIKTOK: ("tiktok.com", "www.tiktok.com"),
    }  # fmt: skip

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="social_links"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    url = models.URLField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "platform"], name="one_link_per_platform"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.url}"
