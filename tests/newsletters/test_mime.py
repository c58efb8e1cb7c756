"""A message filled in from the tier's template reads exactly as the one Django builds itself."""

import email
import email.policy

from gaceta.newsletters.mime import MessageTemplate, PreparedEmail


def build(to, token, text, html, message_id=None):
    message = PreparedEmail("Subject é", text, "Gaceta <news@example.org>", [to],
                            headers={"List-Unsubscribe": f"<https://example.org/u/{token}/>, <mailto:u@example.org?subject=unsubscribe%20{token}>",
                                     "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "Message-ID": message_id or "<m@example.org>"})
    message.attach_alternative(html, "text/html")
    return message


def parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def test_the_filled_in_message_matches_djangos_own():
    text, html = "Línea uno\n" + "x" * 1200, "<p>Árbol " + "y" * 1500 + "</p>"
    template = MessageTemplate(build)
    assert template.usable
    filled = parse(template.fill(to="reader@example.org", token="12:abc-DEF_g", text=text, html=html))
    django = parse(build("reader@example.org", "12:abc-DEF_g", text, html).message().as_bytes())
    for header in ("To", "From", "Subject", "List-Unsubscribe", "List-Unsubscribe-Post"):
        assert filled[header] == django[header]
    assert filled.get_body(("plain",)).get_content() == django.get_body(("plain",)).get_content()
    assert filled.get_body(("html",)).get_content() == django.get_body(("html",)).get_content()
    assert filled["Message-ID"] != "<gaceta-message-id@gaceta.invalid>"


def test_a_non_ascii_address_takes_djangos_own_path():
    message = build("josé@example.org", "1:x", "text", "<p>html</p>")
    message.template, message.token = MessageTemplate(build), "1:x"
    assert not hasattr(message.message(), "data")  # Django's MIME object, not the filled-in bytes


def test_the_console_backend_writes_the_filled_in_message():
    """The development default (GACETA_EMAIL_BACKEND=console) sends an issue too."""
    import io

    from django.core.mail.backends.console import EmailBackend

    message = build("reader@example.org", "1:x", "Hello, reader", "<p>Hello</p>")
    message.template, message.token = MessageTemplate(build), "1:x"
    stream = io.StringIO()
    assert EmailBackend(stream=stream).send_messages([message]) == 1
    written = parse(stream.getvalue().split("\n" + "-" * 79)[0].encode())
    assert written["To"] == "reader@example.org"
    assert written.get_body(("plain",)).get_content().strip() == "Hello, reader"
