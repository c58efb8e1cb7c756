from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gaceta.core import ratelimit
from gaceta.members.access import can_receive, tier_of

from . import services
from .forms import MemberNewslettersForm, NewsletterSignupForm
from .models import Newsletter, NewsletterIssue
from .rendering import issue_context

SIGNUPS_PER_ADDRESS = "10/h"


# Pages for anonymous readers come from a shared cache, so their forms cannot carry a CSRF token.
# Signing up only sends a confirmation email (double opt-in), which anyone could ask for anyway;
# a rate limit per address bounds it.
@csrf_exempt
@require_POST
def signup(request):
    """Template `newsletters/signup_done.html`, or `newsletters/signup.html` (context: `form`) with errors."""
    limit, period = ratelimit.parse_rate(SIGNUPS_PER_ADDRESS)
    verdict = ratelimit.consume(f"newsletter-signup:{ratelimit.client_ip(request)}", limit, period)
    if not verdict.allowed:
        response = render(request, "newsletters/signup.html", {"form": NewsletterSignupForm(request.POST), "too_many": True}, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    form = NewsletterSignupForm(request.POST)
    if not form.is_valid():
        return render(request, "newsletters/signup.html", {"form": form}, status=400)
    member = request.user if request.user.is_authenticated else None
    for newsletter in form.cleaned_data["newsletters"]:
        services.subscribe(newsletter=newsletter, email=form.cleaned_data["email"], member=member)
    return render(request, "newsletters/signup_done.html", {"email": form.cleaned_data["email"]})


def confirm(request, token):
    """A link scanner may open the link: the subscription starts only when the reader presses the
    button. Template `newsletters/confirm.html`; context: `done`, `invalid`, `newsletter`."""
    if request.method == "POST":
        subscription = services.confirm_subscription(token=token)
        if subscription is None:
            return render(request, "newsletters/confirm.html", {"invalid": True}, status=400)
        return render(request, "newsletters/confirm.html", {"done": True, "newsletter": subscription.newsletter})
    return render(request, "newsletters/confirm.html", {})


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no cookie at all
def unsubscribe(request, token):
    """GET: a page with a button (link scanners must not unsubscribe anyone). POST: off the list
    at once. Template `newsletters/unsubscribe.html`; context: `done`, `newsletter`."""
    if request.method == "POST":
        subscription = services.unsubscribe_by_token(token=token)
        if subscription is None:
            return render(request, "newsletters/unsubscribe.html", {"invalid": True}, status=404)
        return render(request, "newsletters/unsubscribe.html", {"done": True, "newsletter": subscription.newsletter})
    return render(request, "newsletters/unsubscribe.html", {})


@login_required
@require_POST
def preferences(request):
    choices = [n.pk for n in Newsletter.objects.filter(is_active=True) if can_receive(request.user, n)]
    form = MemberNewslettersForm(request.POST, choices=Newsletter.objects.filter(pk__in=choices))
    if form.is_valid():
        services.set_member_newsletters(member=request.user, newsletters=form.cleaned_data["newsletters"])
        messages.success(request, "Your newsletters are saved.")
    else:
        messages.error(request, "Those newsletters could not be saved.")
    return redirect("members:account")


def archive(request, slug):
    """Template `newsletters/archive.html`; context: `newsletter`, `issues` (sent ones)."""
    newsletter = get_object_or_404(Newsletter, slug=slug)
    issues = newsletter.issues.filter(status=NewsletterIssue.Status.SENT).order_by("-sent_at")[:200]
    return render(request, "newsletters/archive.html", {"newsletter": newsletter, "issues": issues})


def issue(request, slug, pk):
    """A sent issue on the web, shown as the email showed it to a reader of the visitor's tier.
    Template `newsletters/issue.html`; context as the email's (`issue_context`)."""
    issue = get_object_or_404(NewsletterIssue.objects.select_related("newsletter"), pk=pk, newsletter__slug=slug)
    if issue.status != NewsletterIssue.Status.SENT:
        raise Http404("Not sent yet")
    context = issue_context(issue, tier_of(request.user))
    context["unsubscribe_url"] = None
    return render(request, "newsletters/issue.html", context)

