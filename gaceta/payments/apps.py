from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "gaceta.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self):
        from gaceta.members.access import add_paid_access
        from gaceta.members.services import add_departure_step, add_export_section

        from . import access, services

        add_paid_access("is_subscribed", holds=access.is_subscribed, exists=access.subscribed_exists)

        add_departure_step(services.stop_billing_departing_member, before_deletion=True)
        add_export_section("subscriptions", services.export_subscriptions)
        add_export_section("stripe_customer", services.export_customer)
