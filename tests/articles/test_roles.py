"""Newsroom roles: what reporters, editors, moderators and administrators may do, and review."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Page, Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from gaceta.articles.models import ArticlePage, SectionPage
from gaceta.articles.roles import ensure_newsroom_roles
from gaceta.members.access import can_moderate_comments
from tests.conftest import make_member, publish_article

pytestmark = pytest.mark.django_db


def member_of(email, *group_names):
    member = make_member(email)
    member.groups.add(*Group.objects.filter(name__in=group_names))
    return type(member).objects.get(pk=member.pk)  # no cached permissions


@pytest.fixture
def staff(sections):
    return {
        "reporter": member_of("reporter@example.org", "Reporters", "Reporters: Politics"),
        "editor": member_of("editor@example.org", "Editors"),
        "moderator": member_of("desk@example.org", "Moderators"),
        "administrator": member_of("admin@example.org", "Administrators"),
    }


def test_migrate_leaves_the_roles_and_the_review_workflow_in_place(db):
    assert {"Reporters", "Editors", "Moderators", "Administrators"} <= set(Group.objects.values_list("name", flat=True))
    workflow = Workflow.objects.get(name="Editorial review", active=True)
    [task] = [task.specific for task in workflow.tasks]
    assert isinstance(task, GroupApprovalTask) and [g.name for g in task.groups.all()] == ["Editors"]
    assert Page.get_first_root_node().get_workflow() == workflow
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()
    before = Group.objects.count(), Workflow.objects.count()
    ensure_newsroom_roles()
    assert (Group.objects.count(), Workflow.objects.count()) == before  # idempotent


def test_each_new_section_gets_its_reporters_group(front_page):
    culture = front_page.add_child(instance=SectionPage(title="Culture", slug="culture"))
    group = Group.objects.get(name="Reporters: Culture")
    assert set(group.page_permissions.filter(page=culture).values_list("permission__codename", flat=True)) == {"add_page", "change_page"}
    assert culture.get_workflow().name == "Editorial review"


def test_a_reporter_writes_in_the_sections_given_never_publishes(staff, sections):
    reporter = staff["reporter"]
    politics, business = sections["politics"], sections["business"]
    assert politics.permissions_for_user(reporter).can_add_subpage()
    assert not politics.permissions_for_user(reporter).can_publish_subpage()
    assert not business.permissions_for_user(reporter).can_add_subpage()
    story = publish_article(politics, "Someone else's story")
    tester = story.permissions_for_user(reporter)
    assert tester.can_edit() and not tester.can_publish() and not tester.can_unpublish()
    assert not publish_article(business, "Business story").permissions_for_user(reporter).can_edit()
    assert reporter.has_perm("wagtailadmin.access_admin") and not can_moderate_comments(reporter)
    assert not Page.objects.get(pk=politics.get_parent().pk).permissions_for_user(reporter).can_edit()


def test_an_editor_publishes_unpublishes_and_pins_anywhere(staff, sections, front_page):
    editor = staff["editor"]
    story = publish_article(sections["business"], "Peso rallies")
    tester = story.permissions_for_user(editor)
    assert tester.can_publish() and tester.can_unpublish() and tester.can_edit()
    assert front_page.permissions_for_user(editor).can_publish()  # the lead and pinned stories
    assert sections["politics"].permissions_for_user(editor).can_publish_subpage()
    assert not editor.has_perm("members.view_member")


def test_a_moderator_moderates_comments_only(staff, sections):
    moderator = staff["moderator"]
    assert can_moderate_comments(moderator) and moderator.has_perm("wagtailadmin.access_admin")
    story = publish_article(sections["politics"], "Commented story")
    assert not story.permissions_for_user(moderator).can_edit()
    assert not sections["politics"].permissions_for_user(moderator).can_add_subpage()


def test_an_administrator_may_do_everything(staff, sections):
    administrator = staff["administrator"]
    assert administrator.has_perm("members.change_member") and administrator.has_perm("auth.change_group")
    assert can_moderate_comments(administrator)
    assert publish_article(sections["politics"], "Any story").permissions_for_user(administrator).can_publish()


def test_a_reporter_submits_an_editor_approves_and_the_story_goes_live(client, staff, sections):
    politics = sections["politics"]
    client.force_login(staff["reporter"])
    data = nested_form_data({
        "title": "Ballot counting ends in Puebla", "slug": "ballot-counting-ends-in-puebla",
        "dek": "The count took four days.",
        "body": streamfield([("paragraph", rich_text("<p>Officials finished on Friday.</p>"))]),
        "bylines": inline_formset([]), "sources": inline_formset([]), "corrections": inline_formset([]),
        "visibility": "public", "comment_mode": "open",
    })
    publish = client.post(f"/admin/pages/add/articles/articlepage/{politics.pk}/", {**data, "action-publish": "publish"})
    assert publish.status_code == 302
    story = ArticlePage.objects.get(slug="ballot-counting-ends-in-puebla")
    assert not story.live  # a reporter's "publish" is not honoured: saved as a draft
    response = client.post(f"/admin/pages/{story.pk}/edit/", {**data, "action-submit": "submit"})
    assert response.status_code == 302, response.content[-2000:]
    story.refresh_from_db()
    state = story.current_workflow_state
    assert state and state.workflow.name == "Editorial review" and not story.live
    assert client.get(story.url).status_code == 404

    client.force_login(staff["editor"])
    assert "Ballot counting ends in Puebla" in client.get("/admin/").text  # awaiting their review
    task_state = story.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", task_state.pk])
    assert client.post(url, {"comment": "Good to go."}).status_code in (200, 302)
    story.refresh_from_db()
    assert story.live and story.current_workflow_state is None
    client.logout()
    assert "Officials finished on Friday." in client.get(story.url).text


def test_a_reporter_cannot_approve_a_review(client, staff, sections):
    story = publish_article(sections["politics"], "Draft for review")
    story.save_revision(user=staff["reporter"])
    story.get_workflow().start(story, staff["reporter"])
    task_state = ArticlePage.objects.get(pk=story.pk).current_workflow_task_state
    client.force_login(staff["reporter"])
    url = reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": ""}, follow=True)
    assert "Sorry, you do not have permission" in response.text
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"
