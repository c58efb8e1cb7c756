"""The WordPress import from the admin: an editor without a shell uploads the export, the worker
imports it, and the report says what came in."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gaceta.articles.models import ArticlePage, SectionPage
from gaceta.wordpress.models import WordPressImport
from gaceta.wordpress.services import run_import

pytestmark = pytest.mark.django_db
URL = "/admin/wordpress-import/"


@pytest.fixture(autouse=True)
def imports_dir(settings, tmp_path):
    settings.GACETA_IMPORTS_DIR = tmp_path / "imports"
    return settings.GACETA_IMPORTS_DIR


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("chief", "chief@example.org", "pw-for-tests"))
    return client


def upload(path):
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/xml")


@pytest.mark.slow  # a whole export
def test_an_uploaded_export_is_imported_and_reported_and_its_file_deleted(
        admin_client, export_path, imports_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(URL, {"export": upload(export_path), "section_map": "Markup=markup\n",
                                           "default_section": "news"})
    job = WordPressImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{job.pk}/"
    assert job.status == "done" and job.records_done == job.records_total > 50
    assert ArticlePage.objects.filter(live=True).count() == 56 and SectionPage.objects.filter(slug="markup").exists()
    page = admin_client.get(response["Location"]).text
    assert "Done" in page and "Imported: " in page and "Failed: 0" in page and 'http-equiv="refresh"' not in page
    assert "Sections: Markup → markup." in page and "Posts in no such category go to “news”." in page
    assert not any(path.is_file() for path in imports_dir.rglob("*"))  # drafts and private posts are not kept
    assert "themeunittestdata.wordpress.xml" in admin_client.get(URL).text  # listed among earlier imports
    assert URL in admin_client.get("/admin/").text  # in the Settings menu


def test_a_file_that_is_not_an_export_is_refused_and_the_form_keeps_what_was_typed(admin_client, tmp_path):
    other = tmp_path / "notes.xml"
    other.write_text("<notes><note>Hello</note></notes>")
    response = admin_client.post(URL, {"export": upload(other), "section_map": "Noticias=news",
                                       "default_section": "portada"})
    assert response.status_code == 400
    assert "notes.xml is not a WordPress export" in response.text
    assert "Noticias=news" in response.text and 'value="portada"' in response.text
    assert not WordPressImport.objects.exists()


def test_a_section_map_line_that_is_not_a_pair_or_not_a_slug_is_named(admin_client, export_path):
    response = admin_client.post(URL, {"export": upload(export_path), "section_map": "Noticias=news\nDeportes",
                                       "default_section": "news"})
    assert response.status_code == 400 and "“Deportes” is not CATEGORY=SECTION" in response.text
    response = admin_client.post(URL, {"export": upload(export_path), "section_map": "Noticias=Últimas noticias",
                                       "default_section": "news"})
    assert response.status_code == 400 and "“Últimas noticias” (for Noticias) is not a section" in response.text
    assert not WordPressImport.objects.exists()


def queued(admin_client, path) -> WordPressImport:
    admin_client.post(URL, {"export": upload(path), "default_section": "news"})  # no commit runs it
    return WordPressImport.objects.get()


def test_a_queued_import_shows_its_state_and_runs_once(admin_client, tmp_path, imports_dir, settings):
    broken = tmp_path / "broken.xml"
    broken.write_text('<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>')
    job = queued(admin_client, broken)
    kept = Path(job.export.path)
    assert kept.is_file() and kept.is_relative_to(imports_dir) and not kept.is_relative_to(settings.MEDIA_ROOT)
    page = admin_client.get(f"{URL}{job.pk}/").text
    assert "Waiting for the worker" in page and "make worker" in page and 'http-equiv="refresh"' in page
    assert run_import(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and "not well-formed XML" in job.report and not job.export and not kept.exists()
    assert run_import(job.pk) == "not queued"  # a second delivery of the task does nothing


def test_an_import_that_crashes_is_reported_and_its_file_deleted(admin_client, export_path, monkeypatch):
    from gaceta.wordpress.importer import Importer

    job = queued(admin_client, export_path)
    kept = Path(job.export.path)
    monkeypatch.setattr(Importer, "run", lambda self: 1 / 0)
    assert run_import(job.pk) == "failed"
    job.refresh_from_db()
    assert "stopped before it finished (ZeroDivisionError" in job.report and not kept.exists()


def test_an_import_whose_worker_was_killed_is_marked_failed_and_its_file_deleted(admin_client, export_path):
    """A killed process runs no `finally`: the page would have waited for ever, the file stayed."""
    job = queued(admin_client, export_path)
    kept = Path(job.export.path)
    started = timezone.now() - timedelta(hours=1)
    WordPressImport.objects.filter(pk=job.pk).update(status="running", progress_at=started)
    page = admin_client.get(f"{URL}{job.pk}/").text
    job.refresh_from_db()
    assert job.status == "failed" and "no progress for 15 minutes" in job.report and not kept.exists()
    assert "Failed" in page and 'http-equiv="refresh"' not in page


def test_only_staff_allowed_to_import_see_it(client, front_page):
    editor = get_user_model().objects.create_user("ed", "ed@example.org", "pw-for-tests", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    # Wagtail answers a PermissionDenied in its admin with a redirect to the dashboard.
    assert client.get(URL)["Location"] == "/admin/"
    assert client.post(URL, {"default_section": "news"})["Location"] == "/admin/"
    assert client.get(f"{URL}1/")["Location"] == "/admin/"
    assert URL not in client.get("/admin/").text
    # The permission can be given to a group in the admin's group editor.
    superuser = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw-for-tests")
    client.force_login(superuser)
    group = Group.objects.get(name="Editors")
    assert "Can add WordPress import" in client.get(f"/admin/groups/edit/{group.pk}/").text
