from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from gaceta.core.addresses import base_host


class Newsroom:
    """Stands in for django.contrib.sites' Site in account emails."""

    name = property(lambda self: settings.WAGTAIL_SITE_NAME)
    domain = property(lambda self: base_host())


class NewsroomAccountAdapter(DefaultAccountAdapter):
    """Account emails speak in the newsroom's name, not the server's host name."""

    def send_mail(self, template_prefix, email, context):
        super().send_mail(template_prefix, email, {**context, "current_site": Newsroom()})

    def login(self, request, user):
        """A code sign-in keeps the session past the browser's closing only if asked to (the
        password form sets this itself)."""
        from .forms import KEEP_SIGNED_IN

        keep = request.session.get(KEEP_SIGNED_IN)
        super().login(request, user)
        if keep is not None:
            request.session.pop(KEEP_SIGNED_IN, None)
            request.session.set_expiry(settings.SESSION_COOKIE_AGE if keep else 0)

    def format_email_subject(self, subject):
        return f"{settings.WAGTAIL_SITE_NAME}: {subject}"
