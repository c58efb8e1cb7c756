"""Newsroom roles as Wagtail groups, and the "Editorial review" workflow.

README.md ("Newsroom roles") says who may do what. Reporters get their sections through one group
per section ("Reporters: Politics", made when the section is created), which an administrator
ticks on the reporter's Roles tab in Settings → Users. All of it is set up after every `migrate`
(and by the demo loader) and is idempotent: what an administrator has since changed in the admin
is only ever added to, never taken away. The one exception is the first setup, which takes
Wagtail's stock page permissions away from its "Moderators" group: in a newsroom they moderate
comments.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

REPORTERS, EDITORS, MODERATORS, ADMINISTRATORS = "Reporters", "Editors", "Moderators", "Administrators"
SECTION_GROUP_PREFIX = "Reporters: "
REVIEW_WORKFLOW = "Editorial review"
REVIEW_TASK = "Editors' approval"
STOCK_WORKFLOW = "Moderators approval"  # Wagtail's default, for a "Moderators" group

ACCESS_ADMIN = "wagtailadmin.access_admin"
CREDITS_VIEW_ADD = ["articles.view_author", "articles.add_author", "articles.view_source", "articles.add_source"]
CREDITS_ALL = CREDITS_VIEW_ADD + ["articles.change_author", "articles.change_source",
                                  "articles.delete_author", "articles.delete_source"]
MEDIA_ADD = ["wagtailimages.add_image", "wagtailimages.choose_image",
             "wagtaildocs.add_document", "wagtaildocs.choose_document"]
MEDIA_ALL = MEDIA_ADD + ["wagtailimages.change_image", "wagtailimages.delete_image",
                         "wagtaildocs.change_document", "wagtaildocs.delete_document"]

ROLE_PERMISSIONS = {
    REPORTERS: [ACCESS_ADMIN, *CREDITS_VIEW_ADD, *MEDIA_ADD],
    EDITORS: [ACCESS_ADMIN, *CREDITS_ALL, *MEDIA_ALL],
    MODERATORS: [ACCESS_ADMIN, "comments.view_comment", "comments.change_comment",
                 "comments.view_commentreport", "comments.change_commentreport",
                 "comments.view_moderationaction"],
}
# Page permissions on the root page, so on every page of every site.
ROLE_PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINISTRATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"],
}
SECTION_PAGE_PERMISSIONS = ["add_page", "change_page"]


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found += Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return found


def _page_permissions(codenames: list[str]) -> list[Permission]:
    return list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames))


def _grant_on_page(group: Group, page: Page, codenames: list[str]) -> None:
    for permission in _page_permissions(codenames):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _grant_on_collection(group: Group, collection: Collection, permissions: list[Permission]) -> None:
    for permission in permissions:
        if permission.content_type.app_label in ("wagtailimages", "wagtaildocs"):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )


def ensure_section_group(section) -> Group:
    """The group that gives its members a section to write in: add and edit pages there."""
    existing = Group.objects.filter(
        name__startswith=SECTION_GROUP_PREFIX,
        page_permissions__page=section,
        page_permissions__permission__codename="add_page",
    ).first()
    group = existing or Group.objects.get_or_create(name=f"{SECTION_GROUP_PREFIX}{section.title}"[:150])[0]
    _grant_on_page(group, section, SECTION_PAGE_PERMISSIONS)
    return group


def ensure_newsroom_roles() -> dict[str, Group]:
    groups = {name: Group.objects.get_or_create(name=name)[0]
              for name in (REPORTERS, EDITORS, MODERATORS, ADMINISTRATORS)}
    root = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    first_setup = not Workflow.objects.filter(name=REVIEW_WORKFLOW).exists()
    if first_setup:
        # Wagtail's stock Moderators group may publish pages; in a newsroom it moderates comments.
        GroupPagePermission.objects.filter(group=groups[MODERATORS]).delete()
        GroupCollectionPermission.objects.filter(group=groups[MODERATORS]).delete()
        groups[MODERATORS].permissions.set(_permissions(ROLE_PERMISSIONS[MODERATORS]))
    role_permissions = dict(ROLE_PERMISSIONS, **{ADMINISTRATORS: None})
    for name, names in role_permissions.items():
        permissions = list(Permission.objects.all()) if names is None else _permissions(names)
        groups[name].permissions.add(*permissions)
        if root_collection is not None:
            _grant_on_collection(groups[name], root_collection, permissions)
    if root is not None:
        for name, codenames in ROLE_PAGE_PERMISSIONS.items():
            _grant_on_page(groups[name], root, codenames)
    ensure_review_workflow(groups[EDITORS], root)
    from .models import SectionPage

    for section in SectionPage.objects.all():
        ensure_section_group(section)
    return groups


def ensure_review_workflow(editors: Group, root: Page | None) -> Workflow:
    """"Editorial review": one task, approved by an Editor, on every page (from the root)."""
    workflow, created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW)
    if created:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK)
        task.groups.set([editors])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        for stock in Workflow.objects.filter(name=STOCK_WORKFLOW, active=True):
            stock.deactivate()
    if root is not None and not WorkflowPage.objects.filter(page=root).exists():
        WorkflowPage.objects.create(page=root, workflow=workflow)
    return workflow


def roles_after_migrate(sender, using="default", **kwargs):
    # Django creates each app's permissions after that app's post_migrate; the roles need
    # every app's, so create any still missing first (idempotent).
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    ensure_newsroom_roles()
