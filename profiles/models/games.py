import re

from django.core.exceptions import ValidationError
from django.db import models


def validate_regex(value: str) -> None:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValidationError(f"This is not a valid pattern: {exc}.") from exc


class Game(models.Model):
    """A game the platform runs competitions in; editors keep the catalogue."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    short_name = models.CharField(max_length=12, blank=True)
    icon = models.CharField(max_length=8, default="🎮", help_text="An emoji.")
    colour = models.CharField(
        max_length=7, default="#6c5ce7", help_text="Accent colour, as #rrggbb."
    )
    id_label = models.CharField(
        "In-game ID label",
        max_length=40,
        default="Player ID",
        help_text="What the game calls a player's ID, e.g. Riot ID.",
    )
    id_format = models.CharField(
        "In-game ID pattern",
        max_length=200,
        blank=True,
        validators=[validate_regex],
        help_text="A regular expression the in-game ID must match in full.",
    )
    id_example = models.CharField(max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def id_is_valid(self, in_game_id: str) -> bool:
        # ASCII matching: a pattern's \d means 0 to 9, as the game means it.
        return (
            not self.id_format
            or re.fullmatch(self.id_format, in_game_id, flags=re.ASCII) is not None
        )


class GameProfile(models.Model):
    """A game passport: who the player is inside one game."""

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="game_profiles"
    )
    game = models.ForeignKey(Game, on_delete=models.PROTECT, related_name="+")
    in_game_name = models.CharField(max_length=50)
    in_game_id = models.CharField(max_length=60)
    rank = models.CharField(max_length=40, blank=True)
    region = models.CharField(max_length=40, blank=True)
    is_main = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_main", "game__position", "game__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "game"], name="one_passport_per_game"
            )
        ]

    def __str__(self) -> str:
        return f"{self.in_game_name} in {self.game_id}"
