import logging
import re

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gaceta.core.addresses import absolute_url
from gaceta.members.access import Tier, tier_of

from . import services
from .models import PaidPlan
from .stripe_api import client, payments_enabled
from .webhooks import InvalidEvent, handle_event

logger = logging.getLogger(__name__)
CHECKOUT_SESSION_ID = re.compile(r"cs_[A-Za-z0-9_]{1,250}")


def subscribe(request):
    """Template `payments/subscribe.html`; context: `plan`, `payments_enabled`, `tier`,
    `yearly_saving` (percent against twelve months)."""
    plan = PaidPlan.load()
    twelve_months = plan.monthly_price * 12
    saving = round(100 * (twelve_months - plan.yearly_price) / twelve_months) if twelve_months else 0
    return render(request, "payments/subscribe.html", {
        "plan": plan, "payments_enabled": payments_enabled(), "tier": tier_of(request.user),
        "yearly_saving": max(0, saving),
    })


@login_required
@require_POST
def checkout(request):
    if not payments_enabled():
        messages.error(request, "Subscriptions cannot be paid for online at the moment. Please try again later.")
        return redirect("payments:subscribe")
    interval = request.POST.get("interval", "")
    if interval not in services.INTERVALS:
        return HttpResponseBadRequest("Choose monthly or yearly.")
    url = services.start_checkout(
        member=request.user,
        interval=interval,
        success_url=absolute_url(reverse("payments:success")),
        cancel_url=absolute_url(reverse("payments:subscribe")),
    )
    return redirect(url)


@login_required
def success(request):
    """Back from Checkout: mirror the subscription now rather than wait for the webhook."""
    session_id = request.GET.get("session_id", "")
    if payments_enabled() and session_id:
        if not CHECKOUT_SESSION_ID.fullmatch(session_id):
            raise BadRequest("That is not a Stripe Checkout session id.")
        try:
            services.sync_checkout_session(session_id=session_id)
        except stripe.InvalidRequestError as error:
            logger.warning("Return from an unknown Checkout session %s: %s", session_id, error)
            raise BadRequest("Stripe knows no such checkout session. If you paid, your subscription "
                             "will show on your account page within minutes.") from error
    member = get_user_model().objects.get(pk=request.user.pk)  # its tier as of now
    if tier_of(member) is Tier.PAID:
        messages.success(request, "Thank you: your subscription is active.")
    else:
        messages.info(request, "Thank you. Your payment is being confirmed; this takes a moment.")
    return redirect("members:account")


@login_required
@require_POST
def portal(request):
    if not payments_enabled() or not hasattr(request.user, "stripe_customer"):
        messages.error(request, "There is no subscription to manage.")
        return redirect("members:account")
    return redirect(services.portal_url(member=request.user, return_url=absolute_url(reverse("members:account"))))


@csrf_exempt  # Stripe cannot send a CSRF token; the signature check below authenticates it.
@require_POST
def webhook(request):
    if not payments_enabled():
        return HttpResponse(status=404)
    try:
        event = client().construct_event(
            request.body, request.headers.get("Stripe-Signature"), settings.STRIPE_WEBHOOK_SECRET
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        logger.warning("Rejected a Stripe webhook: %s", error)
        return HttpResponse("Not a signed Stripe event.", status=400, content_type="text/plain")
    try:
        return HttpResponse(handle_event(event), content_type="text/plain")
    except InvalidEvent as error:
        # Recorded as nothing: Stripe retries, and the event is handled once it makes sense.
        logger.warning("Stripe event could not be handled: %s", error)
        return HttpResponse(f"Event not handled: {error}", status=400, content_type="text/plain")
