from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "gaceta.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self):
        from gaceta.members.services import add_export_section

        from . import services

        add_export_section("subscriptions", services.export_subscriptions)
        add_export_section("stripe_customer", services.export_customer)
