from django.db import models


class Achievement(models.Model):
    """A trophy players can earn; editors keep the catalogue."""

    class Rarity(models.TextChoices):
        COMMON = "common", "Common"
        RARE = "rare", "Rare"
        EPIC = "epic", "Epic"
        LEGENDARY = "legendary", "Legendary"

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    icon = models.CharField(max_length=8, default="🏆", help_text="An emoji.")
    rarity = models.CharField(
        max_length=10, choices=Rarity.choices, default=Rarity.COMMON
    )
    points = models.PositiveIntegerField(default=10)
    description = models.CharField(max_length=200, blank=True)
    game = models.ForeignKey(
        "profiles.Game",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserAchievement(models.Model):
    """An achievement one player has earned."""

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="achievements"
    )
    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="awards"
    )
    awarded_at = models.DateTimeField()

    class Meta:
        verbose_name = "award"
        ordering = ["-awarded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "achievement"], name="achievement_once"
            )
        ]
        indexes = [models.Index(fields=["profile", "-awarded_at"])]

    def __str__(self) -> str:
        return f"{self.achievement_id} for {self.profile_id}"


class Team(models.Model):
    """A roster that plays one game together."""

    name = models.CharField(max_length=60, unique=True)
    tag = models.CharField(max_length=6)
    slug = models.SlugField(max_length=60, unique=True)
    game = models.ForeignKey(
        "profiles.Game", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"[{self.tag}] {self.name}"


class TeamMembership(models.Model):
    """A player's time on a team; kept after they leave."""

    class Role(models.TextChoices):
        CAPTAIN = "captain", "Captain"
        PLAYER = "player", "Player"
        SUBSTITUTE = "substitute", "Substitute"
        COACH = "coach", "Coach"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.PLAYER)
    is_active = models.BooleanField(default=True)
    joined_at = models.DateField()
    left_at = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-is_active", "-joined_at"]
        indexes = [models.Index(fields=["profile", "-is_active", "-joined_at"])]

    def __str__(self) -> str:
        return f"{self.profile_id} in {self.team_id}"


class Match(models.Model):
    """One played match in a tournament or scrim."""

    game = models.ForeignKey(
        "profiles.Game", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=120)
    played_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-played_at"]
        verbose_name_plural = "matches"

    def __str__(self) -> str:
        return self.title


class MatchParticipant(models.Model):
    """One player's part in a match: their side, result and score."""

    class Result(models.TextChoices):
        WIN = "win", "Win"
        LOSS = "loss", "Loss"
        DRAW = "draw", "Draw"

    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, related_name="participants"
    )
    profile = models.ForeignKey(
        "profiles.Profile",
        null=True,
        on_delete=models.SET_NULL,
        related_name="match_entries",
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.CharField(max_length=4, choices=Result.choices)
    score = models.IntegerField(default=0)
    # Denormalised from the match so one index serves "this player's latest matches".
    played_at = models.DateTimeField()

    class Meta:
        ordering = ["-played_at"]
        constraints = [
            models.UniqueConstraint(fields=["match", "profile"], name="play_once")
        ]
        indexes = [models.Index(fields=["profile", "-played_at"])]

    def __str__(self) -> str:
        return f"{self.profile_id} in {self.match_id}: {self.result}"
