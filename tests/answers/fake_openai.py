"""A local HTTP server that speaks OpenAI's chat-completions protocol, for tests.

The real `openai` library talks to it over loopback (GACETA_ASK_LLM_BASE_URL = `url`). It checks
the bearer key, records each request's JSON in `requests`, and answers `reply`: streamed as
server-sent events in small pieces when the request asks for a stream, as one JSON object when
not. `status` makes it answer that HTTP error instead; `delay` makes it wait that many seconds
before answering; `stall_after` makes a stream stop sending after that many characters.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeChatModel:
    def __init__(self, api_key: str = "sk-test-gaceta", model: str = "fake-model"):
        self.api_key, self.model = api_key, model
        self.reply = "NOT IN ARCHIVE"
        self.status: int | None = None
        self.delay = 0.0
        self.stall_after: int | None = None
        self.piece = 7  # characters per streamed chunk
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def prompt(self) -> str:
        """Every message of the last request, joined."""
        return "\n".join(message["content"] for message in self.requests[-1]["messages"])

    def chunk(self, content: str | None, finish_reason: str | None = None) -> dict:
        delta = {"content": content} if content is not None else {}
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
        }

    def completion(self) -> dict:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": self.reply},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != "/v1/chat/completions":
                    return self.error(404, "Unknown path")
                fake.headers.append({name.lower(): value for name, value in self.headers.items()})
                if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                    return self.error(401, "Incorrect API key provided")
                request = json.loads(body)
                fake.requests.append(request)
                time.sleep(fake.delay)
                if fake.status:
                    return self.error(fake.status, "The server had an error")
                try:
                    self.stream() if request.get("stream") else self.json(200, fake.completion())
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting

            def stream(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                reply = fake.reply
                if fake.stall_after is not None:
                    reply = reply[: fake.stall_after]
                for start in range(0, len(reply), fake.piece):
                    self.event(fake.chunk(reply[start : start + fake.piece]))
                if fake.stall_after is not None:
                    time.sleep(3)  # longer than any test's timeout
                    return
                self.event(fake.chunk(None, "stop"))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def event(self, data: dict):
                self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()

            def json(self, status: int, data: dict):
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def error(self, status: int, message: str):
                error = {"message": message, "type": "server_error", "param": None, "code": None}
                self.json(status, {"error": error})

        return Handler
