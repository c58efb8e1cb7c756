from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("tags/<slug:slug>/", views.tag_archive, name="tag"),
    path("authors/<slug:slug>/", views.author_archive, name="author"),
    path("corrections/", views.corrections, name="corrections"),
]
