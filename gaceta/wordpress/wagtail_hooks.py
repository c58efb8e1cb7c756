from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def import_urls():
    return [
        path("wordpress-import/", views.imports, name="wordpress_import"),
        path("wordpress-import/<int:pk>/", views.import_detail, name="wordpress_import_detail"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.IMPORT_PERMISSION)


@hooks.register("register_settings_menu_item")
def import_menu_item():
    return ImportMenuItem("WordPress import", reverse("wordpress_import"), icon_name="download", order=900)


@hooks.register("register_permissions")
def import_permission():
    """So that it can be given to a group in Settings → Groups (superusers have it)."""
    app_label, codename = views.IMPORT_PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)
