"""Admin: what readers asked (no personal data), which went unanswered, counts per week, votes."""

from datetime import timedelta

import django_filters
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from gaceta.core.exports import SafeExportIndexView

from .models import AskedQuestion

WEEKS_SHOWN = 12


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Questions are the readers' words: editors read them, nobody edits or adds them."""

    def user_has_permission(self, user, action):
        return action in ("view", "delete") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(AskedQuestion, ReadOnlyPolicy(AskedQuestion))


class AskedQuestionFilterSet(WagtailFilterSet):
    answered = django_filters.BooleanFilter(label="Answered")
    asked_at = django_filters.DateFromToRangeFilter(label="Asked")

    class Meta:
        model = AskedQuestion
        fields = ["answered", "reader_tier", "asked_at"]


def weekly_counts(weeks: int = WEEKS_SHOWN) -> list[dict]:
    """Per week, newest first: questions asked, left unanswered, and readers' votes."""
    since = timezone.now() - timedelta(weeks=weeks)
    return list(
        AskedQuestion.objects.filter(asked_at__gte=since)
        .annotate(week=TruncWeek("asked_at"))
        .values("week")
        .annotate(
            asked=Count("pk"),
            unanswered=Count("pk", filter=Q(answered=False)),
            helpful=Sum("helpful_votes"),
            unhelpful=Sum("unhelpful_votes"),
        )
        .order_by("-week")
    )


def most_asked_unanswered(limit: int = 10) -> list[dict]:
    """The unanswered questions asked most often in the shown weeks: coverage the archive lacks."""
    since = timezone.now() - timedelta(weeks=WEEKS_SHOWN)
    return list(
        AskedQuestion.objects.filter(asked_at__gte=since, answered=False)
        .values("question")
        .annotate(times=Count("pk"))
        .order_by("-times", "question")[:limit]
    )


class AskedQuestionIndexView(SafeExportIndexView):
    template_name = "answers/admin/question_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["weeks"] = weekly_counts()
        context["top_unanswered"] = most_asked_unanswered()
        return context


class AskedQuestionViewSet(ModelViewSet):
    model = AskedQuestion
    icon = "help"
    menu_label = "Asked questions"  # the model's plural name, so the title and the menu agree
    menu_order = 260
    add_to_admin_menu = True
    name = "asked-questions"
    index_view_class = AskedQuestionIndexView
    list_display = ["question", "asked_at", "answered", "reader_tier", "helpful_votes", "unhelpful_votes"]
    list_export = ["question", "asked_at", "answered", "reader_tier", "helpful_votes", "unhelpful_votes"]
    export_filename = "reader-questions"
    search_fields = ["question"]
    filterset_class = AskedQuestionFilterSet
    ordering = ["-asked_at"]
    form_fields = ["question"]
    copy_view_enabled = False
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_asked_questions():
    return AskedQuestionViewSet()
