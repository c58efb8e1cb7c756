"""Comment HTML, built in Python: an article can carry hundreds of comments, and Django's template
engine spends ~0.5 ms on each; these functions take a few microseconds.

What a member wrote goes through `text_to_html` (escaped, then links added); every other value
passes through `escape` before it is put into the markup.
"""

from functools import cache
from html import escape as _escape

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime


def escape(value) -> str:
    return _escape(str(value), quote=True)


def text_to_html(text: str) -> SafeString:
    """Text in, text out: everything escaped, then web links made, marked as user content."""
    html = urlize(text, autoescape=True).replace("<a href=", '<a rel="nofollow ugc noopener" href=')
    paragraphs = [part.replace("\n", "<br>") for part in html.split("\n\n") if part.strip()]
    return mark_safe("".join(f"<p>{part}</p>" for part in paragraphs))


@cache
def _url_pattern(name: str) -> str:
    """A comment URL with "{}" for the id: reversed once, not once per comment."""
    return reverse(f"comments:{name}", args=[987654321]).replace("987654321", "{}")


def _url(name: str, pk: int) -> str:
    return _url_pattern(name).format(pk)


def _when(moment) -> str:
    """"Apr 6, 2023, 11:30 a.m." in the newsroom's time zone."""
    local = localtime(moment)
    hour = local.hour % 12 or 12
    return f"{local:%b} {local.day}, {local.year}, {hour}:{local.minute:02d} {'a.m.' if local.hour < 12 else 'p.m.'}"


def _form(action: str, csrf_input: str, inner: str, css="comment-form", data="") -> str:
    return f'<form method="post" action="{action}" class="{css}"{data}>{csrf_input}{inner}</form>'


def _actions(entry, viewer_id, can_post: bool, csrf_input: str, opened: str = "", name_field: str = "") -> str:
    comment, pk, parts = entry.comment, entry.comment.pk, []
    published = comment.status == "published"
    mine = viewer_id is not None and viewer_id == comment.member_id
    if published and viewer_id is not None and not mine:
        pressed = "true" if entry.liked else "false"
        button = (f'<button type="submit" class="button-quiet" aria-pressed="{pressed}">♥ <span data-like-count>'
                  f'{comment.like_count}</span><span class="visually-hidden"> likes</span></button>')
        parts.append(_form(_url("like", pk), csrf_input, button, css="", data=" data-like-form"))
    elif comment.like_count:
        parts.append(f'<span class="comment__likes">♥ {comment.like_count}<span class="visually-hidden"> likes</span></span>')
    if can_post and published:
        # One link per comment; the form itself only under the comment being answered (without
        # JavaScript, ?reply=<id>; with it, comments.js builds the form in place).
        if opened == f"reply-{pk}":
            parts.append(reply_form(comment.article_id, pk, csrf_input, name_field))
        else:
            parts.append(f'<a class="comment__link" href="?reply={pk}#comment-{pk}" data-reply="{pk}">Reply</a>')
    if mine:
        fields = (f'<label for="edit-{pk}">Your comment</label><textarea id="edit-{pk}" name="body" rows="3" required>'
                  f'{escape(comment.body)}</textarea><button type="submit">Save</button>')
        parts.append(f"<details><summary>Edit</summary>{_form(_url('edit', pk), csrf_input, fields)}</details>")
        parts.append(_form(_url("delete", pk), csrf_input, '<button type="submit" class="button-quiet">Delete</button>', css=""))
    elif published and viewer_id is not None:
        if opened == f"report-{pk}":
            fields = (f'<label for="report-{pk}">What is wrong with this comment?</label>'
                      f'<input id="report-{pk}" name="reason" maxlength="500" required><button type="submit">Report</button>')
            parts.append(_form(_url("report", pk), csrf_input, fields))
        else:
            parts.append(f'<a class="comment__link" href="?report={pk}#comment-{pk}">Report</a>')
    return f'<div class="comment__actions">{"".join(parts)}</div>'


