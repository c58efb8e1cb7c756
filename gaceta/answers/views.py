"""Ask pages: /ask/ (works without JavaScript), its event stream, and answer votes."""

import json

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from gaceta.core.ratelimit import too_many_requests
from gaceta.core.text import reader_text
from gaceta.core.addresses import absolute_url

from . import services
from .ask import QUESTION_MAX_CHARS, answer_events, answer_question


def _question(request) -> str:
    return " ".join(reader_text(request.GET.get("q", "")).split())[:QUESTION_MAX_CHARS]


def article_url(request):
    return lambda article: absolute_url(article.get_url(request=request))


def _no_store(response):
    # Answers depend on the reader and count against their limit: never cached, by anyone.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _too_many(request, verdict, question):
    return _no_store(too_many_requests(request, "answers/ask.html", {"question": question}, verdict.retry_after))


@require_GET
def ask_page(request):
    """Template `answers/ask.html`; context: `question`, `answer` (None without one), `vote_token`."""
    question = _question(request)
    context = {"question": question, "answer": None}
    if question:
        verdict = services.check_rate(request)
        if not verdict.allowed:
            return _too_many(request, verdict, question)
        answer = answer_question(question, request.user, article_url(request))
        asked = services.record_question(answer, request.user)
        context.update(answer=answer, vote_token=services.vote_token(asked))
    response = render(request, "answers/ask.html", context)
    return _no_store(response) if question else response


@require_GET
def ask_stream(request):
    """Server-sent events: `sources` first, then each `sentence`, then `done` (see ask.answer_events)."""
    question = _question(request)
    if not question:
        return HttpResponse("Ask a question with ?q=", status=400, content_type="text/plain")
    verdict = services.check_rate(request)
    if not verdict.allowed:
        response = HttpResponse(
            json.dumps({"error": "rate_limited", "retry_after": verdict.retry_after}),
            status=429, content_type="application/json",
        )
        response["Retry-After"] = str(verdict.retry_after)
        return _no_store(response)

    def events():
        for name, data in answer_events(question, request.user, article_url(request)):
            if name == "done":
                asked = services.record_question(data.pop("answer"), request.user)
                data["vote_token"] = services.vote_token(asked)
            yield f"event: {name}\ndata: {json.dumps(data)}\n\n"

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on as it comes
    return _no_store(response)


# No CSRF token: the signed ticket is the proof, and only the reader who asked holds it.
@csrf_exempt
@require_POST
def vote(request):
    """A reader's "helpful / not helpful" on an answer; answers 204, or 400 for a bad ticket."""
    counted = services.vote(request.POST.get("token", ""), request.POST.get("helpful") == "yes")
    if request.headers.get("Accept", "").startswith("application/json"):
        return HttpResponse(status=204 if counted else 400)
    return render(request, "answers/voted.html", {"counted": counted}, status=200 if counted else 400)
