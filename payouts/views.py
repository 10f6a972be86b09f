"""`/me/payouts/`: a player's balance, their claims, and the form to claim."""

import logging
import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from profiles.models import Profile, WalletTransaction

from . import money, services
from .forms import ClaimForm
from .models import PayoutClaim, PayoutSettings

logger = logging.getLogger(__name__)

HISTORY_LENGTH = 30


def payouts_page(request):
    """The balance, pending and past claims, the ledger, and the claim form."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())

    profile = Profile.objects.get(user_id=request.user.pk)
    wallet = services.get_wallet(profile)
    minimum_poisha = PayoutSettings.for_request(request).minimum_claim_poisha
    if request.method != "POST":
        form = ClaimForm(methods=wallet.methods, initial=_fresh_initial(wallet))
        return _render(request, profile, wallet, form, minimum_poisha)

    form = ClaimForm(request.POST, methods=wallet.methods)
    if not form.is_valid():
        messages.error(request, "Check the claim: see the message beside each field.")
        return _render(request, profile, wallet, form, minimum_poisha, status=400)
    try:
        claim, created = services.claim_payout(
            profile,
            amount_poisha=money.to_poisha(form.cleaned_data["amount"]),
            method=form.cleaned_data["method"],
            token=form.cleaned_data["token"],
            minimum_poisha=minimum_poisha,
        )
    except services.PayoutRefused as refusal:
        messages.error(request, refusal.message)
        return _render(request, profile, wallet, form, minimum_poisha, status=400)
    except DatabaseError:
        logger.exception("Payout claim failed public_id=%s", profile.public_id)
        messages.error(
            request,
            "We couldn't take your claim just now. Nothing was held; try again.",
        )
        return _render(request, profile, wallet, form, minimum_poisha, status=503)

    if created:
        messages.success(
            request,
            f"Claim #{claim.pk} for Tk {claim.amount} received. The amount is held "
            "from your balance until staff pay it.",
        )
    else:
        messages.info(request, f"Claim #{claim.pk} was already received.")
    return redirect("payouts:claims")


def _fresh_initial(wallet) -> dict:
    initial = {"token": uuid.uuid4()}
    if wallet.methods:
        initial["method"] = wallet.methods[0][0]
    return initial


def _render(request, profile, wallet, form, minimum_poisha, status=200):
    claims = list(PayoutClaim.objects.filter(profile=profile)[:HISTORY_LENGTH])
    ledger = WalletTransaction.objects.filter(profile=profile)[:HISTORY_LENGTH]
    context = {
        "form": form,
        "balance": money.taka(wallet.balance_poisha),
        "held": money.taka(wallet.held_poisha),
        "minimum": money.taka(minimum_poisha),
        "can_claim": bool(wallet.methods) and wallet.balance_poisha >= minimum_poisha,
        "has_methods": bool(wallet.methods),
        "pending": [claim for claim in claims if claim.is_pending],
        "past": [claim for claim in claims if not claim.is_pending],
        "ledger": [
            {"entry": entry, "amount": money.taka(entry.amount_poisha)}
            for entry in ledger
        ],
    }
    return render(request, "payouts/claims.html", context, status=status)
