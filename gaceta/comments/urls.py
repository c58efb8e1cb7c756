from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("comments/article/<id:article_id>/", views.post_comment, name="post"),
    path("comments/article/<id:article_id>.json", views.article_comments, name="article-json"),
    path("comments/<id:comment_id>/edit/", views.edit_comment, name="edit"),
    path("comments/<id:comment_id>/delete/", views.delete_comment, name="delete"),
    path("comments/<id:comment_id>/like/", views.like_comment, name="like"),
    path("comments/<id:comment_id>/report/", views.report_comment, name="report"),
    path("account/comments/", views.my_comments, name="mine"),
]
