from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "gaceta.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        from datetime import timedelta

        from gaceta.core import periodic
        from gaceta.members.services import add_export_section

        from . import schedule, services, signals  # noqa: F401

        periodic.register("send-due-newsletters", schedule.send_due_issues, every=timedelta(minutes=5))

        add_export_section("newsletter_subscriptions", lambda member: services.export_member_subscriptions(member=member))
