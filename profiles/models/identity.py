import secrets
import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse

from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from profiles import usernames
from profiles.search_text import searchable

# Public IDs avoid letters that read as digits (0/O, 1/I/L) so players can
# read them aloud.
PUBLIC_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PUBLIC_ID_LENGTH = 8


def new_public_id() -> str:
    return "DC-" + "".join(
        secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH)
    )


class CaseInsensitiveUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A DeltaCrown account. Usernames are unique whatever their case or look."""

    username = models.CharField(
        max_length=usernames.MAX_LENGTH,
        unique=True,
        validators=usernames.USERNAME_VALIDATORS,
        help_text=(
            f"{usernames.MIN_LENGTH} to {usernames.MAX_LENGTH} letters, digits, "
            "dots, underscores or hyphens."
        ),
        error_messages={"unique": "That username is taken."},
    )
    username_skeleton = models.CharField(
        max_length=usernames.MAX_LENGTH, editable=False
    )

    objects = CaseInsensitiveUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_ci_unique",
                violation_error_message="That username is taken.",
            ),
            models.UniqueConstraint(
                fields=["username_skeleton"],
                name="user_username_skeleton_unique",
                violation_error_message="That username looks too much like another.",
            ),
        ]

    def clean(self):
        super().clean()
        skeleton = usernames.skeleton(self.username or "")
        if (
            self.username
            and User.objects.filter(username_skeleton=skeleton)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {"username": "That username looks too much like another player's."}
            )

    def save(self, *args, **kwargs):
        self.username_skeleton = usernames.skeleton(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_skeleton"}
        # The post_save handler creates the profile and its companion rows; one
        # transaction means an account never exists without them.
        with transaction.atomic():
            super().save(*args, **kwargs)


class ProfileQuerySet(SearchableQuerySetMixin, models.QuerySet):
    """Profiles, with Wagtail's `.search()` and `.autocomplete()`."""


class Profile(index.Indexed, models.Model):
    """The public face of a player: what `/@username/` shows, within privacy."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    public_id = models.CharField(
        max_length=16, unique=True, default=new_public_id, editable=False
    )
    slug = models.CharField(max_length=usernames.MAX_LENGTH, unique=True)
    display_name = models.CharField(max_length=50, db_index=True)
    bio = models.TextField(max_length=500, blank=True)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)
    country = models.CharField(max_length=2, default="BD", blank=True)
    level = models.PositiveIntegerField(default=1)
    xp = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()
    # profiles.signals re-indexes a saved profile itself, and only when a save
    # can have changed the indexed text: a bio or avatar save costs no index
    # writes.
    search_auto_update = False

    # Only the text is indexed: the display name and the username. Who may find
    # a player is decided when searching (profiles.discovery), through the
    # privacy door, so a privacy change needs no re-indexing. The filter fields
    # are the ones that search filters and orders on.
    search_fields = [
        index.SearchField("display_name"),
        # Searched as you type, Bangla spelled so its words stay whole.
        index.AutocompleteField("search_name"),
        index.RelatedFields(
            "user",
            [
                index.SearchField("username"),
                index.AutocompleteField("username"),
                index.FilterField("is_active"),
            ],
        ),
        index.RelatedFields(
            "privacy",
            [
                index.FilterField("searchable"),
                index.FilterField("profile_visibility"),
            ],
        ),
        index.FilterField("id"),
        index.FilterField("slug"),
    ]

    class Meta:
        indexes = [models.Index(fields=["user", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.display_name} (@{self.user.username})"

    def get_absolute_url(self) -> str:
        return reverse("profiles:profile", kwargs={"username": self.user.username})

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def search_name(self) -> str:
        """The display name as the search index holds it (profiles.search_text)."""
        return searchable(self.display_name)

    @property
    def initials(self) -> str:
        words = self.display_name.split()
        return "".join(word[0] for word in words[:2]).upper() or "?"
