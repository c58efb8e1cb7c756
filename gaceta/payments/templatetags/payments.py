from django import template

from ..stripe_api import payments_enabled

register = template.Library()


@register.inclusion_tag("payments/member_subscriptions.html", takes_context=True)
def member_subscriptions(context):
    """The signed-in member's subscriptions on their account page, and the way to manage them."""
    member = context["request"].user
    return {
        "subscriptions": member.subscriptions.all(),
        "can_manage_billing": payments_enabled() and hasattr(member, "stripe_customer"),
        "csrf_token": context.get("csrf_token"),
    }
