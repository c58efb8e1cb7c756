import csv
import io

import pytest
from django.contrib.auth import get_user_model

from gaceta.members.models import ComplimentaryAccess
from gaceta.payments.models import Subscription
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.org", "pw"))
    return client


@pytest.fixture
def members(db):
    free = make_member("free@example.org")
    comp = make_member("comp@example.org", paid=True)
    payer = make_member("payer@example.org")
    Subscription.objects.create(member=payer, stripe_id="sub_1", status="active", interval="year")
    return free, comp, payer


def test_members_list_filters_by_tier(staff_client, members):
    page = staff_client.get("/admin/member-list/").text
    for email in ("free@example.org", "comp@example.org", "payer@example.org"):
        assert email in page
    paid = staff_client.get("/admin/member-list/", {"tier": "paid"}).text
    assert "payer@example.org" in paid and "free@example.org" not in paid and "comp@example.org" not in paid
    comp = staff_client.get("/admin/member-list/", {"tier": "complimentary"}).text
    assert "comp@example.org" in comp and "payer@example.org" not in comp
    free = staff_client.get("/admin/member-list/", {"tier": "free"}).text
    assert "free@example.org" in free and "payer@example.org" not in free
    assert "payer@example.org" in staff_client.get("/admin/member-list/", {"q": "payer"}).text


def test_members_export_as_csv(staff_client, members):
    response = staff_client.get("/admin/member-list/", {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode() if response.streaming else response.content.decode())))
    tiers = {row["Email address"]: row["Tier"] for row in rows}
    assert tiers["free@example.org"] == "Free"
    assert tiers["comp@example.org"] == "Complimentary"
    assert tiers["payer@example.org"] == "Paid"


def test_member_page_shows_subscription_history(staff_client, members):
    payer = members[2]
    page = staff_client.get(f"/admin/member-list/inspect/{payer.pk}/").text
    assert "sub_1" in page and "Active" in page and "Tier: Paid" in page


def test_staff_grant_complimentary_access_with_an_end_date(staff_client, members):
    free = members[0]
    response = staff_client.post("/admin/complimentary-access/new/", {
        "member": free.pk, "starts_at": "2025-01-01 00:00", "ends_at": "2099-01-01 00:00", "note": "Contributor",
    })
    assert response.status_code == 302, response.content[:3000]
    grant = ComplimentaryAccess.objects.get(member=free)
    assert grant.granted_by.username == "boss" and grant.ends_at.year == 2099
    assert free.tier_label() == "Complimentary"


def test_dashboard_charts_free_and_paid_members(staff_client, members):
    page = staff_client.get("/admin/").text
    assert "Members over the last 12 months" in page
    assert "<strong>1</strong> free and <strong>2</strong> paid" in page


def test_staff_find_members_by_display_name_and_can_change_an_abusive_one(staff_client, members):
    free = members[0]
    free.display_name = "Rude Name"
    free.save()
    assert "free@example.org" in staff_client.get("/admin/member-list/", {"q": "Rude"}).text
    response = staff_client.post(f"/admin/member-list/edit/{free.pk}/", {
        "display_name": "Reader", "first_name": "", "last_name": "", "email": "free@example.org", "is_active": "on",
    })
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=free.pk).display_name == "Reader"
