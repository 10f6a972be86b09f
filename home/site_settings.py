"""Site settings for templates, kept in the shared cache between requests.

Wagtail's own context processor finds the request's site and reads each
setting from the database on every page: two queries for the footer and the
community name. Editors change settings rarely; every save of a setting or a
site forgets the cached copies, and a copy lives at most a few minutes should a
change bypass the signals (a bulk update).
"""

from __future__ import annotations

import logging

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.contrib.settings.context_processors import (
    SettingModuleProxy,
    SettingProxy,
)
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.contrib.settings.registry import registry
from wagtail.models import Site

from deltacrown import versioned_cache

logger = logging.getLogger(__name__)

VERSION_KEY = "site-settings:version"
TIMEOUT = 5 * 60


def site_setting(model, request):
    """The setting of this model for the request's site, from the cache if there."""
    attr_name = model.get_cache_attr_name()
    if hasattr(request, attr_name):
        return getattr(request, attr_name)
    instance = versioned_cache.get_or_build(
        [VERSION_KEY],
        f"site-settings:{model._meta.label_lower}:{request.get_host()}",
        lambda: model.for_request(request),
        timeout=TIMEOUT,
        version_timeout=None,
        what="Site settings",
    )
    # Setting links to pages are resolved against the request, as Wagtail does.
    instance._request = request
    setattr(request, attr_name, instance)
    return instance


def forget_all() -> None:
    try:
        versioned_cache.bump([VERSION_KEY], None)
    except Exception:
        logger.exception("Site settings cache not emptied")


@receiver(post_save)
@receiver(post_delete)
def forget_on_change(sender, raw=False, created=False, **kwargs):
    """Forget the cached settings when a site or a setting changes.

    A setting's row is made the first time it is read (Wagtail's for_site),
    so no copy of a row just created can be in the cache: making one forgets
    nothing, and the copy built by the read that made it is kept.
    """
    if raw:
        return
    if sender is Site or (issubclass(sender, BaseSiteSetting) and not created):
        forget_all()


class CachedSettingModuleProxy(SettingModuleProxy):
    def get_setting(self, model_name):
        model = registry.get_by_natural_key(self.app_label, model_name)
        if (
            model is not None
            and issubclass(model, BaseSiteSetting)
            and self.request_or_site is not None
            and not isinstance(self.request_or_site, Site)
        ):
            return site_setting(model, self.request_or_site)
        return super().get_setting(model_name)


class CachedSettingProxy(SettingProxy):
    def __missing__(self, app_label):
        self[app_label] = value = CachedSettingModuleProxy(
            self.request_or_site, app_label
        )
        return value


def settings(request):
    """`{{ settings.app.Model }}` in templates, as Wagtail's processor offers it."""
    return {"settings": CachedSettingProxy(request_or_site=request)}
