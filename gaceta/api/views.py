"""The JSON API."""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from gaceta.answers import services


def _error(message: str, status: int, **extra) -> JsonResponse:
    response = JsonResponse({"error": message, **extra}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


# A question is at most 300 characters: even written all in \u escapes it fits in 8 KB.
BODY_MAX_BYTES = 8 * 1024


def _payload(request):
    """The JSON body, or the error response that says what is wrong with it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None, _error("The Content-Length header is not a number.", 400)
    if length > BODY_MAX_BYTES:
        return None, _error(f"The request is too large: send at most {BODY_MAX_BYTES} bytes.", 413)
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return None, _error("The body is not UTF-8 text; send JSON encoded as UTF-8.", 400)
    try:
        return json.loads(text or "{}"), None
    except RecursionError:
        return None, _error("The JSON is nested too deeply.", 400)
    except ValueError as error:  # JSONDecodeError, and numbers too long to read
        return None, _error(f"The body is not valid JSON: {error}.", 400)


# No CSRF token: the body must be JSON, which a cross-site form cannot send, and a question
# changes nothing but the asker's own rate-limit count.
@csrf_exempt
def ask(request):
    """POST {"question": "..."} → the answer as JSON (schema in the README, "Ask")."""
    if request.method != "POST":
        response = _error('Use POST with {"question": "..."}.', 405)
        response["Allow"] = "POST"
        return response
    if request.content_type != "application/json":
        return _error("Send JSON: Content-Type: application/json.", 415)
    payload, error = _payload(request)
    if error:
        return error
    question = payload.get("question") if isinstance(payload, dict) else None
    question = services.clean_question(question) if isinstance(question, str) else ""
    if not question.strip():
        return _error('Send {"question": "..."} with a non-empty question.', 400)
    try:
        question.encode("utf-8")
    except UnicodeEncodeError:  # JSON's \ud800 escapes can spell half a character
        return _error("The question is not valid Unicode text: it holds a lone surrogate (such as \\ud800).", 400)
    if refusal := services.too_long(question):
        return _error(refusal, 400)
    try:
        reply = services.ask(request, question)
    except services.RateLimited as limited:
        response = _error("Too many questions; try again later.", 429, retry_after=limited.retry_after)
        response["Retry-After"] = str(limited.retry_after)
        return response
    response = JsonResponse({**reply.answer.as_json(), "vote_token": reply.vote_token})
    response["Cache-Control"] = "private, no-store"
    return response
