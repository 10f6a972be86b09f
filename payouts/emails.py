"""The email that tells a player a wallet number of theirs was changed."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from allauth.account.models import EmailAddress

from profiles.adapters import site_url
from profiles.models import WalletSettings

logger = logging.getLogger(__name__)


def send_number_changed(user_id: int, masked: dict[str, tuple[str, str]]) -> None:
    """Tell the player which numbers changed, shown masked, and what it holds back."""
    address = (
        EmailAddress.objects.filter(user_id=user_id, primary=True)
        .values_list("email", flat=True)
        .first()
    )
    if not address:
        logger.info("Wallet change email skipped, no address user_id=%s", user_id)
        return
    labels = dict(WalletSettings.Method.choices)
    changes = [
        {"label": labels[method], "old": old, "new": new}
        for method, (old, new) in sorted(masked.items())
    ]
    context = {
        "changes": changes,
        "wallet_url": site_url(
            reverse("profiles:settings-section", kwargs={"section": "wallet"})
        ),
        "security_url": site_url(reverse("account_change_password")),
    }
    subject = render_to_string("payouts/email/number_changed_subject.txt", context)
    body = render_to_string("payouts/email/number_changed_message.txt", context)
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body,
        None,
        [address],
    )
    logger.info("Wallet change email sent user_id=%s", user_id)
