from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo newsroom: loads the seed page and the archive (`load_demo_content`,
    `generate_archive`). Nothing else depends on it; a newsroom may leave it out."""

    name = "gaceta.demo"
    label = "demo"
    verbose_name = "Demo newsroom"
