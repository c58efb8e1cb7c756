from django.urls import path

from . import views

app_name = "newsletters"
urlpatterns = [
    path("newsletters/signup/", views.signup, name="signup"),
    path("newsletters/confirm/<str:token>/", views.confirm, name="confirm"),
    path("newsletters/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("account/newsletters/", views.preferences, name="preferences"),
    path("newsletters/<slug:slug>/", views.archive, name="archive"),
    path("newsletters/<slug:slug>/<int:pk>/", views.issue, name="issue"),
]
