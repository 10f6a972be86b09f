"""The editorial half of the demo: home page, news, standard pages, site settings.

Every step looks for what is already there (by slug, under its parent) and
only adds what is missing, so a second run publishes nothing new.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from home.models import (
    CommunitySettings,
    FeaturedPlayer,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ProfileViews,
    StandardPage,
)

from . import demo_data as data

# Wagtail's first migration leaves a plain Page with this slug under the root;
# we move it aside to this one before deleting it.
WAGTAIL_WELCOME_SLUG = "home"
WELCOME_ASIDE_SLUG = "wagtail-welcome"


def seed_pages(featured_profile_ids: list[int]) -> dict[str, int]:
    """Make the site's pages exist and be live; return how many were created."""
    created = {"pages": 0}
    with transaction.atomic():
        home = _home_page(featured_profile_ids, created)
        site = _default_site(home)
        _remove_wagtail_welcome_page()

        news_index = _child(
            home,
            NewsIndexPage,
            created,
            slug=data.NEWS_INDEX["slug"],
            title=data.NEWS_INDEX["title"],
            intro=data.NEWS_INDEX["intro"],
        )
        for article in data.NEWS:
            _child(
                news_index,
                NewsPage,
                created,
                slug=article["slug"],
                title=article["title"],
                date=article["date"],
                intro=article["intro"],
                body=[
                    (kind, RichText(value) if kind == "paragraph" else value)
                    for kind, value in article["body"]
                ],
            )
        for page in data.STANDARD_PAGES:
            _child(home, StandardPage, created, **page)

        CommunitySettings.objects.update_or_create(
            site=site, defaults=data.COMMUNITY_SETTINGS
        )
    return created


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _home_page(featured_profile_ids: list[int], created: dict) -> HomePage:
    home = HomePage.objects.first()  # max_count = 1
    featured = [
        FeaturedPlayer(profile_id=profile_id, sort_order=position)
        for position, profile_id in enumerate(featured_profile_ids)
    ]
    if home is None:
        root = Page.get_first_root_node()
        slug = WAGTAIL_WELCOME_SLUG
        welcome = _wagtail_welcome_pages().filter(slug=slug).first()
        if welcome is not None:
            # Free the slug for the new home page; the old page goes in a moment.
            Page.objects.filter(pk=welcome.pk).update(slug=WELCOME_ASIDE_SLUG)
        elif root.get_children().filter(slug=slug).exists():
            slug = "deltacrown"
        home = HomePage(
            title=data.HOME["title"],
            slug=slug,
            hero_title=data.HOME["hero_title"],
            hero_text=data.HOME["hero_text"],
        )
        home.featured_players = featured
        root.add_child(instance=home)
        _publish(home)
        created["pages"] += 1
    else:
        # Top up to the wanted number (a run with few players may have featured
        # fewer), never reorder or replace what is there.
        current = list(home.featured_players.values_list("profile_id", flat=True))
        room = len(featured_profile_ids) - len(current)
        missing = [pid for pid in featured_profile_ids if pid not in current][:room]
        if missing:
            home = home.get_latest_revision_as_object()
            home.featured_players = [
                *home.featured_players.all(),
                *(
                    FeaturedPlayer(profile_id=profile_id, sort_order=len(current) + k)
                    for k, profile_id in enumerate(missing)
                ),
            ]
            _publish(home)
    return home


def _default_site(home: HomePage) -> Site:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return Site.objects.create(
            hostname="localhost",
            port=80,
            site_name=data.HOME["title"],
            root_page=home,
            is_default_site=True,
        )
    if site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or data.HOME["title"]
        site.save()
    return site


def _wagtail_welcome_pages():
    """Plain, childless pages at the top of the tree: Wagtail's placeholder."""
    return Page.objects.filter(
        depth=2,
        numchild=0,
        slug__in=[WAGTAIL_WELCOME_SLUG, WELCOME_ASIDE_SLUG],
        content_type=ContentType.objects.get_for_model(Page),
    ).exclude(sites_rooted_here__isnull=False)


def _remove_wagtail_welcome_page() -> None:
    for page in _wagtail_welcome_pages():
        page.delete()


def _child(parent: Page, model: type[Page], created: dict, *, slug: str, **fields):
    """The live child of `parent` with this slug, created and published if missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    _publish(page)
    created["pages"] += 1
    return page


def seed_profile_views(profile_ids: list[int]) -> None:
    """A week of profile views, so the home page has players popular this week.

    Counts are fixed per player and day, so seeding again changes nothing.
    """
    today = timezone.localdate()
    for rank, profile_id in enumerate(profile_ids):
        for days_ago in range(7):
            ProfileViews.objects.update_or_create(
                profile_id=profile_id,
                day=today - datetime.timedelta(days=days_ago),
                defaults={"views": max(3, 60 - rank * 7 - days_ago * 3)},
            )
