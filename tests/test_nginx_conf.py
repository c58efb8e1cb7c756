"""deploy/nginx.conf, run by Debian's nginx in front of a loopback app: a one-second micro-cache
that serves its last copy while it refreshes, and while the app fails."""

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import unavailable

pytestmark = pytest.mark.slow  # real nginx, timed by seconds of cache life

ROOT = Path(__file__).resolve().parent.parent
# Debian puts nginx in /usr/sbin, which a non-root PATH often lacks.
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
SHARED = "public, max-age=60, s-maxage=300, stale-while-revalidate=600"


class App:
    """The app behind nginx: counts the requests for each path; `failing` makes it answer 504."""

    def __init__(self):
        self.hits: dict[str, int] = {}
        self.failing = False
        app = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the HTTP method's name
                app.hits[self.path] = app.hits.get(self.path, 0) + 1
                status = 504 if app.failing else 200
                body = f"copy {app.hits[self.path]}".encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Vary", "Cookie")
                self.send_header("Cache-Control", "private, no-cache" if self.path == "/private/" else SHARED)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def proxy(tmp_path):
    if not NGINX:
        unavailable("Debian's nginx is not installed (apt-get install nginx-light); .ci/run installs it.")
    app = App()
    port = free_port()
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for placeholder, value in {
        "@LISTEN@": f"127.0.0.1:{port}", "@SERVER_NAME@": "127.0.0.1", "@APP@": f"127.0.0.1:{app.server.server_port}",
        "@STATIC_ROOT@": str(tmp_path), "@MEDIA_ROOT@": str(tmp_path), "@CACHE_DIR@": str(tmp_path / "cache"),
    }.items():
        site = site.replace(placeholder, value)
    (tmp_path / "site.conf").write_text(site)
    temp = tmp_path / "temp"
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{ access_log off; client_body_temp_path {temp}; proxy_temp_path {temp}; fastcgi_temp_path {temp};"
        f" uwsgi_temp_path {temp}; scgi_temp_path {temp}; include {tmp_path}/site.conf; }}\n"
    )
    nginx = subprocess.Popen([NGINX, "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, (tmp_path / "error.log").read_text()
            time.sleep(0.05)
    yield base, app
    nginx.send_signal(signal.SIGQUIT)
    nginx.wait(timeout=10)
    app.server.shutdown()


def get(url, **headers) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers.get("X-Micro-Cache", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Micro-Cache", ""), error.read().decode()


def test_pages_are_kept_one_second_whatever_s_maxage_says_then_served_stale_while_refreshed(proxy):
    base, app = proxy
    assert get(f"{base}/story/") == (200, "MISS", "copy 1")
    assert get(f"{base}/story/") == (200, "HIT", "copy 1")
    # Tracking cookies do not make a copy of their own (the app's Vary: Cookie is not followed).
    assert get(f"{base}/story/", Cookie="_ga=GA1.2.3") == (200, "HIT", "copy 1")
    time.sleep(2.1)  # "1s" ends with the second after next
    # Expired: the reader gets the last copy at once, and one background request refreshes it.
    assert get(f"{base}/story/") == (200, "STALE", "copy 1")
    deadline = time.monotonic() + 5
    while get(f"{base}/story/")[2] != "copy 2":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert app.hits["/story/"] == 2


def test_the_last_copy_is_served_while_the_app_fails(proxy):
    base, app = proxy
    assert get(f"{base}/story/")[2] == "copy 1"
    app.failing = True
    time.sleep(2.1)  # "1s" ends with the second after next
    answers = set()
    for _ in range(25):  # the background refresh fails, and so does every request after it
        status, _, body = get(f"{base}/story/")
        answers.add((status, body))
        time.sleep(0.1)
    assert answers == {(200, "copy 1")} and app.hits["/story/"] > 2


def test_private_pages_and_sessions_are_never_kept(proxy):
    base, app = proxy
    assert [get(f"{base}/private/")[2] for _ in range(2)] == ["copy 1", "copy 2"]
    get(f"{base}/story/")
    assert get(f"{base}/story/", Cookie="sessionid=abc")[2] == "copy 2"
