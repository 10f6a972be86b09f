"""Response headers every page needs and no view should have to remember."""

from django.utils.cache import patch_cache_control


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
