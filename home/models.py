"""Editorial pages: the home page, news and standard pages, and site settings."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone

from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase

logger = logging.getLogger(__name__)

POPULAR_DAYS = 7
POPULAR_SHOWN = 6
POPULAR_REFRESH = 10 * 60  # seconds a ranking is kept before it is worked out again


class ArticleBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", icon="title")
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    image = ImageBlock()
    embed = EmbedBlock(help_text="A YouTube, Facebook or Twitch link.", icon="media")
    quote = blocks.BlockQuoteBlock()


class HomePage(Page):
    """The front page: a welcome, featured players and the latest news."""

    hero_title = models.CharField(max_length=120, default="Welcome to DeltaCrown")
    hero_text = models.TextField(
        max_length=400,
        blank=True,
        default="Bangladesh's esports community: tournaments, teams and players.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        InlinePanel("featured_players", label="Featured players", max_num=12),
    ]
    subpage_types = ["home.NewsIndexPage", "home.StandardPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from profiles.profile_page import featured_cards

        context = super().get_context(request, *args, **kwargs)
        context["news"] = NewsPage.objects.live().public().order_by("-date", "-pk")[:4]
        featured = [item.profile_id for item in self.featured_players.all()]
        context["featured_players"] = featured_cards(featured, request.user)
        context["popular_players"] = featured_cards(
            popular_profile_ids(), request.user, searchable_only=True
        )[:POPULAR_SHOWN]
        return context


def popular_profile_ids() -> list[int]:
    """This week's most viewed players, worked out at most every few minutes.

    Only the ranking is kept; who may see each card is decided per request.
    """
    from django.core.cache import cache

    key = f"popular-players:{timezone.localdate()}"
    try:
        ids = cache.get(key)
    except Exception:
        logger.warning("Popular players read from the database, cache unavailable")
        ids = None
    if ids is None:
        ids = ProfileViews.most_viewed(POPULAR_DAYS, POPULAR_SHOWN * 2)
        try:
            cache.set(key, ids, POPULAR_REFRESH)
        except Exception:
            logger.warning("Popular players not cached, cache unavailable")
    return ids


class FeaturedPlayer(Orderable):
    page = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_players"
    )
    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("profile")]


class NewsIndexPage(Page):
    """The list of news articles, newest first."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["home.NewsPage"]
    parent_page_types = ["home.HomePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = (
            NewsPage.objects.live()
            .public()
            .child_of(self)
            .order_by("-date", "-pk")[:30]
        )
        return context


def newsroom_staff() -> Q:
    """Who an article may be credited to: editors, staff and superusers."""
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(is_staff=True) | Q(groups__name="Editors")
    )
    return Q(pk__in=staff.values("pk"))


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "home.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPage(Page):
    """One news article."""

    date = models.DateField("Publish date", default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        limit_choices_to=newsroom_staff,
        related_name="+",
        help_text="The editor the article is credited to.",
    )
    intro = models.CharField(max_length=250, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("author"), FieldPanel("tags")],
            heading="Details",
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    @property
    def author_name(self) -> str:
        """The credited name: the author's display name, else their username."""
        if self.author is None:
            return ""
        profile = getattr(self.author, "profile", None)
        return profile.display_name if profile else self.author.get_username()

    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []


class StandardPage(Page):
    """About, rules, privacy policy, terms: a title and a body."""

    body = RichTextField(blank=True)

    search_fields = [*Page.search_fields, index.SearchField("body")]
    content_panels = [*Page.content_panels, FieldPanel("body")]
    subpage_types = []


@register_setting(icon="cog")
class CommunitySettings(BaseSiteSetting):
    """Words and links that appear on every page."""

    community_name = models.CharField(max_length=60, default="DeltaCrown")
    footer_text = models.CharField(
        max_length=200, default="DeltaCrown — esports for Bangladesh.", blank=True
    )
    facebook_url = models.URLField(blank=True)
    discord_url = models.URLField(blank=True)
    youtube_url = models.URLField(blank=True)
    announcement = models.CharField(
        max_length=200,
        blank=True,
        help_text="A one-line banner across the top of every page, in its window.",
    )
    announcement_link = models.URLField(blank=True)
    announcement_starts_at = models.DateTimeField(null=True, blank=True)
    announcement_ends_at = models.DateTimeField(null=True, blank=True)

    panels = [
        FieldPanel("community_name"),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("discord_url"),
                FieldPanel("youtube_url"),
            ],
            heading="Social accounts",
        ),
        MultiFieldPanel(
            [
                FieldPanel("announcement"),
                FieldPanel("announcement_link"),
                FieldPanel("announcement_starts_at"),
                FieldPanel("announcement_ends_at"),
            ],
            heading="Announcement banner",
        ),
    ]

    def clean(self):
        super().clean()
        starts, ends = self.announcement_starts_at, self.announcement_ends_at
        if starts and ends and ends <= starts:
            raise ValidationError(
                {"announcement_ends_at": "The banner must end after it starts."}
            )

    def announcement_live(self, now: datetime.datetime | None = None) -> bool:
        """Whether the banner shows now: it has text and now is in its window."""
        now = now or timezone.now()
        return bool(
            self.announcement
            and (
                self.announcement_starts_at is None
                or self.announcement_starts_at <= now
            )
            and (self.announcement_ends_at is None or now < self.announcement_ends_at)
        )

    @property
    def announcement_now(self) -> bool:
        return self.announcement_live()


class ProfileViews(models.Model):
    """How many people viewed a profile on one day, for "popular this week".

    A viewer counts once a day per profile (profiles.views.public), and an
    owner looking at their own page never counts.
    """

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "profile views"
        constraints = [
            models.UniqueConstraint(fields=["profile", "day"], name="one_row_a_day")
        ]
        indexes = [models.Index(fields=["day", "profile"])]

    def __str__(self) -> str:
        return f"{self.views} views of {self.profile_id} on {self.day}"

    @classmethod
    def most_viewed(cls, days: int, limit: int) -> list[int]:
        """Profile ids with the most views over the last ``days`` days, most first.

        Only players who chose to be found are ranked: a list on the home page
        is a way of being found. The week's leaders are read from the views
        alone, then checked against privacy by key, so neither step reads a
        whole table. Should most of the leaders have opted out, fewer than
        ``limit`` come back.
        """
        from profiles.models import PrivacySettings

        since = timezone.localdate() - datetime.timedelta(days=days - 1)
        leaders = list(
            cls.objects.filter(day__gte=since)
            .values("profile")
            .annotate(total=Sum("views"))
            .order_by("-total", "profile")
            .values_list("profile", flat=True)[: limit * 4]
        )
        searchable = set(
            PrivacySettings.objects.filter(
                profile_id__in=leaders, searchable=True
            ).values_list("profile_id", flat=True)
        )
        return [pk for pk in leaders if pk in searchable][:limit]
