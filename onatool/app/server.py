"""The app's server: Streamlit run inside onatool's own process, behind a Host check.

``onatool ui`` calls :func:`main` in its own process (no child process), so stopping
``onatool ui`` (Ctrl+C, SIGTERM, closing the terminal) stops the server: there is no
Streamlit left behind to keep serving the workspace.

Streamlit is started as an ASGI application (``st.App``) with one middleware of ours,
:class:`HostGuard`, in front of everything it serves, pages and websocket alike:

- it answers only requests whose ``Host`` header names this computer (``127.0.0.1``,
  ``localhost`` or ``[::1]``, with the server's port) or a host name the person who
  started a hosted server named (``--allowed-host``). A web page elsewhere that points
  its own domain name at 127.0.0.1 (DNS rebinding) sends its own name as ``Host`` and
  is refused, so it cannot read the app through the browser;
- it sends ``Content-Security-Policy: frame-ancestors 'self'`` (and
  ``X-Frame-Options: SAMEORIGIN`` for older browsers) with every response, so no other
  site can show the app inside a frame of its own.

The process also creates every file owner-only (:func:`onatool.files_safety.owner_only_umask`).

Run directly as ``python -m onatool.app.server APP_FILE [--allowed-host NAME]...
[--server.port 8501 ...]``; :func:`onatool.cli.ui_command` builds that command line.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable, Callable, Iterable, MutableMapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

__all__ = [
    "FRAME_ANCESTORS",
    "LOOPBACK_NAMES",
    "HostGuard",
    "allowed_hosts",
    "host_allowed",
    "main",
    "parse_arguments",
]

#: The host names that reach only this computer, as a browser writes them in ``Host``.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
#: The frame policy sent with every response.
FRAME_ANCESTORS = "frame-ancestors 'self'"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _split_host(value: str) -> tuple[str, str | None]:
    """``("name", "port")`` from a Host header value; the port is None when absent.

    Examples
    --------
    >>> _split_host("LocalHost:8501"), _split_host("[::1]:80"), _split_host("example.org")
    (('localhost', '8501'), ('[::1]', '80'), ('example.org', None))
    """
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        name, rest = value[: end + 1], value[end + 1 :]
        return name, (rest[1:] if rest.startswith(":") else None) if rest else None
    name, colon, port = value.rpartition(":")
    if not colon:
        return value, None
    return name, port


def allowed_hosts(port: int, named: Iterable[str] = ()) -> frozenset[str]:
    """Every ``Host`` value the server answers: loopback names with ``port``, and ``named``.

    Parameters
    ----------
    port
        The port the server listens on; loopback names must carry it (or no port).
    named
        Host names a hosted server is reached by (``ona.example.nhs.uk``); one given
        without a port is allowed with any port (a proxy may add its own).

    Returns
    -------
    frozenset of str
        Lower-case ``name:port`` entries, and bare names that allow any port
        (marked ``name:*``).

    Examples
    --------
    >>> sorted(allowed_hosts(8501, ["ONA.example.nhs.uk"]))[:2]
    ['127.0.0.1', '127.0.0.1:8501']
    >>> "ona.example.nhs.uk:*" in allowed_hosts(8501, ["ONA.example.nhs.uk"])
    True
    """
    allowed = set()
    for name in LOOPBACK_NAMES:
        allowed.update({name, f"{name}:{port}"})
    for entry in named:
        name, entry_port = _split_host(entry)
        if not name:
            continue
        allowed.add(f"{name}:{entry_port}" if entry_port else f"{name}:*")
        if not entry_port:
            allowed.add(name)
    return frozenset(allowed)


def host_allowed(host: str | None, allowed: frozenset[str]) -> bool:
    """Whether a request's ``Host`` header is one the server answers.

    Examples
    --------
    >>> allowed = allowed_hosts(8501)
    >>> [host_allowed(h, allowed) for h in ("127.0.0.1:8501", "localhost:8501", "[::1]:8501")]
    [True, True, True]
    >>> [host_allowed(h, allowed) for h in ("evil.example:8501", "127.0.0.1:9999", "", None)]
    [False, False, False, False]
    """
    if not host:
        return False
    name, port = _split_host(host)
    if not name or any(ch in name for ch in "/\\@ \t"):
        return False
    if port is None:
        return name in allowed
    return f"{name}:{port}" in allowed or f"{name}:*" in allowed


class HostGuard:
    """ASGI middleware: refuse unknown ``Host`` headers; forbid framing by other sites.

    Parameters
    ----------
    app
        The application it guards (Streamlit's).
    allowed
        From :func:`allowed_hosts`.
    """

    def __init__(self, app: ASGIApp, allowed: frozenset[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope.get("type")
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host")
        if not host_allowed(host, self.allowed):
            if kind == "websocket":
                # Closing before accepting makes the server answer the handshake with 403.
                await send({"type": "websocket.close", "code": 1008})
                return
            body = (
                b"This onatool server answers only requests addressed to this computer "
                b"(127.0.0.1, localhost or [::1]) or to a host name it was started with.\n"
            )
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode()),
                                    *_SECURITY_HEADERS]})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_policy(message: Message) -> None:
            if message.get("type") == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_policy if kind == "http" else send)


_SECURITY_HEADERS = [
    (b"content-security-policy", FRAME_ANCESTORS.encode()),
    (b"x-frame-options", b"SAMEORIGIN"),
]


def _header(scope: Scope, name: bytes) -> str | None:
    values = [value for key, value in scope.get("headers", []) if key.lower() == name]
    if len(values) != 1:  # none, or two Host headers: ambiguous, refused
        return None
    return values[0].decode("latin-1")


def parse_arguments(argv: Sequence[str]) -> tuple[Path, list[str], dict[str, Any]]:
    """``APP_FILE [--allowed-host NAME]... [--section.option VALUE]...`` as typed values.

    Returns
    -------
    tuple
        The app file, the host names named, and Streamlit config options (``"true"``
        and ``"false"`` become booleans, whole numbers integers).

    Examples
    --------
    >>> parse_arguments(["app.py", "--allowed-host", "ona.example", "--server.port", "8502",
    ...                  "--server.headless", "true", "--server.address", "127.0.0.1"])
    (PosixPath('app.py'), ['ona.example'], {'server.port': 8502, 'server.headless': True, 'server.address': '127.0.0.1'})
    """
    if not argv or argv[0].startswith("--"):
        raise SystemExit("usage: python -m onatool.app.server APP_FILE [--allowed-host NAME]... "
                         "[--section.option VALUE]...")
    app_file, rest = Path(argv[0]), list(argv[1:])
    if len(rest) % 2:
        raise SystemExit(f"option {rest[-1]} has no value")
    named: list[str] = []
    options: dict[str, Any] = {}
    for flag, value in zip(rest[::2], rest[1::2], strict=True):
        if flag == "--allowed-host":
            named.append(value)
        elif flag.startswith("--") and "." in flag:
            options[flag[2:]] = _typed(value)
        else:
            raise SystemExit(f"unknown option {flag}")
    return app_file, named, options


def _typed(value: str) -> Any:
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    if value.isdigit():
        return int(value)
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the app until stopped (Ctrl+C or SIGTERM), in this process.

    Parameters
    ----------
    argv
        As :func:`parse_arguments` reads them (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 once the server has stopped.
    """
    from onatool.files_safety import owner_only_umask

    app_file, named, options = parse_arguments(sys.argv[1:] if argv is None else argv)
    app_file = app_file.resolve()
    port = int(options.get("server.port", 8501))
    owner_only_umask()

    import streamlit as st
    from starlette.middleware import Middleware

    if not hasattr(st, "App") or not hasattr(st.App, "run"):
        raise SystemExit(f"onatool ui needs Streamlit 1.67 or later (this is {st.__version__}); "
                         "run `make setup` to upgrade")
    # As `streamlit run` does: the app's folder is where .streamlit/ and the pages are.
    os.chdir(app_file.parent)
    sys.argv = [str(app_file)]
    app = st.App(app_file, middleware=[Middleware(HostGuard, allowed=allowed_hosts(port, named))])
    with suppress(KeyboardInterrupt):  # the server has already stopped; uvicorn re-raises Ctrl+C
        app.run(config=options)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
