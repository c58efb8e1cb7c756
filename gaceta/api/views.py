"""The JSON API."""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gaceta.answers import services
from gaceta.answers.ask import QUESTION_MAX_CHARS, answer_question
from gaceta.answers.views import article_url


def _error(message: str, status: int, **extra) -> JsonResponse:
    response = JsonResponse({"error": message, **extra}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


# No CSRF token: the body must be JSON, which a cross-site form cannot send, and a question
# changes nothing but the asker's own rate-limit count.
@csrf_exempt
@require_POST
def ask(request):
    """POST {"question": "..."} → the answer as JSON (schema in the README, "Ask")."""
    if request.content_type != "application/json":
        return _error("Send JSON: Content-Type: application/json.", 415)
    try:
        payload = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error("The body is not valid JSON.", 400)
    question = payload.get("question") if isinstance(payload, dict) else None
    if not isinstance(question, str) or not question.strip():
        return _error('Send {"question": "..."} with a non-empty question.', 400)
    if len(question) > QUESTION_MAX_CHARS:
        return _error(f"Questions can be at most {QUESTION_MAX_CHARS} characters.", 400)
    verdict = services.check_rate(request)
    if not verdict.allowed:
        response = _error("Too many questions; try again later.", 429, retry_after=verdict.retry_after)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    answer = answer_question(question, request.user, article_url(request))
    asked = services.record_question(answer, request.user)
    response = JsonResponse({**answer.as_json(), "vote_token": services.vote_token(asked)})
    response["Cache-Control"] = "private, no-store"
    return response
