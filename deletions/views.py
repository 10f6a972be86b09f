"""The player's side: download their data, ask for deletion, cancel it."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from profiles.account_security import reauthentication_refusal

from . import services
from .export import build_export
from .models import DeletionRequest

security_logger = logging.getLogger("security")


@require_GET
@never_cache
@login_required
def data_export(request):
    """Every piece of the player's data as a JSON file to keep."""
    data = build_export(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="deltacrown-data.json"'
    security_logger.info("Data export downloaded user_id=%s", request.user.pk)
    return response


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def delete_account(request):
    """Offer the data export first, then take the confirmed request."""
    deletion = DeletionRequest.objects.filter(user=request.user).first()
    if request.method == "POST":
        refusal = reauthentication_refusal(request, reverse("deletions:delete"))
        if refusal is not None:
            return refusal
        if request.POST.get("confirm") != "yes":
            messages.error(request, "Tick the box to confirm; nothing was requested.")
            return redirect("deletions:delete")
        try:
            deletion = services.request_deletion(request.user)
        except services.DeletionRefused as refused:
            messages.error(request, str(refused))
            return redirect("deletions:delete")
        messages.success(
            request,
            "Deletion requested. You can cancel it here until "
            f"{day(deletion.grace_ends_at)}.",
        )
        return redirect("deletions:delete")

    return render(
        request,
        "deletions/delete_account.html",
        {
            "deletion": deletion if deletion and deletion.is_pending else None,
            "grace_days": settings.DELETION_GRACE_DAYS,
        },
    )


@require_POST
@login_required
def cancel_deletion(request):
    """Keep the account: the pending request is withdrawn."""
    try:
        services.cancel_deletion(request.user)
    except services.DeletionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Deletion cancelled. Your account stays as it is.")
    return redirect("deletions:delete")


def day(moment) -> str:
    """A date as players read it, in the site's time zone."""
    return date_format(timezone.localtime(moment), "j F Y")
