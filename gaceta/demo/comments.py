"""Demo comment threads, written for Gaceta: replies, likes, a featured comment, one awaiting
moderation and one reported, on the seed stories and a share of the archive."""

import itertools
from datetime import timedelta

from django.contrib.auth.models import Permission

from gaceta.articles.models import ArticlePage
from gaceta.comments.models import Comment, CommentLike, CommentReport
from gaceta.comments.rendering import text_to_html

COMMENTERS = [
    ("lucia@example.org", "Lucía", "Herrera"),
    ("tom@example.org", "Tom", "Baker"),
    ("ana@example.org", "Ana", "Ruiz"),
]
MODERATOR = ("desk@example.org", "Marta", "Desk")
NEWCOMER = ("newcomer@example.org", "Nico", "Nuevo")
OPENERS = [
    "Useful background. I had not seen the figures laid out like this before.",
    "The last paragraph deserves its own story: who decides, and when?",
    "I would like to know what local officials said about this at the time.",
    "Clear and fair reporting. Thank you for including the dates.",
    "This matches what people in my town have been saying for months.",
]
REPLIES = [
    "Good question. The article links the original report, which goes into more detail.",
    "I read it differently: the numbers cover only the first quarter.",
    "Agreed, and it would help to have a follow-up a year on.",
]
NESTED = "Fair point, though the comparison with the year before still holds."
PENDING = "First time commenting here: does anyone know where the full decree was published?"
REPORTED = "Everyone who disagrees with me is an idiot."
EVERY_NTH_ARCHIVE_STORY = 50


def load_demo_comments(make_member) -> int:
    """Add the demo threads once; `make_member(email, first, last, paid, staff)` returns a member."""
    if Comment.objects.filter(member__email=COMMENTERS[0][0]).exists():
        return 0
    people = [make_member(email, first, last, paid=True, staff=False) for email, first, last in COMMENTERS]
    moderator = make_member(*MODERATOR, paid=True, staff=True)
    moderator.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="comments"),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    newcomer = make_member(*NEWCOMER, paid=True, staff=False)
    seed = list(ArticlePage.objects.filter(import_ref__startswith="seed:").order_by("pk"))
    archive = list(ArticlePage.objects.filter(import_ref__startswith="wikinews-").order_by("pk")[::EVERY_NTH_ARCHIVE_STORY])
    likes, reports, added = [], [], 0
    for number, article in enumerate(seed + archive):
        start = article.first_published_at + timedelta(hours=2)
        speakers = itertools.cycle(people[number % 3 :] + people[: number % 3])
        tops = []
        for n in range(2 + number % 3):
            tops.append(Comment(article=article, member=next(speakers), body=OPENERS[(number + n) % len(OPENERS)],
                                status="published", is_featured=(n == 0 and number % 4 == 0)))
        for comment in tops:
            comment.body_html = text_to_html(comment.body)
        Comment.objects.bulk_create(tops)
        reply = Comment(article=article, member=next(speakers), parent=tops[0], body=REPLIES[number % len(REPLIES)], status="published")
        staff_reply = Comment(article=article, member=moderator, parent=tops[-1],
                              body="From the desk: we are following this and will update the story.", status="published")
        for comment in (reply, staff_reply):
            comment.body_html = text_to_html(comment.body)
        Comment.objects.bulk_create([reply, staff_reply])
        nested = Comment.objects.create(article=article, member=next(speakers), parent=reply, body=NESTED, status="published")
        thread = tops + [reply, staff_reply, nested]
        for offset, comment in enumerate(thread):
            Comment.objects.filter(pk=comment.pk).update(created_at=start + timedelta(minutes=37 * offset))
            fans = [p for p in people if p.pk != comment.member_id][: (number + offset) % 3]
            likes += [CommentLike(comment=comment, member=fan) for fan in fans]
            Comment.objects.filter(pk=comment.pk).update(like_count=len(fans))
        added += len(thread)
        if number == 0:
            Comment.objects.create(article=article, member=newcomer, body=PENDING, status="pending")
            rude = Comment.objects.create(article=article, member=people[2], body=REPORTED, status="published")
            reports.append(CommentReport(comment=rude, member=people[0], reason="Insulting other readers"))
            added += 2
    CommentLike.objects.bulk_create(likes)
    CommentReport.objects.bulk_create(reports)
    return added
