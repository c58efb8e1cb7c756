from django import template

from gaceta.core.addresses import is_account_page
from gaceta.members.access import can_receive

from ..forms import MemberNewslettersForm, open_newsletters
from ..models import Newsletter, NewsletterSubscription

register = template.Library()


@register.inclusion_tag("tags/newsletter_signup.html", takes_context=True)
def newsletter_signup(context):
    """The sign-up form at the foot of every page but the account pages: beside the account's
    own sign-up form it was a second "Sign up" button, and on the member's account page, which
    has its own choice of newsletters, a link to itself."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if request is not None and (is_account_page(request) or (match and match.view_name == "members:account")):
        return {"newsletters": []}
    return {"newsletters": list(open_newsletters()), "user": context.get("user")}


@register.inclusion_tag("tags/member_newsletters.html", takes_context=True)
def member_newsletters(context):
    """The account page's choice of newsletters: those open to the member, theirs ticked."""
    member = context["user"]
    choices = [n.pk for n in Newsletter.objects.filter(is_active=True) if can_receive(member, n)]
    mine = NewsletterSubscription.objects.filter(
        email__iexact=member.email, status__in=[NewsletterSubscription.Status.ACTIVE, NewsletterSubscription.Status.PENDING]
    ).values_list("newsletter_id", flat=True)
    form = MemberNewslettersForm(initial={"newsletters": list(mine)}, choices=Newsletter.objects.filter(pk__in=choices))
    return {"form": form}
