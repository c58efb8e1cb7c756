"""Writing, editing, liking, reporting and moderating comments.

Every function checks `members.access` itself: a view cannot forget the paid rule.
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from gaceta.core.ids import parse_id
from gaceta.core.ratelimit import consume
from gaceta.core.text import reader_text
from gaceta.members import access

from .models import Comment, CommentLike, CommentReport, CommentSettings, ModerationAction

logger = logging.getLogger(__name__)
LINK = re.compile(r"(https?://|www\.)\S+", re.I)


class RateLimited(Exception):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _rules() -> CommentSettings:
    return CommentSettings.current()


def _check_rate(member, rules) -> None:
    verdict = consume(f"comment:{member.pk}", rules.posts_per_hour, 3600)
    if not verdict.allowed:
        minutes = -(-verdict.retry_after // 60)
        raise RateLimited(
            f"You have posted a lot in the last hour; please wait {minutes} minute{'s' if minutes != 1 else ''}.",
            verdict.retry_after,
        )


def _clean_body(body: str, rules) -> str:
    body = reader_text(body).strip()
    if not body:
        raise ValidationError("Write something first.")
    if len(body) > rules.max_length:
        raise ValidationError(f"Comments can be at most {rules.max_length} characters; this one has {len(body)}.")
    return body


def _needs_review(member, body: str, rules) -> bool:
    if access.can_moderate_comments(member):
        return False
    lowered = body.lower()
    if any(word in lowered for word in rules.banned_word_list()):
        return True
    if len(LINK.findall(body)) > rules.max_links:
        return True
    published_before = Comment.objects.filter(member=member, status=Comment.Status.PUBLISHED).count()
    return published_before < rules.premoderate_first


def _chosen_name(member, display_name: str | None) -> str:
    """The name a member without one chooses with their first comment (checked, not yet saved)."""
    from gaceta.members.models import clean_display_name

    if member.display_name:
        return member.display_name
    name = clean_display_name(display_name or "")
    if not name:
        raise ValidationError("Choose the name your comments appear under; it is never your email address.")
    return name


def reply_target(*, article, parent) -> Comment | None:
    """The comment a reply answers: `parent` is a Comment, or the id a form sent ("" for none)."""
    if parent is None or parent == "":
        return None
    if not isinstance(parent, Comment):
        pk = parse_id(parent)
        if pk is None:
            raise ValidationError("“parent” must be the number of the comment you reply to.")
        parent = Comment.objects.filter(pk=pk).first()
    if parent is None or parent.article_id != article.pk or parent.status != Comment.Status.PUBLISHED:
        raise ValidationError("The comment you reply to is not there any more.")
    return parent


def post_comment(*, member, article, body: str, parent: "Comment | str | None" = None,
                 display_name: str | None = None) -> Comment:
    """`parent` as for `reply_target`; it is looked up only once the member may comment here.
    `display_name` is required while the member has none (their first comment), ignored after."""
    rules = _rules()
    if not access.can_post_comments(member, article, rules):
        raise PermissionDenied("You may not comment on this article.")
    body = _clean_body(body, rules)
    name = _chosen_name(member, display_name)
    parent = reply_target(article=article, parent=parent)
    _check_rate(member, rules)
    if name != member.display_name:
        member.display_name = name
        member.save(update_fields=["display_name"])
    status = Comment.Status.PENDING if _needs_review(member, body, rules) else Comment.Status.PUBLISHED
    comment = Comment.objects.create(article=article, member=member, parent=parent, body=body, status=status)
    logger.info("Comment %s on article %s by member %s: %s", comment.pk, article.pk, member.pk, status)
    if status == Comment.Status.PUBLISHED:
        _notify_parent_author(comment)
    return comment


def _notify_parent_author(comment: Comment) -> None:
    parent = comment.parent
    if parent and parent.member and parent.member_id != comment.member_id and parent.member.notify_replies:
        from .tasks import send_reply_notification

        transaction.on_commit(lambda: send_reply_notification.enqueue(comment.pk))


def _own(member, comment: Comment) -> None:
    if not member.is_authenticated or comment.member_id != member.pk or comment.status == Comment.Status.DELETED:
        raise PermissionDenied("This is not your comment.")


def edit_comment(*, member, comment: Comment, body: str) -> Comment:
    _own(member, comment)
    rules = _rules()
    if not access.can_post_comments(member, comment.article, rules):
        raise PermissionDenied("Comments on this article are closed.")
    if timezone.now() > comment.created_at + timedelta(minutes=rules.edit_window_minutes):
        raise PermissionDenied(f"Comments can be edited for {rules.edit_window_minutes} minutes after posting.")
    comment.body = _clean_body(body, rules)
    comment.edited_at = timezone.now()
    if comment.status == Comment.Status.PUBLISHED and _needs_review(member, comment.body, rules):
        comment.status = Comment.Status.PENDING
    comment.save(update_fields=["body", "edited_at", "status"])
    return comment


def delete_comment(*, member, comment: Comment) -> None:
    """The author's delete: the text goes; a comment with replies stays as "[deleted]"."""
    _own(member, comment)
    comment.status = Comment.Status.DELETED
    comment.body = ""
    comment.save(update_fields=["status", "body"])


