"""Signing up and in with a code by email (django-allauth), as readers do."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from gaceta.members.models import Member
from tests.conftest import make_member

pytestmark = pytest.mark.django_db
URL = re.compile(r"https?://\S+")


def code_from(message) -> str:
    return re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", message.body, re.M).group(1)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_up_with_just_an_email_and_the_code_sent_to_it(client, front_page):
    response = client.post("/accounts/signup/", {"email": "new@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert not signed_in(client)
    [message] = mail.outbox
    assert message.to == ["new@example.org"]
    assert message.subject == "Gaceta: Your code to finish signing up"
    assert message.body.startswith("Hello,\n\nWelcome to Gaceta.") and "The Gaceta newsroom\nhttp" in message.body
    response = client.post("/accounts/confirm-email/", {"code": code_from(message)})
    assert response.status_code == 302
    assert signed_in(client)
    member = Member.objects.get(email="new@example.org")
    assert not member.has_usable_password()
    assert member.emailaddress_set.get().verified
    assert "Free member" in client.get("/account/").text


def test_sign_in_with_a_one_time_code(client, free_member):
    client.post("/accounts/login/code/", {"email": "free@example.org"})
    code = code_from(mail.outbox[-1])
    response = client.post("/accounts/login/code/confirm/", {"code": code})
    assert response.status_code == 302 and signed_in(client)


def test_a_code_works_once(client, free_member):
    client.post("/accounts/login/code/", {"email": "free@example.org"})
    code = code_from(mail.outbox[-1])
    client.post("/accounts/login/code/confirm/", {"code": code})
    client.logout()
    client.post("/accounts/login/code/confirm/", {"code": code})
    assert not signed_in(client)


def test_codes_expire(client, free_member):
    client.post("/accounts/login/code/", {"email": "free@example.org"})
    code = code_from(mail.outbox[-1])
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        client.post("/accounts/login/code/confirm/", {"code": code})
    assert not signed_in(client)


def test_wrong_codes_are_refused_and_the_form_says_so(client, free_member):
    client.post("/accounts/login/code/", {"email": "free@example.org"})
    response = client.post("/accounts/login/code/confirm/", {"code": "WRONG1"})
    assert not signed_in(client)
    assert response.status_code == 200 and "code" in response.text.lower()


def test_opening_links_in_the_email_signs_nobody_in(client, free_member):
    """Mail scanners follow every link; only typing the code signs a reader in."""
    client.post("/accounts/login/code/", {"email": "free@example.org"})
    client.post("/accounts/signup/", {"email": "scanned@example.org"})
    for message in mail.outbox:
        for url in URL.findall(message.body):
            client.get(url.replace("http://testserver", ""))
    assert not signed_in(client)
    assert not Member.objects.get(email="scanned@example.org").emailaddress_set.get().verified


def request_code(email: str):
    return Client().post("/accounts/login/code/", {"email": email})  # a new session each time


def test_code_requests_are_rate_limited_per_email(free_member):
    for _ in range(3):
        assert request_code("free@example.org").status_code == 302
    response = request_code("FREE@example.org")
    assert response.status_code == 200 and "Too many" in response.text
    assert len(mail.outbox) == 3


@pytest.mark.slow
def test_code_requests_are_rate_limited_per_ip(front_page):
    responses = [request_code(f"r{n}@example.org") for n in range(22)]
    assert [r.status_code for r in responses[:20]] == [302] * 20
    refused = responses[-1]
    assert refused.status_code in (200, 429) and "Too many" in refused.text


def test_changing_email_needs_the_new_address_verified(client, free_member):
    client.force_login(free_member)
    client.post("/accounts/email/", {"action_add": "", "email": "moved@example.org"})
    member = Member.objects.get(pk=free_member.pk)
    assert member.email == "free@example.org"  # unchanged until verified
    message = mail.outbox[-1]
    assert message.to == ["moved@example.org"]
    client.post("/accounts/confirm-email/", {"code": code_from(message)})
    assert Member.objects.get(pk=free_member.pk).email == "moved@example.org"


def test_account_page_saves_the_name_and_re_shows_bad_input(client, free_member):
    client.force_login(free_member)
    client.post("/account/", {"first_name": "Rita", "last_name": "Reader"})
    assert Member.objects.get(pk=free_member.pk).get_full_name() == "Rita Reader"
    response = client.post("/account/", {"first_name": "x" * 200, "last_name": "Kept"})
    assert response.status_code == 200 and 'value="Kept"' in response.text


def test_sign_out_is_a_post(client, free_member):
    client.force_login(free_member)
    client.get("/accounts/logout/")
    assert signed_in(client)
    client.post("/accounts/logout/")
    assert not signed_in(client)


def test_password_sign_in_still_works_and_a_mistake_keeps_the_email(client, free_member):
    response = client.post("/accounts/login/", {"login": "free@example.org", "password": "wrong"})
    assert response.status_code == 200 and 'value="free@example.org"' in response.text
    assert not signed_in(client)
    client.post("/accounts/login/", {"login": "free@example.org", "password": "reader-pw-123"})
    assert signed_in(client)


# --- The pages in the site's own wording --------------------------------------------------------


@pytest.mark.parametrize("name, says", [("Sam S.", "You are signed in as Sam S."), ("Sam", "You are signed in as Sam.")])
def test_the_signed_in_message_ends_with_one_full_stop(client, name, says):
    make_member("sam@example.org", display_name=name)
    response = client.post("/accounts/login/", {"login": "sam@example.org", "password": "reader-pw-123"}, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [says]


def test_sign_in_page_has_one_email_field_a_real_checkbox_and_two_kinds_of_button(client, front_page):
    html = client.get("/accounts/login/").text
    assert html.count('type="email"') == 1
    assert re.search(r'<input type="checkbox" name="remember" id="id_remember"', html)
    assert '<label for="id_remember">Keep me signed in</label>' in html
    assert '<button type="submit">Email me a sign-in code</button>' in html
    assert '<button type="submit" class="button-quiet">Sign in with password</button>' in html
    assert "Sign In" not in html and "Remember Me" not in html


def test_a_code_sign_in_keeps_the_session_only_when_asked(client, free_member):
    client.post("/accounts/login/", {"login": "free@example.org"})
    client.post("/accounts/login/code/confirm/", {"code": code_from(mail.outbox[-1])})
    assert signed_in(client) and client.session.get_expire_at_browser_close()
    client.logout()
    client.post("/accounts/login/", {"login": "free@example.org", "remember": "on"})
    client.post("/accounts/login/code/confirm/", {"code": code_from(mail.outbox[-1])})
    assert signed_in(client) and not client.session.get_expire_at_browser_close()


def test_the_password_button_signs_in_with_the_password(client, free_member):
    response = client.post("/accounts/login/", {"login": "free@example.org", "password": "reader-pw-123"})
    assert response.status_code == 302 and signed_in(client)
    assert client.session.get_expire_at_browser_close()  # "Keep me signed in" was not ticked


def test_account_pages_speak_the_sites_words(client, free_member):
    signup = client.get("/accounts/signup/").text
    assert "<h1>Sign up</h1>" in signup and "Sign Up" not in signup and signup.count('type="email"') == 1
    client.post("/accounts/login/", {"login": "free@example.org"})
    code_page = client.get("/accounts/login/code/confirm/").text
    assert "<h1>Enter your sign-in code</h1>" in code_page and "free@example.org" in code_page
    client.force_login(free_member)
    assert "<h1>Email address</h1>" in client.get("/accounts/email/").text
    assert "<h1>Choose a password</h1>" in client.get("/accounts/password/set/").text or \
        "<h1>Change your password</h1>" in client.get("/accounts/password/change/").text
    assert "<h1>Reset your password</h1>" in client.get("/accounts/password/reset/").text


def test_the_account_page_shows_complimentary_access_without_staffs_note(client, free_member):
    from gaceta.members.models import ComplimentaryAccess

    ComplimentaryAccess.objects.create(member=free_member, note="Cousin of the editor, do not renew")
    client.force_login(free_member)
    page = client.get("/account/").content.decode()
    assert "Complimentary paid access." in page
    assert "Cousin of the editor" not in page  # the note is for staff


def test_the_sign_up_page_has_one_sign_up_button_and_sign_in_comes_back(client, front_page, free_member):
    """The footer's newsletter form is left off account pages: its "Sign up" button stood beside
    the account's. The header's "Sign in" returns to the page it was clicked on."""
    from gaceta.newsletters.models import Newsletter

    Newsletter.objects.create(name="The Daily", slug="daily", description="Every morning.")
    assert 'id="newsletter-signup-email"' in client.get("/").text  # the footer form, elsewhere
    signup = client.get("/accounts/signup/").text
    assert signup.count(">Sign up</button>") == 1 and 'id="newsletter-signup-email"' not in signup
    story_page = client.get("/search/", {"q": "budget"}).text
    assert 'href="/accounts/login/?next=%2Fsearch%2F%3Fq%3Dbudget">Sign in</a>' in story_page
    # The page is cached for every reader: one reader's tracking parameters stay out of it.
    tracked = client.get("/search/", {"q": "budget", "fbclid": "ONE-READER", "mc_eid": "abc123"}).text
    assert "ONE-READER" not in tracked and "abc123" not in tracked
    assert 'href="/accounts/login/">Sign in</a>' in client.get("/accounts/login/").text
    client.force_login(free_member)
    expected = "Change your password</a>" if free_member.has_usable_password() else "Set a password</a>"
    account = client.get("/account/").text
    assert expected in account and "Change a password" not in account
    assert "on your account page" not in account  # the footer does not send the member where they are


def test_sign_in_codes_and_password_resets_are_written_in_the_newsroom_s_voice(client, free_member):
    """Not allauth's stock wording ("Please enter it in your open browser window", "Thank you for
    using …"): what the code is for, how long it works, and what to do if it was not you."""
    client.post("/accounts/login/code/", {"email": "free@example.org"})
    client.post("/accounts/password/reset/", {"email": "free@example.org"})
    client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    code, reset, unknown = mail.outbox
    assert code.subject == "Gaceta: Your sign-in code" and "It works once, for a few minutes." in code.body
    assert code_from(code)
    assert reset.subject == "Gaceta: Reset your password" and "/accounts/password/reset/key/" in reset.body
    assert unknown.subject == "Gaceta: No account with this address" and "/accounts/signup/" in unknown.body
    for message in (code, reset, unknown):
        assert "open browser window" not in message.body and "Thank you for using" not in message.body
        assert message.body.rstrip().splitlines()[-2] == "The Gaceta newsroom"
