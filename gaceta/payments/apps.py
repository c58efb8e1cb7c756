from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "gaceta.payments"
    label = "payments"
    verbose_name = "Payments"
