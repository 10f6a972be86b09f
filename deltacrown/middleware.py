"""Response headers every page needs and no view should have to remember."""

import hashlib
import time

from django.utils.cache import patch_cache_control

from allauth.account.adapter import get_adapter
from allauth.usersessions.models import UserSession


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
    shows at once. When it was last refreshed, and for which session key and
    client, is kept in the session itself, which every signed-in request has
    loaded already: knowing costs nothing, and a refresh saves the session.
    """

    INTERVAL = 60
    SEEN = "deltacrown_session_seen"

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
        mark = [
            request.session.session_key,
            hashlib.sha256(client.encode()).hexdigest()[:16],
        ]
        seen = request.session.get(self.SEEN)
        now = int(time.time())
        if (
            isinstance(seen, list)
            and seen[:2] == mark
            and 0 <= now - seen[2] < self.INTERVAL
        ):
            return False
        request.session[self.SEEN] = [*mark, now]
        return True
