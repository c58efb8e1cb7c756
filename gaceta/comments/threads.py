"""Arranging an article's comments for display: two levels, deeper replies flattened."""

from dataclasses import dataclass, field

from django.db.models import Q

from .models import Comment, CommentLike

SHOWN_FIELDS = [
    "article_id", "parent_id", "member_id", "imported_author_name", "body", "body_html", "status", "is_featured",
    "like_count", "created_at", "edited_at", "member__display_name", "member__is_staff",
]
SORTS = {"oldest": "Oldest first", "newest": "Newest first", "liked": "Most liked"}


@dataclass
class Entry:
    comment: Comment
    replying_to: str = ""
    liked: bool = False
    replies: list["Entry"] = field(default_factory=list)

    @property
    def gone(self) -> bool:
        return self.comment.status in (Comment.Status.DELETED, Comment.Status.HIDDEN)


def build_thread(article, viewer, sort: str = "oldest") -> list[Entry]:
    """Top-level comments (featured first, then by `sort`), each with its replies, oldest first.

    Comments deleted by their author or rejected by a moderator appear only as a placeholder,
    and only when replies hang from them. A member sees their own comments awaiting moderation.
    """
    visible = Q(status__in=[Comment.Status.PUBLISHED, Comment.Status.DELETED, Comment.Status.HIDDEN])
    if viewer.is_authenticated:
        visible |= Q(status=Comment.Status.PENDING, member=viewer)
    comments = list(
        Comment.objects.filter(article=article)
        .filter(visible)
        .select_related("member")
        .only(*SHOWN_FIELDS)
        .order_by("created_at", "pk")
    )
    liked = set()
    if viewer.is_authenticated:
        liked = set(
            CommentLike.objects.filter(member=viewer, comment__article=article).values_list("comment_id", flat=True)
        )
    by_id = {comment.pk: comment for comment in comments}
    entries = {comment.pk: Entry(comment, liked=comment.pk in liked) for comment in comments}
    top: list[Entry] = []
    for comment in comments:
        entry = entries[comment.pk]
        if comment.parent_id is None or comment.parent_id not in by_id:
            top.append(entry)
            continue
        root = comment
        while root.parent_id in by_id:
            root = by_id[root.parent_id]
        if comment.parent_id != root.pk:
            entry.replying_to = by_id[comment.parent_id].author_name
        entries[root.pk].replies.append(entry)
    top = [entry for entry in top if not entry.gone or any(not r.gone for r in entry.replies)]
    for entry in top:
        entry.replies = [reply for reply in entry.replies if not reply.gone]
    keys = {
        "oldest": lambda e: (not e.comment.is_featured, e.comment.created_at),
        "newest": lambda e: (not e.comment.is_featured, -e.comment.created_at.timestamp()),
        "liked": lambda e: (not e.comment.is_featured, -e.comment.like_count, e.comment.created_at),
    }
    return sorted(top, key=keys.get(sort, keys["oldest"]))
