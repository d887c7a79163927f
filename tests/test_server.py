"""The app's server, started as a user starts it (``onatool ui``) on a free loopback port:
it answers only loopback Host headers, forbids framing by other sites, and stopping
``onatool ui`` stops it, leaving no process behind."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from onatool.app.server import allowed_hosts, host_allowed, parse_arguments
from onatool.cli import ui_command
from onatool.errors import InputFormatError
from tests.support.processes import App, leftover_processes, processes, running_app, stop

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and /proc as on Linux")


def _get(port: int, path: str, host: str | None) -> http.client.HTTPResponse:
    """GET ``path`` from the server on 127.0.0.1:``port`` with the given Host header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


def _websocket_status(port: int, host: str) -> int:
    """The status a websocket handshake to Streamlit's stream gets with this Host header."""
    request = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: streamlit\r\n"
        f"Origin: http://{host}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        status_line = sock.recv(4096).split(b"\r\n", 1)[0]
    return int(status_line.split()[1])


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[App]:
    env = {**os.environ, "ONATOOL_WORKSPACE": str(tmp_path_factory.mktemp("ws") / "workspace.sqlite")}
    with running_app(env=env) as running:
        yield running


# The Host check, on a real server ---------------------------------------------------------


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_loopback_host_headers_with_the_port_are_answered(app, name):
    response = _get(app.port, "/", f"{name}:{app.port}")
    assert response.status == 200
    assert b"<html" in response.body.lower()
    assert response.getheader("Content-Security-Policy") == "frame-ancestors 'self'"
    assert response.getheader("X-Frame-Options") == "SAMEORIGIN"


@pytest.mark.parametrize("forged", [
    "evil.example",                 # DNS rebinding: the attacker's name, pointed at 127.0.0.1
    "evil.example:{port}",
    "127.0.0.1.evil.example:{port}",
    "localhost.:{port}",
    "127.0.0.1:{other}",            # the right name on another port
    "0.0.0.0:{port}",
    "127.0.0.1@evil.example:{port}",
    "",
    None,                           # no Host header at all
])
@pytest.mark.parametrize("path", ["/", "/_stcore/health", "/_stcore/host-config"])
def test_a_forged_host_header_is_refused_everywhere(app, forged, path):
    host = None if forged is None else forged.format(port=app.port, other=app.port + 1)
    response = _get(app.port, path, host)
    assert response.status in (400, 403), (host, response.status)
    assert b"<html" not in response.body.lower() and response.body.strip() != b"ok"


def test_two_host_headers_are_refused(app):
    conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
    conn.putrequest("GET", "/", skip_host=True)
    conn.putheader("Host", f"127.0.0.1:{app.port}")
    conn.putheader("Host", "evil.example")
    conn.endheaders()
    assert conn.getresponse().status in (400, 403)
    conn.close()


def test_the_websocket_is_refused_to_a_forged_host_and_opened_to_a_local_one(app):
    assert _websocket_status(app.port, "evil.example") == 403
    assert _websocket_status(app.port, f"127.0.0.1:{app.port}") == 101


# The rules, without a server ----------------------------------------------------------------


def test_named_hosts_are_answered_only_when_named():
    plain = allowed_hosts(8501)
    hosted = allowed_hosts(8501, ["ONA.example.nhs.uk", "vpn-host:8443"])
    assert not host_allowed("ona.example.nhs.uk", plain)
    assert host_allowed("ona.example.nhs.uk", hosted) and host_allowed("Ona.Example.NHS.uk:443", hosted)
    assert host_allowed("vpn-host:8443", hosted) and not host_allowed("vpn-host:8501", hosted)
    assert host_allowed("localhost:8501", hosted) and not host_allowed("localhost:8502", hosted)


