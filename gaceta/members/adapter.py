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

    def format_email_subject(self, subject):
        return f"{settings.WAGTAIL_SITE_NAME}: {subject}"
