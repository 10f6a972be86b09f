"""Content-Security-Policy: the public site's strict policy, the admin's own."""

from django.conf import settings

from csp.constants import SELF
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, sending ``ADMIN_CONTENT_SECURITY_POLICY`` under
    its URL prefixes and ``CONTENT_SECURITY_POLICY`` everywhere else.

    A page previewed in the admin is rendered by a request Wagtail makes up for
    the page's public URL (marked ``is_dummy``): it keeps the public policy but
    may be framed by the admin's page editor. A view that sets a policy of its
    own with django-csp's decorators keeps it.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts

        admin_policy = settings.ADMIN_CONTENT_SECURITY_POLICY
        if request.path_info.startswith(tuple(admin_policy["URL_PREFIXES"])):
            parts.config = admin_policy["DIRECTIVES"]
        elif getattr(request, "is_dummy", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
