from django.apps import AppConfig


class FrontPageConfig(AppConfig):
    name = "gaceta.frontpage"
    label = "frontpage"
    verbose_name = "Front page"
