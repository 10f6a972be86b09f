"""Error answers that speak the client's language: JSON for JSON clients."""

import logging
from http import HTTPStatus

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render

security_logger = logging.getLogger("security")

HEADINGS = {
    400: "That request didn't make sense",
    401: "Please sign in",
    403: "That isn't allowed",
    405: "That can't be done here",
    413: "That was too large",
    415: "We can't read that",
    429: "Slow down a little",
    503: "We're having trouble",
}


def wants_json(request) -> bool:
    """True for the JavaScript client and for API callers that are not browsers."""
    accept = request.headers.get("Accept", "")
    content_type = request.headers.get("Content-Type", "")
    if "application/json" in accept or content_type.startswith("application/json"):
        return True
    return "text/html" not in accept


def json_error(status: int, message: str, errors: dict | None = None) -> JsonResponse:
    """The one shape every failed JSON answer takes."""
    body = {"success": False, "error": message}
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(body, status=status)


def error_response(request, status: int, message: str, errors=None) -> HttpResponse:
    """A refusal as JSON for JSON clients, or as the site's own page for browsers."""
    if wants_json(request):
        return json_error(status, message, errors)
    if status == HTTPStatus.NOT_FOUND:
        return not_found(request)
    heading = HEADINGS.get(status, HTTPStatus(status).phrase)
    context = {"status": status, "heading": heading, "message": message}
    return render(request, "error.html", context, status=status)


def not_found(request, exception=None) -> HttpResponse:
    """The site's 404 page, the same for every missing thing, in any mode."""
    return render(request, "404.html", status=404)


def check_csrf(request) -> HttpResponse | None:
    """Run the CSRF check now; for views that first answer 401 to strangers."""
    try:
        return CsrfViewMiddleware(lambda _request: None).process_view(
            request, None, (), {}
        )
    except (RequestDataTooBig, TooManyFieldsSent):
        # The check reads the form for its token and met the size limit first.
        return error_response(request, 413, "That request is too large.")


def csrf_failure(request, reason=""):
    security_logger.warning(
        "CSRF check failed path=%s reason=%s", request.path, reason or "unknown"
    )
    message = (
        "Your session's security token is missing or out of date. "
        "Reload the page and try again."
    )
    if wants_json(request):
        return json_error(403, message)
    return render(request, "403_csrf.html", {"message": message}, status=403)


def too_many_requests(request) -> HttpResponse:
    """allauth's answer once a sign-in, sign-up or reset budget is spent.

    Django has no 429 handler; allauth looks for ``handler429`` in the root
    URLconf, and this logs the refusal before showing the site's page.
    """
    # Imported here: profiles.account_security imports this module.
    from profiles.account_security import client_address

    match = getattr(request, "resolver_match", None)
    security_logger.warning(
        "Rate limit refused a request view=%s client=%s",
        match.view_name if match is not None else "unresolved",
        client_address(request),
    )
    status = HTTPStatus.TOO_MANY_REQUESTS
    context = {
        "status": status,
        "heading": HEADINGS[status],
        "message": "There have been too many attempts from here in a short time. "
        "Wait a few minutes, then try again.",
    }
    return render(request, "error.html", context, status=status)


def bad_request(request, exception=None):
    """Django's 400 handler: a request body over the limit is a 413."""
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return error_response(request, 413, "That request is too large.")
    return error_response(request, 400, "The request could not be understood.")
