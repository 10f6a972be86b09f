"""How allauth works here: the username policy, links in emails, client addresses."""

import logging
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import render

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context

from moderation.services import current_suspension

from . import usernames
from .account_security import client_address
from .models import User

security_logger = logging.getLogger("security")

# One answer for every name someone else holds or the site keeps, so sign-up
# tells no more than visiting /@name/ would.
USERNAME_UNAVAILABLE = "This username isn't available. Choose another."
UNAVAILABLE_CODES = {"reserved", "username_taken", "username_blacklisted"}


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        try:
            username = super().clean_username(username, shallow=shallow)
        except DjangoValidationError as error:
            if getattr(error, "code", None) in UNAVAILABLE_CODES:
                raise self.username_unavailable() from None
            raise
        if (
            not shallow
            and User.objects.filter(
                username_skeleton=usernames.skeleton(username)
            ).exists()
        ):
            raise self.username_unavailable()
        return username

    def username_unavailable(self) -> DjangoValidationError:
        return DjangoValidationError(USERNAME_UNAVAILABLE, code="unavailable")

    def validation_error(self, code, *args):
        """allauth's form errors; a sign-in refused by its budget is logged.

        allauth spends the ``login_failed`` budget (per address, and per typed
        login) without a signal or a 429 of its own: it shows this error on the
        sign-in form instead.
        """
        if code == "too_many_login_attempts":
            request = allauth_context.request
            security_logger.warning(
                "Sign-in refused, too many failed attempts client=%s",
                client_address(request) if request is not None else "unknown",
            )
        return super().validation_error(code, *args)

    def respond_user_inactive(self, request, user):
        """The suspended player learns until when, on allauth's inactive page."""
        return render(
            request,
            "account/account_inactive.html",
            {"suspension": current_suspension(user)},
        )

    def send_mail(self, template_prefix, email, context):
        """Send one of allauth's emails, its links pointing at SITE_URL.

        allauth builds links from the request (its Host header and scheme);
        every email passes through here, so this is where they are rebased.
        """
        request = allauth_context.request
        host = request.get_host() if request is not None else None
        rebased = {
            key: site_url(value)
            for key, value in context.items()
            if key.endswith("_url")
            and isinstance(value, str)
            and urlsplit(value).netloc == host
        }
        site = SimpleNamespace(
            name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc
        )
        super().send_mail(
            template_prefix, email, {**context, **rebased, "current_site": site}
        )

    def is_safe_url(self, url):
        """allauth's check of ``?next=``, and never from https down to http."""
        try:
            if not super().is_safe_url(url):
                return False
        except ValueError:
            # urlparse refuses some spellings outright ("http://[evil"); allauth
            # would let that become a server error.
            return False
        request = allauth_context.request
        if request is not None and request.is_secure():
            return urlsplit(url).scheme.lower() in ("", "https")
        return True

    def get_client_ip(self, request):
        """The client's address under ALLAUTH_TRUSTED_PROXY_COUNT.

        A request that carries fewer X-Forwarded-For entries than the proxies
        we run did not come through them all; the peer that connected to us is
        the best address we have, where allauth would fail the request.
        """
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            security_logger.warning(
                "Forwarded-for chain shorter than the trusted proxy count path=%s",
                request.path,
            )
            address = request.META.get("REMOTE_ADDR")
            if not address:
                raise PermissionDenied("No client address") from None
            return address


def site_url(url: str) -> str:
    """``url`` (absolute, or a path) on the site's configured origin, SITE_URL."""
    origin = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    return urlunsplit(
        (origin.scheme, origin.netloc, parts.path, parts.query, parts.fragment)
    )
