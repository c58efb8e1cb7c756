import json
from urllib.parse import urlencode

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.safestring import mark_safe

from gaceta.core import slots
from gaceta.core.addresses import absolute_url, is_account_page
from gaceta.core.page_cache import page_address

register = template.Library()

# Characters that could end a <script> element early or open an HTML comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """A <script type="application/ld+json"> element that no string inside `data` can break."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def machine_time(value):
    """A date and time for `datetime` attributes and metadata: the newsroom's local time to the
    second, with its offset ("2026-12-01T09:30:00-06:00"); no microseconds."""
    if not value:
        return ""
    return localtime(value).replace(microsecond=0).isoformat()


@register.filter
def absolute(url):
    """A path under the site's public address (GACETA_BASE_URL): `{{ page.url|absolute }}`."""
    return absolute_url(url or "/")


@register.simple_tag
def slot(kind, pk):
    """A part filled in after rendering (core/slots.py), e.g. `{% slot "comment-count" story.pk %}`."""
    return slots.marker(kind, pk)


@register.simple_tag(takes_context=True)
def sign_in_url(context):
    """The sign-in page, to come back to this one after (not when this is an account page
    itself). The address is the one the page cache keys on, without tracking parameters: the
    cached page goes to every reader, and one reader's `fbclid` or `mc_eid` is not for them."""
    url = reverse("account_login")
    request = context.get("request")
    if request is None or is_account_page(request):
        return url
    return f"{url}?{urlencode({'next': page_address(request)})}"
