"""Response headers every page needs and no view should have to remember."""

import hashlib
import logging

from django.core.cache import cache
from django.utils.cache import patch_cache_control

from allauth.account.adapter import get_adapter
from allauth.usersessions.models import UserSession

logger = logging.getLogger(__name__)


class PrivateByDefaultMiddleware:
    """Keep what one viewer sees out of shared caches.

    A page for a signed-in player is theirs alone (``private``), and any page
    may change with a privacy setting, so caches must ask again each time
    (``no-cache``). A view that sets its own Cache-Control is left alone;
    static files never come this far.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, no_cache=True)
        return response


class SessionActivityMiddleware:
    """Refresh the signed-in session's record (address, browser, last seen).

    allauth's own middleware rewrites the record on every request, five
    statements each time. Here the record is refreshed at most once a minute
    per session, address and browser, so a change of address or browser still
    shows at once. Without the cache it refreshes every time, as allauth does.
    """

    INTERVAL = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (
            user is not None
            and user.is_authenticated
            and session is not None
            and session.session_key
            and self._due(request)
        ):
            UserSession.objects.create_from_request(request)
        return self.get_response(request)

    def _due(self, request) -> bool:
        client = "\n".join(
            [
                get_adapter().get_client_ip(request),
                request.META.get("HTTP_USER_AGENT", ""),
            ]
        )
        digest = hashlib.sha256(client.encode()).hexdigest()[:16]
        key = f"session-seen:{request.session.session_key}:{digest}"
        try:
            return cache.add(key, 1, self.INTERVAL)
        except Exception:
            logger.warning("Cache unavailable, session activity refreshed anyway")
            return True
