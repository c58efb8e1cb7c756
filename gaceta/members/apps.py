from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "gaceta.members"
    label = "members"
    verbose_name = "Members"
