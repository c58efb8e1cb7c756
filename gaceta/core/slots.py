"""Slots: small parts of a page filled in after it is rendered, so that a cached fragment can
carry a number that changes more often than the fragment (a story card's comment count).

A template writes `{% slot "comment-count" story.pk %}`, a marker that cached fragments and
cached pages keep as it is; as every response leaves (from the page cache too),
`SlotMiddleware` replaces every marker of a kind with what that kind's filler returns, one call
for all the markers of the page. Apps register fillers from ready(): `register("comment-count",
fill)`, `fill(ids) -> {id: html}`; a filler runs on every answer, so it reads from the cache.
So a comment leaves every page that shows its story's card in place, and the card's count is
the new one at once.
"""

import re
from collections.abc import Callable

from django.utils.html import format_html

_fillers: dict[str, Callable[[list[int]], dict[int, str]]] = {}
MARKER = re.compile(rb"<!--slot:([a-z-]+):([0-9]+)-->")


def register(kind: str, filler: Callable[[list[int]], dict[int, str]]) -> None:
    _fillers[kind] = filler


def marker(kind: str, pk: int) -> str:
    """The marker of one slot; user text, escaped, can never contain it."""
    return format_html("<!--slot:{}:{}-->", kind, int(pk))


def fill(content: bytes) -> bytes:
    """`content` with every slot filled (unknown kinds and ids left empty)."""
    wanted: dict[str, set[int]] = {}
    for kind, pk in MARKER.findall(content):
        wanted.setdefault(kind.decode(), set()).add(int(pk))
    values = {
        kind: _fillers[kind](sorted(ids)) if kind in _fillers else {}
        for kind, ids in wanted.items()
    }
    return MARKER.sub(lambda match: str(values[match[1].decode()].get(int(match[2]), "")).encode(), content)


class SlotMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and b"<!--slot:" in response.content
        ):
            response.content = fill(response.content)
            if response.has_header("Content-Length"):  # set inside, on the content with markers
                response["Content-Length"] = str(len(response.content))
        return response
