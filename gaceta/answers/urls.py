from django.urls import path

from . import views

app_name = "answers"
urlpatterns = [
    path("ask/", views.ask_page, name="ask"),
    path("ask/stream", views.ask_stream, name="stream"),
    path("ask/vote", views.vote, name="vote"),
]
