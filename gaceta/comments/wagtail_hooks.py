"""The moderation queue: comments in Wagtail's admin with filters, bulk actions and a log."""

from urllib.parse import urlencode

import django_filters
from django.db.models import Case, Count, Q, Value, When
from django.urls import reverse
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from gaceta.core.permissions import NotAddedByHand

from . import services
from .models import Comment, ModerationAction


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Comment.Status.choices)
    reported = django_filters.BooleanFilter(label="Reported (unresolved)", method="filter_reported")
    is_featured = django_filters.BooleanFilter(label="Featured")
    article = django_filters.CharFilter(label="Article title contains", field_name="article__title", lookup_expr="icontains")
    member = django_filters.CharFilter(label="Member email", field_name="member__email", lookup_expr="icontains")

    class Meta:
        model = Comment
        fields = ["status", "reported", "is_featured", "article", "member"]

    def filter_reported(self, queryset, name, value):
        unresolved = Q(reports__resolved=False)
        return queryset.filter(unresolved).distinct() if value else queryset.exclude(unresolved)


class CommentIndexView(IndexView):
    def get_page_title(self):
        return CommentViewSet.menu_label

    def get_base_queryset(self):
        return (
            super().get_base_queryset()
            .select_related("member", "article")
            .annotate(open_reports=Count("reports", filter=Q(reports__resolved=False)))
            # The queue opens on what waits for a moderator: comments awaiting moderation, then
            # reported ones, then the rest (newest first in each).
            .annotate(waiting_first=Case(When(status=Comment.Status.PENDING, then=Value(0)),
                                         When(open_reports__gt=0, then=Value(1)), default=Value(2)))
        )

    def get_list_more_buttons(self, instance):
        """Approve or reject one comment from its row's menu, through the same confirmation and
        log as the bulk actions."""
        buttons = super().get_list_more_buttons(instance)
        if instance.status == Comment.Status.DELETED or not self.request.user.has_perm("comments.change_comment"):
            return buttons
        query = urlencode({"id": instance.pk, "next": self.request.get_full_path()})
        for action, label, icon, unless in (("approve", "Approve", "check", Comment.Status.PUBLISHED),
                                            ("reject", "Reject", "cross", Comment.Status.HIDDEN)):
            if instance.status != unless:
                url = reverse("wagtail_bulk_action", args=("comments", "comment", action))
                buttons.append(MenuItem(label, url=f"{url}?{query}", icon_name=icon, priority=5))
        return buttons


def author_for_moderators(comment) -> str:
    """The name readers see, and the member's address for moderators to tell members apart (an
    imported comment or a departed member's has none)."""
    return f"{comment.author_name} ({comment.member.email})" if comment.member else comment.author_name


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "Moderation queue"
    list_display = [
        "__str__",
        Column("author", label="Author", accessor=author_for_moderators),
        "article", "status", Column("open_reports", label="Open reports"),
        Column("featured", label="Featured", accessor=lambda comment: "Featured" if comment.is_featured else ""),
        "created_at",
    ]
    list_per_page = 50
    filterset_class = CommentFilterSet
    ordering = ["waiting_first", "-created_at"]
    copy_view_enabled = False
    index_view_class = CommentIndexView


class ModerationLogViewSet(SnippetViewSet):
    model = ModerationAction
    icon = "history"
    menu_label = "Moderation log"
    list_display = ["created_at", "moderator", "action", "comment", "note"]
    ordering = ["-created_at"]
    copy_view_enabled = False


class CommentsGroup(SnippetViewSetGroup):
    items = (CommentViewSet, ModerationLogViewSet)
    menu_icon = "comment"
    menu_label = "Comments"
    menu_name = "comments"
    menu_order = 240


register_permission_policy(Comment, NotAddedByHand(Comment))  # comments are readers' words
register_snippet(CommentsGroup)


class ModerationBulkAction(SnippetBulkAction):
    """Approve, reject, feature or ban: each applied through `services.moderate`, which logs it."""

    models = [Comment]
    template_name = "comments/admin/confirm_moderation.html"
    moderation_action = ""

    def check_perm(self, comment):
        return self.request.user.has_perm("comments.change_comment")

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for comment in objects:
            services.moderate(moderator=user, comment=comment, action=cls.moderation_action)
        return len(objects), 0

    done = ""  # the action in the past tense, for the message after it ("approved")

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d comment %(done)s.", "%(count)d comments %(done)s.", num_parent_objects) % {
            "count": num_parent_objects, "done": self.done,
        }


@hooks.register("register_bulk_action")
class ApproveBulkAction(ModerationBulkAction):
    display_name = "Approve"
    done = "approved"
    action_type = "approve"
    aria_label = "Approve the selected comments"
    moderation_action = ModerationAction.Action.APPROVE
    action_priority = 10


@hooks.register("register_bulk_action")
class RejectBulkAction(ModerationBulkAction):
    display_name = "Reject"
    done = "rejected"
    action_type = "reject"
    aria_label = "Reject the selected comments"
    moderation_action = ModerationAction.Action.REJECT
    action_priority = 20


@hooks.register("register_bulk_action")
class FeatureBulkAction(ModerationBulkAction):
    display_name = "Feature"
    done = "featured"
    action_type = "feature"
    aria_label = "Feature the selected comments"
    moderation_action = ModerationAction.Action.FEATURE
    action_priority = 30


@hooks.register("register_bulk_action")
class BanBulkAction(ModerationBulkAction):
    display_name = "Ban author"
    done = "with their authors banned from commenting"
    action_type = "ban"
    aria_label = "Ban the authors of the selected comments from commenting"
    moderation_action = ModerationAction.Action.BAN
    action_priority = 40
    classes = {"serious"}


@hooks.register("after_edit_snippet")
def log_comment_edit(request, instance):
    if isinstance(instance, Comment):
        ModerationAction.objects.create(comment=instance, moderator=request.user, action=ModerationAction.Action.EDIT)