def _visible_to(member, comment: Comment) -> None:
    if comment.status != Comment.Status.PUBLISHED or not access.can_read_comments(member, comment.article, _rules()):
        raise PermissionDenied("You may not see this comment.")


def toggle_like(*, member, comment: Comment) -> tuple[bool, int]:
    """Like a comment, or take the like back; one like per member."""
    _visible_to(member, comment)
    if not member.is_authenticated or comment.member_id == member.pk:
        raise PermissionDenied("You cannot like your own comment.")
    deleted, _ = CommentLike.objects.filter(comment=comment, member=member).delete()
    if deleted:
        Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") - 1)
    else:
        try:
            with transaction.atomic():
                CommentLike.objects.create(comment=comment, member=member)
        except IntegrityError:  # a double click that raced: already liked
            pass
        else:
            Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
    comment.refresh_from_db(fields=["like_count"])
    return not deleted, comment.like_count


def report_comment(*, member, comment: Comment, reason: str) -> CommentReport:
    """Reporting stays open to members who may read comments, even when banned from posting."""
    _visible_to(member, comment)
    reason = reason.strip()[:500]
    if not reason:
        raise ValidationError("Say briefly what is wrong with this comment.")
    report, _ = CommentReport.objects.get_or_create(comment=comment, member=member, defaults={"reason": reason})
    return report


def moderate(*, moderator, comment: Comment, action: str, note: str = "") -> None:
    if not access.can_moderate_comments(moderator):
        raise PermissionDenied("Only moderators can do this.")
    Action = ModerationAction.Action
    if action == Action.APPROVE:
        was_pending = comment.status == Comment.Status.PENDING
        comment.status = Comment.Status.PUBLISHED
        comment.save(update_fields=["status"])
        comment.reports.update(resolved=True)
        if was_pending:
            _notify_parent_author(comment)
    elif action == Action.REJECT:
        comment.status = Comment.Status.HIDDEN
        comment.save(update_fields=["status"])
        comment.reports.update(resolved=True)
    elif action in (Action.FEATURE, Action.UNFEATURE):
        comment.is_featured = action == Action.FEATURE
        comment.save(update_fields=["is_featured"])
    elif action == Action.BAN:
        if comment.member:
            type(comment.member).objects.filter(pk=comment.member_id).update(banned_from_comments_at=timezone.now())
        comment.status = Comment.Status.HIDDEN
        comment.save(update_fields=["status"])
    else:
        raise ValueError(f"Unknown moderation action {action!r}")
    ModerationAction.objects.create(comment=comment, moderator=moderator, action=action, note=note)
    logger.info("Moderator %s: %s comment %s", moderator.pk, action, comment.pk)


def recount_likes(comment_ids) -> None:
    """Set `like_count` from the likes that exist, for these comments."""
    likes = CommentLike.objects.filter(comment=OuterRef("pk")).values("comment").annotate(total=Count("pk")).values("total")
    Comment.objects.filter(pk__in=list(comment_ids)).update(like_count=Coalesce(Subquery(likes), 0))


def release_member_comments(*, member, remove: bool) -> None:
    """What a leaving member's departure does to comments (their likes and reports go with them).

    Their comments lose their author, or with `remove` their words too. Other people's words
    never go: a removed comment that others replied to stays as a "[deleted]" placeholder so
    the replies keep their place; one nobody answered is deleted outright.
    """
    liked = list(CommentLike.objects.filter(member=member).values_list("comment_id", flat=True))
    CommentLike.objects.filter(member=member).delete()
    recount_likes(liked)
    if not remove:
        Comment.objects.filter(member=member).update(member=None)
        return
    # Leaves first, again and again: a chain of the member's own replies goes all the way up.
    while Comment.objects.filter(member=member, replies__isnull=True).exists():
        Comment.objects.filter(member=member, replies__isnull=True).delete()
    Comment.objects.filter(member=member).update(status=Comment.Status.DELETED, body="", body_html="", member=None)


def export_comments(member) -> list[dict]:
    """A member's comments for their data export: their words and what became of them."""
    return [
        {"id": comment.pk, "article": comment.article.title, "posted": comment.created_at.isoformat(),
         "edited": comment.edited_at.isoformat() if comment.edited_at else None, "status": comment.status,
         "replying_to": comment.parent_id, "likes": comment.like_count, "featured": comment.is_featured,
         "text": comment.body}
        for comment in Comment.objects.filter(member=member).select_related("article")
    ]


def export_likes(member) -> list[dict]:
    """Which comments the member liked: by id and article, not the other person's words."""
    return [
        {"comment": like.comment_id, "article": like.comment.article.title, "liked": like.created_at.isoformat()}
        for like in CommentLike.objects.filter(member=member).select_related("comment__article")
    ]


def export_reports(member) -> list[dict]:
    return [
        {"comment": report.comment_id, "article": report.comment.article.title, "reason": report.reason,
         "resolved": report.resolved, "reported": report.created_at.isoformat()}
        for report in CommentReport.objects.filter(member=member).select_related("comment__article")
    ]


def release_departing_member_comments(member) -> None:
    """A departure step (see members.services.add_departure_step), as the newsroom chose."""
    release_member_comments(member=member, remove=settings.GACETA_DELETED_MEMBER_COMMENTS == "remove")
