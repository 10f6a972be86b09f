from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from deltacrown import health, metrics
from profiles.views import search

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("robots.txt", search.robots_txt, name="robots"),
    path("sitemap.xml", search.sitemap, name="sitemap"),
    path("search/", search.search, name="search"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("me/account/", include("deletions.urls")),
    path("", include("payouts.urls")),
    path("", include("moderation.urls")),
    path("", include("profiles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "deltacrown.errors.bad_request"
# Not one of Django's: allauth's rate limits answer through it.
handler429 = "deltacrown.errors.too_many_requests"

# Wagtail serves every path the rules above did not claim; it must come last.
urlpatterns += [path("", include(wagtail_urls))]
