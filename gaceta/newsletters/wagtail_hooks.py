"""Newsletters in Wagtail's admin: lists, subscribers, issues with their numbers, a preview as a
free and as a paid reader, a test send, sending, and "Send as breaking alert" on a story's page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from gaceta.core.permissions import NotAddedByHand
from gaceta.members.access import Tier

from . import sending, services
from .models import Newsletter, NewsletterIssue, NewsletterSubscription
from .rendering import render_issue

SEND_PERMISSION = "newsletters.change_newsletterissue"


def require_sender(user):
    if not user.has_perm(SEND_PERMISSION):
        raise PermissionDenied


class NewsletterViewSet(SnippetViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = "Newsletters"
    list_display = ["name", "slug", "kind", "audience", "schedule", "send_time", "is_active"]
    copy_view_enabled = False


class SubscriptionViewSet(SnippetViewSet):
    model = NewsletterSubscription
    icon = "user"
    menu_label = "Newsletter subscribers"
    list_display = ["email", "newsletter", "status", "member", "created_at"]
    list_filter = ["newsletter", "status"]
    search_fields = ["email"]
    copy_view_enabled = False


class IssueIndexView(IndexView):
    def get_base_queryset(self):
        return sending.issue_stats(super().get_base_queryset().select_related("newsletter"))


class IssueEditView(EditView):
    """Once sending has started, the issue is what its recipients got: no more changes."""

    def dispatch(self, request, *args, **kwargs):
        issue = get_object_or_404(NewsletterIssue, pk=kwargs.get("pk"))
        if request.method == "POST" and not issue.is_editable:
            messages.error(request, "This issue is being sent or was sent; it can no longer change.")
            return redirect("wagtailsnippets_newsletters_newsletterissue:issue_preview", issue.pk)
        return super().dispatch(request, *args, **kwargs)


class IssueViewSet(SnippetViewSet):
    model = NewsletterIssue
    icon = "doc-full"
    menu_label = "Issues"
    list_display = [
        "__str__", "issue_date", "status", Column("recipients"), Column("sent"), Column("failed"),
        Column("bounced"), Column("unsubscribed"),
    ]
    list_filter = ["newsletter", "status"]
    index_view_class = IssueIndexView
    edit_view_class = IssueEditView
    copy_view_enabled = False

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("preview/<int:pk>/", self.preview_page, name="issue_preview"),
            path("preview/<int:pk>/<str:tier>.html", self.preview_email, name="issue_preview_email"),
            path("test/<int:pk>/", self.test_send, name="issue_test"),
            path("send/<int:pk>/", self.send, name="issue_send"),
        ]

    def preview_page(self, request, pk):
        """Template `newsletters/admin/preview.html`: the issue as each kind of reader gets it
        (`readers`: tier and who that is)."""
        require_sender(request.user)
        issue = get_object_or_404(NewsletterIssue, pk=pk)
        return TemplateResponse(request, "newsletters/admin/preview.html", {
            "issue": issue,
            "stats": sending.issue_stats(NewsletterIssue.objects.filter(pk=pk)).first(),
            "readers": sending.READERS.items(),
            "edit_url": reverse(self.get_url_name("edit"), args=[pk]),
            "test_url": reverse(self.get_url_name("issue_test"), args=[pk]),
            "send_url": reverse(self.get_url_name("issue_send"), args=[pk]),
            "email_url_name": self.get_url_name("issue_preview_email"),
        })

    def preview_email(self, request, pk, tier):
        require_sender(request.user)
        issue = get_object_or_404(NewsletterIssue, pk=pk)
        try:
            tier = Tier(tier)
        except ValueError:
            raise PermissionDenied from None
        response = HttpResponse(render_issue(issue, tier).html)
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["Content-Security-Policy"] = "script-src 'none'"
        return response

    def test_send(self, request, pk):
        require_sender(request.user)
        issue = get_object_or_404(NewsletterIssue, pk=pk)
        if request.method == "POST":
            tier = Tier(request.POST.get("tier", Tier.FREE)) if request.POST.get("tier") in set(Tier) else Tier.FREE
            sending.send_test(issue=issue, email=request.user.email, tier=tier)
            messages.success(request, f"A test as a {tier} reader went to {request.user.email}.")
        return redirect(self.get_url_name("issue_preview"), pk)

    def send(self, request, pk):
        require_sender(request.user)
        issue = get_object_or_404(NewsletterIssue, pk=pk)
        if request.method == "POST":
            from .tasks import send_issue

            send_issue.enqueue(issue.pk)
            messages.success(request, "Sending has started. The numbers below grow as it goes.")
        return redirect(self.get_url_name("issue_preview"), pk)



class NewslettersGroup(SnippetViewSetGroup):
    items = (IssueViewSet, NewsletterViewSet, SubscriptionViewSet)
    menu_icon = "mail"
    menu_label = "Newsletters"
    menu_name = "newsletters"
    menu_order = 250


# Addresses join by confirming; issues are built by `send_newsletter`, the schedule or a story's page.
register_permission_policy(NewsletterSubscription, NotAddedByHand(NewsletterSubscription))
register_permission_policy(NewsletterIssue, NotAddedByHand(NewsletterIssue))
register_snippet(NewslettersGroup)


def breaking_alert(request, page_id):
    """Build a breaking alert of one story and show its preview, from where an editor sends it."""
    from gaceta.articles.models import ArticlePage

    require_sender(request.user)
    article = get_object_or_404(ArticlePage.objects.live(), pk=page_id)
    newsletter = Newsletter.objects.filter(kind=Newsletter.Kind.ALERT, is_active=True).first()
    if newsletter is None:
        messages.error(request, "Create an alert newsletter first (Newsletters → Newsletters).")
        return redirect("wagtailadmin_pages:edit", page_id)
    if request.method != "POST":
        return TemplateResponse(request, "newsletters/admin/breaking.html", {"article": article, "newsletter": newsletter})
    issue = services.build_alert_issue(newsletter=newsletter, article=article, subject=request.POST.get("subject", ""))
    return redirect("wagtailsnippets_newsletters_newsletterissue:issue_preview", issue.pk)


@hooks.register("register_admin_urls")
def register_breaking_url():
    return [path("newsletters/breaking/<int:page_id>/", breaking_alert, name="newsletters_breaking")]


@hooks.register("register_page_header_buttons")
def breaking_alert_button(page, user, view_name, next_url=None):
    from gaceta.articles.models import ArticlePage

    if isinstance(page.specific_deferred, ArticlePage) and page.live and user.has_perm(SEND_PERMISSION):
        yield Button("Send as breaking alert", reverse("newsletters_breaking", args=[page.pk]), icon_name="mail", priority=90)
