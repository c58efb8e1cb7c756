"""Old WordPress links by id (`/?p=123`, `/?page_id=7`), which land on the front page.

Wagtail's redirects act only on a 404, and the front page answers `/?p=123` with a 200, so these
are looked up here first. Other old links (`/2008/09/slug/`) 404 and Wagtail redirects them.
"""

from django.http import HttpResponsePermanentRedirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

ID_PARAMETERS = ("p", "page_id", "attachment_id")


class WordPressLinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and any(name in request.GET for name in ID_PARAMETERS):
            old_path = Redirect.normalise_path(request.get_full_path())
            redirect = (
                Redirect.get_for_site(Site.find_for_request(request))
                .filter(old_path=old_path)
                .select_related("redirect_page")
                .first()
            )
            if redirect is not None and redirect.link:
                return HttpResponsePermanentRedirect(redirect.link)
        return self.get_response(request)
