"""A local HTTP server that answers the parts of Stripe's API Gaceta calls, for tests.

The real `stripe` library talks to it over loopback (STRIPE_API_BASE). It keeps customers,
Checkout sessions and subscriptions in memory, serves a bare "hosted checkout" page that a browser
can pay on, and signs the webhook events it sends with Stripe's scheme: the header
`Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed by the endpoint secret>`.
"""

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

DAY = 24 * 60 * 60


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    timestamp = timestamp or int(time.time())
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def unflatten(pairs) -> dict:
    """Stripe's form encoding ("line_items[0][price_data][currency]=usd") back into objects."""
    root: dict = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return root


class FakeStripe:
    def __init__(self, api_key: str = "sk_test_gaceta", webhook_secret: str = "whsec_gaceta"):
        self.api_key, self.webhook_secret = api_key, webhook_secret
        self.customers: dict = {}
        self.sessions: dict = {}
        self.subscriptions: dict = {}
        self.requests: list[tuple[str, str]] = []
        self.failing: set[tuple[str, str]] = set()
        self.webhook_url: str | None = None
        self._ids = itertools.count(1)
        self._events = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def fail(self, method: str, path: str) -> None:
        """From now on answer `method path` as Stripe does when it fails: a 500 api_error, with
        the header that tells the SDK not to retry."""
        self.failing.add((method, path))

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_test_{next(self._ids):06d}"

    # --- objects -----------------------------------------------------------------------------
    def create_subscription(self, session: dict) -> dict:
        data = session["params"]
        price = data["line_items"]["0"]["price_data"]
        interval = price["recurring"]["interval"]
        trial_days = int(data.get("subscription_data", {}).get("trial_period_days", 0))
        now = int(time.time())
        period_end = now + (trial_days * DAY if trial_days else (365 if interval == "year" else 30) * DAY)
        subscription = {
            "id": self.new_id("sub"),
            "object": "subscription",
            "customer": session["customer"],
            "status": "trialing" if trial_days else "active",
            "cancel_at_period_end": False,
            "trial_end": now + trial_days * DAY if trial_days else None,
            "metadata": data.get("subscription_data", {}).get("metadata", {}),
            "items": {"object": "list", "data": [{
                "id": self.new_id("si"),
                "object": "subscription_item",
                "current_period_end": period_end,
                "price": {"id": self.new_id("price"), "object": "price", "currency": price["currency"],
                          "unit_amount": int(price["unit_amount"]), "recurring": {"interval": interval}},
            }]},
        }
        self.subscriptions[subscription["id"]] = subscription
        return subscription

    def event(self, type_: str, obj: dict) -> bytes:
        return json.dumps({
            "id": f"evt_test_{next(self._events):06d}",
            "object": "event",
            "type": type_,
            "created": int(time.time()),
            "livemode": False,
            "api_version": "2025-03-31.basil",
            "data": {"object": obj},
        }).encode()

    def deliver(self, payload: bytes) -> int:
        """POST a signed event to the webhook URL, as Stripe does."""
        request = urllib.request.Request(
            self.webhook_url, data=payload, method="POST",
            headers={"Content-Type": "application/json", "Stripe-Signature": sign(payload, self.webhook_secret)},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status

    def pay(self, session_id: str) -> dict:
        """What happens when a customer pays on the hosted checkout page."""
        session = self.sessions[session_id]
        subscription = self.create_subscription(session)
        session.update(subscription=subscription["id"], status="complete", payment_status="paid")
        if self.webhook_url:
            self.deliver(self.event("checkout.session.completed", self.public(session)))
            self.deliver(self.event("customer.subscription.created", subscription))
        return subscription

    @staticmethod
    def public(session: dict) -> dict:
        return {key: value for key, value in session.items() if key != "params"}

    # --- HTTP --------------------------------------------------------------------------------
    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status: int, body, content_type="application/json", headers=()):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def form(self) -> dict:
                length = int(self.headers.get("Content-Length") or 0)
                return unflatten(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))

            def authorised(self) -> bool:
                if self.headers.get("Authorization") == f"Bearer {fake.api_key}":
                    return True
                self.reply(401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}})
                return False

            def route(self, method: str):
                path = urlsplit(self.path).path
                fake.requests.append((method, path))
                if path.startswith("/pay/"):
                    return self.hosted_checkout(method, path.removeprefix("/pay/"))
                if path.startswith("/portal/"):
                    return self.reply(200, b"<h1>Stripe customer portal (test)</h1>", "text/html")
                if not self.authorised():
                    return
                if (method, path) in fake.failing:
                    return self.reply(500, {"error": {"type": "api_error", "message": "An unknown error occurred"}},
                                      headers=[("Stripe-Should-Retry", "false")])
                params = self.form() if method == "POST" else {}
                if method == "POST" and path == "/v1/customers":
                    customer = {"id": fake.new_id("cus"), "object": "customer", **params}
                    fake.customers[customer["id"]] = customer
                    return self.reply(200, customer)
                if method == "POST" and path == "/v1/checkout/sessions":
                    session_id = fake.new_id("cs")
                    session = {
                        "id": session_id, "object": "checkout.session", "mode": params.get("mode"),
                        "customer": params.get("customer"), "client_reference_id": params.get("client_reference_id"),
                        "subscription": None, "status": "open", "url": f"{fake.url}/pay/{session_id}",
                        "success_url": params["success_url"], "cancel_url": params["cancel_url"], "params": params,
                    }
                    fake.sessions[session_id] = session
                    return self.reply(200, fake.public(session))
                if match := re.fullmatch(r"/v1/checkout/sessions/(\w+)", path):
                    return self.found(fake.sessions.get(match[1]), public=True)
                if match := re.fullmatch(r"/v1/subscriptions/(\w+)", path):
                    subscription = fake.subscriptions.get(match[1])
                    if subscription and method == "DELETE":
                        subscription["status"] = "canceled"
                    elif subscription and method == "POST":
                        subscription.update({k: v == "true" if v in ("true", "false") else v for k, v in params.items()})
                    return self.found(subscription)
                if method == "POST" and path == "/v1/billing_portal/sessions":
                    return self.reply(200, {"id": fake.new_id("bps"), "object": "billing_portal.session",
                                            "url": f"{fake.url}/portal/{params['customer']}"})
                self.reply(404, {"error": {"type": "invalid_request_error", "message": f"No route {method} {path}"}})

            def found(self, obj, public=False):
                if obj is None:
                    return self.reply(404, {"error": {"type": "invalid_request_error", "message": "No such object"}})
                self.reply(200, fake.public(obj) if public else obj)

            def hosted_checkout(self, method: str, session_id: str):
                session = fake.sessions.get(session_id)
                if session is None:
                    return self.reply(404, b"No such checkout session", "text/plain")
                if method == "GET":
                    page = (f"<!doctype html><title>Checkout (test)</title><h1>Pay {session_id}</h1>"
                            f"<form method=post action=/pay/{session_id}><button>Pay</button></form>")
                    return self.reply(200, page.encode(), "text/html")
                fake.pay(session_id)
                self.send_response(303)
                self.send_header("Location", session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):
                self.route("GET")

            def do_POST(self):
                self.route("POST")

            def do_DELETE(self):
                self.route("DELETE")

        return Handler
