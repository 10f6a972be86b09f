"""Error answers that speak the client's language: JSON for JSON clients."""

import logging

from django.http import JsonResponse
from django.shortcuts import render

security_logger = logging.getLogger("security")


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
