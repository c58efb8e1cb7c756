import json
import time

from allauth.account import app_settings as allauth_settings
from allauth.core.internal.ratelimit import get_cache_key, parse_rates
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from gaceta.core.ratelimit import too_many_requests

from . import services
from .access import tier_of
from .forms import DeleteAccountForm, AccountForm


@login_required
def account(request):
    """Template `members/account.html`; context: `form`, `tier`, `grants`. Subscriptions and
    newsletters are shown by their apps' tags."""
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your details are saved.")
        return redirect("members:account")
    return render(request, "members/account.html", {
        "form": form,
        "tier": tier_of(request.user),
        "grants": [grant for grant in request.user.complimentary_access.all() if grant.is_active()],
    })


@login_required
def export_data(request):
    data = services.export_member_data(member=request.user)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.now():%Y-%m-%d}.json"'
    return response


@login_required
def delete_account(request):
    """Template `members/delete_account.html`; context: `form`, `comments_removed`."""
    form = DeleteAccountForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_member(member=request.user)
        except services.AccountNotDeleted as error:
            form.add_error(None, str(error))
            status = 503
        else:
            logout(request)
            messages.success(request, "Your account has been deleted.")
            return redirect("/")
    return render(request, "members/delete_account.html", {
        "form": form, "comments_removed": settings.GACETA_DELETED_MEMBER_COMMENTS == "remove",
    }, status=status)


def account_rate_limited(request):
    """Allauth's answer over one of its limits (ROOT_URLCONF.handler429), with Retry-After.

    Allauth keeps, per limit and address, the times of recent attempts; the wait is until the
    oldest attempt that counts leaves its window. Limits per email address or account cannot be
    found from the request alone: then the longest configured window is the honest bound.
    """
    now, waits, windows = time.time(), [], [60]
    for action, config in (allauth_settings.RATE_LIMITS or {}).items():
        for rate in parse_rates(config):
            windows.append(rate.duration)
            if rate.per != "ip":
                continue
            history = cache.get(get_cache_key(request, app="allauth.account", action=action, rate=rate), [])
            if len(history) >= rate.amount:
                waits.append(history[rate.amount - 1] + rate.duration - now)
    wait = max(waits) if waits else max(windows)
    return too_many_requests(request, "429.html", {}, max(1, int(wait) + 1))
