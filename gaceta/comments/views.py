"""Comment endpoints: each works as a plain form post (redirect back) and, for scripts asking
for JSON, answers in place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.backends.utils import csrf_input
from django.views.decorators.http import require_GET, require_POST

from gaceta.articles.models import ArticlePage
from gaceta.core.ratelimit import too_many_requests
from gaceta.members import access

from . import services
from .models import Comment, CommentSettings
from .rendering import render_entry
from .threads import Entry, build_thread


NOTE_TAG = "at:"


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def answer(request, *, status=200, redirect_to: str, message: str = "", level=messages.SUCCESS, **data):
    if wants_json(request):
        return JsonResponse({"message": message, **data}, status=status)
    if message:
        # Shown beside the comment or form the reader is sent back to (see comment_tags.notes).
        place = redirect_to.partition("#")[2]
        messages.add_message(request, level if status < 400 else messages.ERROR, message,
                             extra_tags=f"{NOTE_TAG}{place}" if place else "")
    return HttpResponseRedirect(redirect_to)


def problems(error: Exception) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def refuse(request, error: Exception, redirect_to: str):
    status = 429 if isinstance(error, services.RateLimited) else 403 if isinstance(error, PermissionDenied) else 400
    text = " ".join(problems(error))
    response = answer(request, status=status, redirect_to=redirect_to, message=text, error=text)
    if isinstance(error, services.RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def retry_form(request, error: Exception, **context):
    """Without JavaScript: the form again, with what was typed and what is wrong."""
    context["errors"] = problems(error)
    if isinstance(error, services.RateLimited):
        return too_many_requests(request, "comments/retry.html", context, error.retry_after)
    return render(request, "comments/retry.html", context, status=400)


@require_POST
def post_comment(request, article_id):
    article = get_object_or_404(ArticlePage.objects.live(), pk=article_id)
    back = article.url + "#comments"
    parent_id, body = request.POST.get("parent", ""), request.POST.get("body", "")
    display_name = request.POST.get("display_name")
    try:
        comment = services.post_comment(member=request.user, article=article, body=body, parent=parent_id,
                                        display_name=display_name)
    except (ValidationError, services.RateLimited) as error:
        if wants_json(request):
            return refuse(request, error, back)
        # The member may comment here (that is checked first), so the parent may be looked up.
        try:
            parent = services.reply_target(article=article, parent=parent_id)
        except ValidationError:
            parent = None
        return retry_form(
            request, error, article=article, parent=parent, body=body, ask_name=not request.user.display_name,
            name_value=request.user.pseudonym if display_name is None else display_name,
        )
    except PermissionDenied as error:
        return refuse(request, error, back)
    pending = comment.status == Comment.Status.PENDING
    is_reply = comment.parent_id is not None
    html = render_entry(Entry(comment), request.user.pk, True, csrf_input(request), is_reply=is_reply)
    return answer(
        request, status=201, redirect_to=f"{article.url}#comment-{comment.pk}",
        message="Thanks: your comment will appear once a moderator has read it." if pending else "Your comment is posted.",
        id=comment.pk, status_text=comment.status, html=html, parent=str(comment.parent_id) if is_reply else None,
    )


def _comment(comment_id) -> Comment:
    return get_object_or_404(Comment.objects.select_related("article", "member"), pk=comment_id)


@require_POST
def edit_comment(request, comment_id):
    comment = _comment(comment_id)
    back = f"{comment.article.url}#comment-{comment.pk}"
    try:
        services.edit_comment(member=request.user, comment=comment, body=request.POST.get("body", ""))
    except (ValidationError, PermissionDenied) as error:
        return refuse(request, error, back)
    return answer(request, redirect_to=back, message="Your comment is updated.", body=comment.body)


@require_POST
def delete_comment(request, comment_id):
    comment = _comment(comment_id)
    back = f"{comment.article.url}#comments"
    try:
        services.delete_comment(member=request.user, comment=comment)
    except PermissionDenied as error:
        return refuse(request, error, back)
    return answer(request, redirect_to=back, message="Your comment is deleted.")


@require_POST
def like_comment(request, comment_id):
    comment = _comment(comment_id)
    back = f"{comment.article.url}#comment-{comment.pk}"
    try:
        liked, count = services.toggle_like(member=request.user, comment=comment)
    except PermissionDenied as error:
        return refuse(request, error, back)
    return answer(request, redirect_to=back, liked=liked, likes=count)


@require_POST
def report_comment(request, comment_id):
    comment = _comment(comment_id)
    back = f"{comment.article.url}#comment-{comment.pk}"
    try:
        services.report_comment(member=request.user, comment=comment, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        return refuse(request, error, back)
    return answer(request, redirect_to=back, message="Thank you: a moderator will look at this comment.")


@require_GET
def article_comments(request, article_id):
    """JSON for an article's comments: the count for everyone, the text only for those who may read it."""
    article = get_object_or_404(ArticlePage.objects.live(), pk=article_id)
    count = Comment.objects.counts_for([article.pk]).get(article.pk, 0)
    if not access.can_read_comments(request.user, article, CommentSettings.current()):
        return JsonResponse({"count": count, "comments": None, "error": "Comments are for paid subscribers."}, status=403)

    def serialise(entry):
        comment = entry.comment
        return {
            "id": comment.pk,
            "author": None if entry.gone else comment.author_name,
            "text": "" if entry.gone else comment.body,
            "status": comment.status,
            "created": comment.created_at.isoformat(),
            "edited": bool(comment.edited_at),
            "likes": comment.like_count,
            "featured": comment.is_featured,
            "replying_to": entry.replying_to or None,
            "replies": [serialise(reply) for reply in entry.replies],
        }

    thread = build_thread(article, request.user, request.GET.get("sort", "oldest"))
    return JsonResponse({"count": count, "comments": [serialise(entry) for entry in thread]})


@login_required
def my_comments(request):
    """Template `comments/my_comments.html`; context: `comments`, `replies` (only those the member
    may still read: a subscriber who lapsed no longer reads paid-only replies), `replies_withheld`."""
    mine = Comment.objects.filter(member=request.user).exclude(status=Comment.Status.DELETED).select_related("article")
    replies = (
        Comment.objects.filter(parent__member=request.user, status=Comment.Status.PUBLISHED)
        .exclude(member=request.user).select_related("article", "member", "parent")
        .order_by("-created_at")[:200]
    )
    rules = CommentSettings.current()
    readable = [reply for reply in replies if access.can_read_comments(request.user, reply.article, rules)]
    return render(request, "comments/my_comments.html", {
        "comments": mine.order_by("-created_at")[:200], "replies": readable,
        "replies_withheld": len(readable) < len(replies),
    })