def test_the_ui_command_names_who_may_be_answered():
    local = ui_command(ROOT / "app.py", port=8765, secrets={})
    assert local[1:3] == ["-m", "onatool.app.server"] and "--allowed-host" not in local
    one_address = ui_command(ROOT / "app.py", port=8765, host="10.1.2.3", allow_remote=True, secrets={})
    assert parse_arguments(one_address[3:])[1] == ["10.1.2.3"]
    named = ui_command(ROOT / "app.py", port=8765, host="0.0.0.0", allow_remote=True, secrets={},
                       allowed_hosts=["ona.example.nhs.uk"])
    app_file, names, options = parse_arguments(named[3:])
    assert names == ["ona.example.nhs.uk"] and options["server.address"] == "0.0.0.0"
    assert options["server.port"] == 8765 and options["server.enableXsrfProtection"] is True
    signed_in = {"auth": {"redirect_uri": "https://ona.example.nhs.uk:8443/oauth2callback"},
                 "onatool": {"users": {"a@nhs.net": {"role": "admin"}}}}
    hosted = ui_command(ROOT / "app.py", port=8765, host="0.0.0.0", secrets=signed_in)
    assert parse_arguments(hosted[3:])[1] == ["ona.example.nhs.uk:8443"]
    with pytest.raises(InputFormatError, match="--allowed-host") as caught:
        ui_command(ROOT / "app.py", port=8765, host="0.0.0.0", allow_remote=True, secrets={})
    assert "\n" not in str(caught.value)


# Stopping onatool ui stops its server ---------------------------------------------------------


def _family(pid: int) -> set[int]:
    """``pid`` and every process descended from it, now."""
    table = processes()
    family, grew = {pid}, True
    while grew:
        grew = False
        for proc in table.values():
            if proc.ppid in family and proc.pid not in family:
                family.add(proc.pid)
                grew = True
    return family


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_onatool_ui_stops_its_server(tmp_path, sig):
    env = {**os.environ, "ONATOOL_WORKSPACE": str(tmp_path / "workspace.sqlite")}
    with running_app(env=env) as running:
        # A browser-like session: an open websocket, so there is a live connection to close.
        session = socket.create_connection(("127.0.0.1", running.port), timeout=10)
        session.sendall((
            "GET /_stcore/stream HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{running.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Protocol: streamlit\r\n\r\n").encode())
        assert b" 101 " in session.recv(4096)
        family = _family(running.process.pid)
        started = time.monotonic()
        running.process.send_signal(sig)
        code = running.process.wait(timeout=30)
        stopped_in = time.monotonic() - started
        session.close()
        alive = {pid for pid in family if pid in processes() and processes()[pid].state != "Z"}
        assert alive == set(), [str(processes()[pid]) for pid in alive if pid in processes()]
        assert not any("streamlit" in proc.command and str(running.port) in proc.command
                       for proc in processes().values())
        assert not _listening(running.port)
        assert code in (0, -sig), code
        assert stopped_in < 30
        # stop() in running_app's exit has nothing left to do
    assert stop(running.process) == code


def test_the_leftover_check_finds_a_process_left_behind(tmp_path):
    import subprocess
    import sys

    before = {proc.pid for proc in leftover_processes()}
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], cwd=tmp_path,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while sleeper.pid not in {p.pid for p in leftover_processes()} and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sleeper.pid in {p.pid for p in leftover_processes()} - before
    finally:
        sleeper.kill()
        sleeper.wait()
    assert sleeper.pid not in {p.pid for p in leftover_processes()}


def test_the_leftover_check_finds_an_orphan(tmp_path):
    """What a stopped ``onatool ui`` used to leave: its server, re-parented, still running."""
    import subprocess

    shell = subprocess.run(["sh", "-c", "sleep 60 >/dev/null 2>&1 & echo $!"], cwd=tmp_path,
                           capture_output=True, text=True, check=True)
    orphan = int(shell.stdout.strip())
    try:
        assert orphan in {p.pid for p in leftover_processes()}
        assert processes()[orphan].ppid != os.getpid()  # not a child of this run any more
    finally:
        os.kill(orphan, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while orphan in {p.pid for p in leftover_processes()} and time.monotonic() < deadline:
        time.sleep(0.1)
    assert orphan not in {p.pid for p in leftover_processes()}
