from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/checkout/", views.checkout, name="checkout"),
    path("subscribe/thanks/", views.success, name="success"),
    path("account/billing/", views.portal, name="portal"),
    path("payments/stripe/webhook/", views.webhook, name="stripe-webhook"),
]
