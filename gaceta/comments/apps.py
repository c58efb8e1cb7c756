from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "gaceta.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self):
        from gaceta.core import slots
        from gaceta.members.services import add_departure_step, add_export_section

        from . import services, signals  # noqa: F401
        from .rendering import card_counts, comment_numbers

        slots.register("comment-count", card_counts)
        slots.register("comment-number", comment_numbers)

        add_departure_step(services.release_departing_member_comments)
        add_export_section("comments", services.export_comments)
        add_export_section("comment_likes", services.export_likes)
        add_export_section("comment_reports", services.export_reports)
