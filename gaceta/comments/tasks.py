import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from gaceta.core.addresses import absolute_url
from gaceta.core.tasks import retry_later
from gaceta.members import access

from .models import Comment, CommentSettings


@task()
def send_reply_notification(comment_id: int, attempt: int = 0) -> bool:
    """Email the parent comment's author about a reply. Safe to run twice: sends only while
    the reply is published and the author still wants replies. A mail server that does not
    answer is tried again later, with growing waits."""
    reply = Comment.objects.select_related("parent__member", "member", "article").filter(pk=comment_id).first()
    if reply is None or reply.status != Comment.Status.PUBLISHED or reply.parent is None:
        return False
    recipient = reply.parent.member
    if recipient is None or not recipient.notify_replies or recipient.pk == reply.member_id:
        return False
    if not access.can_read_comments(recipient, reply.article, CommentSettings.current()):
        return False  # e.g. a subscriber who lapsed: the reply is for readers they no longer are
    context = {
        "reply": reply,
        "recipient": recipient,
        "url": absolute_url(f"{reply.article.url}#comment-{reply.pk}"),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "preferences_url": absolute_url(reverse("members:account")),
    }
    try:
        send_mail(
            subject=f"{settings.WAGTAIL_SITE_NAME}: {reply.author_name} replied to your comment",
            message=render_to_string("comments/email/reply.txt", context),
            from_email=None,
            recipient_list=[recipient.email],
        )
    except (smtplib.SMTPException, OSError):
        if not retry_later(send_reply_notification, comment_id, attempt=attempt):
            raise
        return False
    return True
