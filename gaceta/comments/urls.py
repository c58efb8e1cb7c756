from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("comments/article/<int:article_id>/", views.post_comment, name="post"),
    path("comments/article/<int:article_id>.json", views.article_comments, name="article-json"),
    path("comments/<int:comment_id>/edit/", views.edit_comment, name="edit"),
    path("comments/<int:comment_id>/delete/", views.delete_comment, name="delete"),
    path("comments/<int:comment_id>/like/", views.like_comment, name="like"),
    path("comments/<int:comment_id>/report/", views.report_comment, name="report"),
    path("account/comments/", views.my_comments, name="mine"),
]