def reply_form(article_id: int, parent_id: int, csrf_input: str, name_field: str = "") -> str:
    fields = (f'<input type="hidden" name="parent" value="{parent_id}">{name_field}<label for="comment-body-{parent_id}">Your reply</label>'
              f'<textarea id="comment-body-{parent_id}" name="body" rows="3" required></textarea><button type="submit">Reply</button>')
    return _form(_url("post", article_id), csrf_input, fields, data=" data-comment-form")


def _notes(messages) -> str:
    return "".join(
        f'<p class="comment-note{" comment-note--error" if message.level_tag == "error" else ""}" role="status">{escape(message)}</p>'
        for message in messages
    )


def render_entry(entry, viewer_id, can_post: bool, csrf_input: str, is_reply=False, opened: str = "",
                 name_field: str = "", notes: dict | None = None) -> SafeString:
    comment = entry.comment
    notes = notes or {}
    classes = "comment" + (" comment--featured" if comment.is_featured else "") + (
        " comment--pending" if comment.status == "pending" else "")
    if entry.gone:
        inner = f'<p class="comment__gone">[{"deleted" if comment.status == "deleted" else "removed by a moderator"}]</p>'
    else:
        badges = (' <span class="badge">Staff</span>' if comment.member and comment.member.is_staff else "") + (
            ' <span class="badge badge--featured">Featured</span>' if comment.is_featured else "")
        flags = (' · <span class="comment__edited">edited</span>' if comment.edited_at else "") + (
            ' · <span class="comment__pending">awaiting moderation: only you can see it</span>' if comment.status == "pending" else "")
        replying = f'<p class="comment__replying">Replying to {escape(entry.replying_to)}</p>' if entry.replying_to else ""
        body = comment.body_html or text_to_html(comment.body)
        inner = (
            f'<p class="comment__meta"><strong>{escape(comment.author_name)}</strong>{badges} · '
            f'<time datetime="{localtime(comment.created_at).replace(microsecond=0).isoformat()}">{_when(comment.created_at)}</time>{flags}</p>'
            f'{replying}<div class="comment__body">{body}</div>{_actions(entry, viewer_id, can_post, csrf_input, opened, name_field)}'
        )
    inner += _notes(notes.get(f"comment-{comment.pk}", []))
    if entry.replies:
        replies = "".join(render_entry(reply, viewer_id, can_post, csrf_input, True, opened, name_field, notes) for reply in entry.replies)
        inner += f'<ol class="comment-replies">{replies}</ol>'
    elif not is_reply:
        inner += '<ol class="comment-replies" data-replies></ol>'
    return mark_safe(f'<li class="{classes}" id="comment-{comment.pk}">{inner}</li>')


def render_thread(thread, viewer, can_post: bool, csrf_input: str, opened: str = "", notes: dict | None = None) -> SafeString:
    """`opened` names the one inline form asked for without JavaScript: "reply-<id>" or "report-<id>";
    `notes`: messages to show beside comments, by "comment-<id>". A reply form opened for a member
    without a display name asks for one, as the first comment does."""
    viewer_id = viewer.pk if viewer.is_authenticated else None
    name_field = ""
    if can_post and opened.startswith("reply-") and not viewer.display_name:
        name_field = render_to_string("comments/name_field.html", {"suffix": opened, "name_value": viewer.pseudonym})
    return mark_safe("".join(render_entry(entry, viewer_id, can_post, csrf_input, opened=opened, name_field=name_field,
                                          notes=notes) for entry in thread))


def comment_numbers(article_ids: list[int]) -> dict[int, str]:
    """The number of comments heading an article's comments (the "comment-number" slot)."""
    from .models import Comment

    return {pk: str(count) for pk, count in Comment.objects.cached_counts(article_ids).items()}


def card_counts(article_ids: list[int]) -> dict[int, str]:
    """The comment count of each story card (the "comment-count" slot, core/slots.py)."""
    from django.template.defaultfilters import pluralize
    from django.utils.html import format_html

    from .models import Comment

    counts = Comment.objects.cached_counts(article_ids)
    return {
        pk: format_html('{}<span class="visually-hidden"> comment{}</span>', counts.get(pk, 0), pluralize(counts.get(pk, 0)))
        for pk in article_ids
    }
