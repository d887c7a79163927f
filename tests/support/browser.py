"""A reusable headless-Chromium harness: the browser, a recording page, a local server.

Used by ``tests/browser/conftest.py``; written so app end-to-end tests (Streamlit on a
local port) can use the same pieces. The browser is Debian's ``/usr/bin/chromium``,
driven through Playwright's sync API: never ``playwright install``.
"""

from __future__ import annotations

import functools
import http.server
import socket
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Schemes that never touch the network.
LOCAL_SCHEMES = {"data", "about", "blob", "file"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def is_local(url: str) -> bool:
    """Whether a request URL stays on this machine."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


def open_page_link(page: object, label: str) -> None:
    """Click a page in the app's sidebar list, unfolding "View more" first when it hides it."""
    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=label, exact=True)
    more = page.get_by_test_id("stSidebarNavViewButton")
    if not link.is_visible() and more.count() and "more" in more.inner_text().lower():
        more.click()
        page.wait_for_timeout(300)
    link.scroll_into_view_if_needed()
    link.click()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout: float = 30.0) -> None:
    """Poll ``url`` until it answers 200 (e.g. Streamlit's ``/_stcore/health``)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError as err:
            last = err
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer 200 within {timeout:g} s ({last})")


@dataclass
class RecordedPage:
    """A Playwright page plus everything it asked for and every dialog it raised.

    Attributes
    ----------
    page
        The ``playwright.sync_api.Page``.
    requests
        Every request and websocket URL, in order.
    blocked
        Requests that would have left the machine; they were aborted.
    dialogs
        ``"type: message"`` for every alert/confirm/prompt (each dismissed).
    page_errors
        Uncaught script errors.
    console_errors
        ``console.error`` messages (a Content-Security-Policy violation shows here).
    """

    page: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def non_local_requests(self) -> list[str]:
        """Requests that tried to leave the machine."""
        return [url for url in self.requests if not is_local(url)]

    def assert_clean(self) -> None:
        """No request left the machine, no dialog, no script or console error."""
        assert self.non_local_requests() == [], self.non_local_requests()
        assert self.dialogs == [], self.dialogs
        assert self.page_errors == [], self.page_errors
        assert self.console_errors == [], self.console_errors


def record(context: object) -> RecordedPage:
    """Open a page in ``context`` that records requests, dialogs and errors.

    Requests for anything but this machine are aborted (and listed in ``blocked``).
    """
    page = context.new_page()  # type: ignore[attr-defined]
    recorded = RecordedPage(page)

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if is_local(url):
            route.continue_()  # type: ignore[attr-defined]
        else:
            recorded.blocked.append(url)
            route.abort()  # type: ignore[attr-defined]

    def dialog(d: object) -> None:
        recorded.dialogs.append(f"{d.type}: {d.message}")  # type: ignore[attr-defined]
        d.dismiss()  # type: ignore[attr-defined]

    context.route("**/*", route)  # type: ignore[attr-defined]
    page.on("request", lambda r: recorded.requests.append(r.url))
    page.on("websocket", lambda ws: recorded.requests.append(ws.url))
    page.on("dialog", dialog)
    page.on("pageerror", lambda err: recorded.page_errors.append(str(err)))
    page.on("console", lambda m: m.type == "error" and recorded.console_errors.append(m.text))
    return recorded


class LocalServer:
    """A static file server on 127.0.0.1 (free port) over a temporary folder.

    Examples
    --------
    >>> with LocalServer() as server:
    ...     url = server.serve("hello.html", "<p>hi</p>")
    ...     url.startswith("http://127.0.0.1:") and url.endswith("/hello.html")
    True
    """

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="onatool-serve-")
        self.root = Path(self._folder.name)
        handler = functools.partial(_QuietHandler, directory=str(self.root))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def serve(self, name: str, text: str) -> str:
        """Write ``text`` (UTF-8) as ``name`` and return its URL."""
        (self.root / name).write_text(text, encoding="utf-8")
        return f"http://127.0.0.1:{self.port}/{name}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._folder.cleanup()

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass
