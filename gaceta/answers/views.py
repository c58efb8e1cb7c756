"""Ask pages: /ask/ (works without JavaScript), its event stream, and answer votes."""

import json

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from gaceta.core.ratelimit import too_many_requests

from . import services
from .models import AskSettings


def _question(request) -> str:
    return services.clean_question(request.GET.get("q", ""))


def _no_store(response):
    # Answers depend on the reader and count against their limit: never cached, by anyone.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def ask_page(request):
    """Template `answers/ask.html`; context: `question`, `answer` (None without one), `vote_token`,
    `example` (a question staff offer to try, or "")."""
    question = _question(request)
    context = {"question": question, "answer": None, "error": services.too_long(question),
               "example": AskSettings.current().example_question}
    if context["error"]:  # the box shows the whole question again, for the reader to shorten
        return _no_store(render(request, "answers/ask.html", context, status=400))
    if question:
        try:
            reply = services.ask(request, question)
        except services.RateLimited as limited:
            return _no_store(too_many_requests(request, "answers/ask.html", context, limited.retry_after))
        context.update(answer=reply.answer, vote_token=reply.vote_token)
    response = render(request, "answers/ask.html", context)
    return _no_store(response) if question else response


@require_GET
def ask_stream(request):
    """Server-sent events: `sources` first, then each `sentence`, then `done` (see ask.answer_events)."""
    question = _question(request)
    refusal = services.too_long(question) if question else "Ask a question with ?q="
    if refusal:
        return HttpResponse(refusal, status=400, content_type="text/plain")
    try:
        events = services.ask_events(request, question)
    except services.RateLimited as limited:
        response = HttpResponse(
            json.dumps({"error": "rate_limited", "retry_after": limited.retry_after}),
            status=429, content_type="application/json",
        )
        response["Retry-After"] = str(limited.retry_after)
        return _no_store(response)
    response = StreamingHttpResponse(
        (f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events),
        content_type="text/event-stream",
    )
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
