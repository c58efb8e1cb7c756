from django.apps import AppConfig


class WordPressConfig(AppConfig):
    name = "gaceta.wordpress"
    label = "wordpress"
    verbose_name = "WordPress import"
