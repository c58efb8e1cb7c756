"""Admin: the members list (tiers, filters, CSV), a member's page, complimentary access, and a
chart of members over time on the dashboard."""

import django_filters
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import CreateView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.filters import WagtailFilterSet

from gaceta.core.exports import SafeExportIndexView

from .access import annotate_tiers
from .charts import membership_chart
from .models import ComplimentaryAccess, Member

TIER_CHOICES = [("free", "Free"), ("paid", "Paid (subscription)"), ("complimentary", "Complimentary")]


class MemberFilterSet(WagtailFilterSet):
    tier = django_filters.ChoiceFilter(label="Tier", choices=TIER_CHOICES, method="filter_tier")
    date_joined = django_filters.DateFromToRangeFilter(label="Signed up")

    class Meta:
        model = Member
        fields = ["tier", "date_joined", "is_staff"]

    def filter_tier(self, queryset, name, value):
        if value == "complimentary":
            return queryset.filter(is_complimentary=True)
        if value == "paid":
            return queryset.filter(is_subscribed=True)
        return queryset.filter(is_complimentary=False, is_subscribed=False)


class MemberIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        # Tiers for every row (list, filter, CSV) in the same query.
        return annotate_tiers(super().get_base_queryset())


class MemberInspectView(InspectView):
    template_name = "members/admin/member_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subscriptions"] = self.object.subscriptions.all()
        context["grants"] = self.object.complimentary_access.all()
        return context


class MemberViewSet(ModelViewSet):
    model = Member
    icon = "group"
    menu_label = "Members"
    menu_order = 250
    add_to_admin_menu = True
    name = "member-list"
    list_display = ["email", "display_name", "first_name", "last_name", "tier_label", "date_joined"]
    list_export = ["email", "first_name", "last_name", "tier_label", "date_joined", "last_login"]
    export_headings = {"tier_label": "Tier"}
    export_filename = "members"
    search_fields = ["email", "display_name", "first_name", "last_name"]
    filterset_class = MemberFilterSet
    ordering = ["-date_joined"]
    form_fields = ["display_name", "first_name", "last_name", "email", "is_active"]
    inspect_view_enabled = True
    inspect_view_class = MemberInspectView
    index_view_class = MemberIndexView
    inspect_view_fields = ["email", "display_name", "first_name", "last_name", "date_joined", "last_login"]
    copy_view_enabled = False


class ComplimentaryAccessCreateView(CreateView):
    def get_initial(self):
        return {**super().get_initial(), "member": self.request.GET.get("member")}

    def save_instance(self):
        grant = self.form.save(commit=False)
        grant.granted_by = self.request.user
        grant.save()
        return grant


class ComplimentaryAccessViewSet(ModelViewSet):
    model = ComplimentaryAccess
    icon = "pick"
    menu_label = "Complimentary access"
    add_to_settings_menu = True
    name = "complimentary-access"
    add_view_class = ComplimentaryAccessCreateView
    list_display = ["member", "starts_at", "ends_at", "note", "granted_by"]
    form_fields = ["member", "starts_at", "ends_at", "note"]
    search_fields = ["member__email", "note"]
    copy_view_enabled = False


class MembershipChartPanel(Component):
    name = "membership_chart"
    order = 50
    template_name = "members/admin/membership_chart.html"

    def get_context_data(self, parent_context=None):
        return {"chart": membership_chart(timezone.now())}


@hooks.register("register_admin_viewset")
def register_member_viewsets():
    return [MemberViewSet(), ComplimentaryAccessViewSet()]


@hooks.register("construct_homepage_panels")
def add_membership_chart(request, panels):
    if request.user.has_perm("members.view_member"):
        panels.insert(0, MembershipChartPanel())
