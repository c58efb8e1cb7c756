"""An issue's MIME bytes, built by Django once per reader tier and filled in per recipient.

Django's email classes fold every header and encode every part of every message: most of the
sender's CPU time (see benchmarks/RESULTS.md). Here Django builds the message once with
placeholders; each recipient's copy takes their address, their unsubscribe token, a new
Message-ID and their two bodies in base64. Backends that do not ask for the MIME bytes (anymail's
provider APIs) read the message's fields as usual.
"""

import base64
import re
from email.utils import make_msgid

from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import DNS_NAME

TO = "recipient@gaceta.invalid"
TOKEN = "GACETAUNSUBSCRIBETOKEN"
MESSAGE_ID = "<gaceta-message-id@gaceta.invalid>"
TEXT, HTML = "GACETA-TEXT-PART", "GACETA-HTML-PART"
_BODY = b"Content-Transfer-Encoding: 7bit\r\n\r\n"
_SLOTS = re.compile(b"(" + b"|".join(re.escape(s) for s in (
    TO.encode(), TOKEN.encode(), MESSAGE_ID.encode(), _BODY + TEXT.encode(), _BODY + HTML.encode(),
)) + b")")
_EXPECTED = {TO.encode(): 1, MESSAGE_ID.encode(): 1, _BODY + TEXT.encode(): 1, _BODY + HTML.encode(): 1}


class _Bytes:
    """What Django's SMTP and console (and file) backends ask of a message: its bytes, and its
    charset (none: the bytes are ASCII, the bodies base64)."""

    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, unixfrom=False, linesep="\n"):
        return self.data

    def get_charset(self):
        return None


def _base64_part(text: str) -> bytes:
    return b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(text.encode()).replace(b"\n", b"\r\n").rstrip()


class MessageTemplate:
    """Django's MIME output for `build(to, token, text, html, message_id)`, split at its placeholders."""

    def __init__(self, build):
        skeleton = build(TO, TOKEN, TEXT, HTML, MESSAGE_ID).message().as_bytes(linesep="\r\n")
        self.segments = _SLOTS.split(skeleton)
        found = {slot: self.segments[1::2].count(slot) for slot in _EXPECTED}
        self.usable = found == _EXPECTED

    def fill(self, *, to: str, token: str, text: str, html: str) -> bytes | None:
        if not self.usable or not to.isascii():
            return None
        values = {TO.encode(): to.encode(), TOKEN.encode(): token.encode(),
                  MESSAGE_ID.encode(): make_msgid(domain=DNS_NAME).encode(),
                  _BODY + TEXT.encode(): _base64_part(text), _BODY + HTML.encode(): _base64_part(html)}
        return b"".join(values[part] if index % 2 else part for index, part in enumerate(self.segments))


class PreparedEmail(EmailMultiAlternatives):
    """An EmailMultiAlternatives whose MIME bytes come from a MessageTemplate when it can."""

    template: MessageTemplate | None = None
    token = ""

    def message(self):
        if self.template is not None:
            data = self.template.fill(to=self.to[0], token=self.token, text=self.body, html=self.alternatives[0][0])
            if data is not None:
                return _Bytes(data)
        return super().message()
