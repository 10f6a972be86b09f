"""Signing in while a deletion request is pending offers to cancel it."""

from django.contrib import messages
from django.dispatch import receiver
from django.urls import reverse
from django.utils.html import format_html

from allauth.account.signals import user_logged_in

from .models import DeletionRequest
from .views import day


@receiver(user_logged_in)
def offer_to_cancel_deletion(sender, request, user, **kwargs):
    deletion = DeletionRequest.objects.filter(
        user=user, status=DeletionRequest.Status.REQUESTED
    ).first()
    if deletion is None:
        return
    messages.warning(
        request,
        format_html(
            'Your account is due to be deleted after {}. <a href="{}">Keep my '
            "account</a>",
            day(deletion.grace_ends_at),
            reverse("deletions:delete"),
        ),
    )
