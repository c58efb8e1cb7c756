from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/data.json", views.export_data, name="export"),
    path("account/delete/", views.delete_account, name="delete"),
]
