"""Free and paid members over the last twelve months, drawn as a small SVG for the dashboard.

Staff accounts are left out: the chart is about readers."""

from datetime import datetime

from django.db.models import Q

from .access import annotate_tiers
from .models import Member

WIDTH, HEIGHT, PAD = 560, 180, 28


def month_starts(now: datetime, months: int = 12) -> list[datetime]:
    """The first moment of each of the last `months - 1` months, then now."""
    points, year, month = [], now.year, now.month
    for _ in range(months - 1):
        points.append(datetime(year, month, 1, tzinfo=now.tzinfo))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(points) + [now]


def membership_counts(now: datetime) -> list[dict]:
    """For each point in time: members then, and how many of them had paid access."""
    points = []
    for at in month_starts(now):
        members = annotate_tiers(Member.objects.filter(date_joined__lte=at, is_active=True, is_staff=False), at=at)
        paid = members.filter(Q(is_complimentary=True) | Q(is_subscribed=True)).count()
        total = members.count()
        points.append({"at": at, "free": total - paid, "paid": paid})
    return points


def membership_chart(now: datetime) -> dict:
    points = membership_counts(now)
    top = max([p["free"] for p in points] + [p["paid"] for p in points] + [1])
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def line(key):
        return " ".join(
            f"{PAD + i * step:.1f},{HEIGHT - PAD - (p[key] / top) * (HEIGHT - 2 * PAD):.1f}" for i, p in enumerate(points)
        )

    return {
        "width": WIDTH, "height": HEIGHT, "free_line": line("free"), "paid_line": line("paid"),
        "points": points, "top": top, "latest": points[-1],
    }
