"""Editorial pages: the home page, news and standard pages, and site settings."""

from django.db import models
from django.utils import timezone

from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey


class ArticleBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", icon="title")
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    image = ImageBlock()
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
        return context


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


class NewsPage(Page):
    """One news article."""

    date = models.DateField("Publish date", default=timezone.localdate)
    intro = models.CharField(max_length=250, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
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
