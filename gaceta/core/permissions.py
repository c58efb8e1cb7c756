"""Permission policies for Wagtail's admin views of a model."""

from wagtail.permission_policies import ModelPermissionPolicy


class NotAddedByHand(ModelPermissionPolicy):
    """For what only readers (and imports) create, such as comments and newsletter subscribers:
    staff may change and delete them, but nobody adds one in the admin, not even a superuser."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)
