"""Site search, the sitemap and robots.txt: how people and crawlers find things."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page

from profiles.discovery import PlayerSitemap, clean_query, search_players

PAGE_RESULTS = 20
SITEMAPS = {"pages": PageSitemap, "players": PlayerSitemap}


@require_GET
def search(request):
    """`/search/?q=`: live public pages and the players this viewer may find."""
    query = clean_query(request.GET.get("q", ""))
    pages = []
    players = []
    if query:
        pages = list(
            Page.objects.live().public().specific().search(query)[:PAGE_RESULTS]
        )
        players = search_players(query, request.user)

    response = render(
        request,
        "search.html",
        {"query": query, "pages": pages, "players": players},
    )
    # Results differ per viewer, and a results page is no page to index.
    response["X-Robots-Tag"] = "noindex"
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def sitemap(request):
    """`/sitemap.xml`: Wagtail's live public pages and the listable profiles."""
    return wagtail_sitemap(request, sitemaps=SITEMAPS)


@require_GET
def robots_txt(request):
    """`/robots.txt`: where the sitemap is, and what crawlers should leave alone."""
    lines = [
        "User-agent: *",
        "Disallow: /me/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /search/",
        "",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
