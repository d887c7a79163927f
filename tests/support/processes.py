"""Processes tests start: the app server, run as users run it, and the check that none is left.

:func:`running_app` starts ``onatool ui`` on a free loopback port and stops it however the
test ends (SIGTERM, then its whole process group killed if anything is still there).
:func:`leftover_processes` lists the processes a test session started and did not stop;
the root ``conftest.py`` fails the run when there are any.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from tests.support.browser import free_port, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
PROC = Path("/proc")
_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class App:
    """A running ``onatool ui``: its process, port and address."""

    process: subprocess.Popen
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def running_app(
    args: Sequence[str] = (), env: Mapping[str, str] | None = None, *, timeout: float = 60
) -> Iterator[App]:
    """``onatool ui --port <free port> *args`` until the ``with`` block ends.

    The server gets a process group of its own, so whatever it may start is stopped with it.

    Parameters
    ----------
    args
        More ``onatool ui`` options (``--max-upload-mb 1``).
    env
        The environment (default: this process's), e.g. with ``ONATOOL_WORKSPACE``.
    timeout
        Seconds to wait for the server to answer ``/_stcore/health``.
    """
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "onatool", "ui", "--port", str(port), *args],
        cwd=ROOT, env=dict(os.environ if env is None else env), stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=timeout)
        yield App(process, port)
    finally:
        stop(process)


def stop(process: subprocess.Popen, timeout: float = 20) -> int | None:
    """SIGTERM, wait, then SIGKILL the process's whole group; returns the exit code."""
    with suppress(ProcessLookupError):
        process.terminate()
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        code = None
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # anything it started in its group
    if code is None:
        code = process.wait(timeout=timeout)
    if process.stderr is not None:
        process.stderr.close()
    return code


# Leftovers -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Proc:
    """One process as /proc describes it."""

    pid: int
    ppid: int
    session: int
    start: int  # clock ticks since boot
    state: str
    cwd: str
    command: str

    def __str__(self) -> str:
        return f"pid {self.pid} (parent {self.ppid}, in {self.cwd or '?'}): {self.command[:200]}"


def _read(pid: int) -> Proc | None:
    base = PROC / str(pid)
    try:
        stat = (base / "stat").read_text()
        command = (base / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) "
    try:
        cwd = os.readlink(base / "cwd")
    except OSError:
        cwd = ""
    return Proc(pid, int(fields[1]), int(fields[3]), int(fields[19]), fields[0], cwd, command)


def processes() -> dict[int, Proc]:
    """Every process this user can see (empty where there is no /proc)."""
    if not PROC.is_dir():
        return {}
    found = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (proc := _read(int(entry.name))) is not None:
            found[proc.pid] = proc
    return found


def leftover_processes(root: Path = ROOT, me: int | None = None) -> list[Proc]:
    """Live processes started after ``me`` by it, in its session, or in the checkout.

    A process counts when it started after ``me`` (this test run) did and is a descendant
    of it, or is an orphan that shares its session (an orphan of a stopped server keeps the
    session) or runs in the ``root`` checkout (a browser started in a session of its own).
    Processes of another process tree older than ``me`` (another test run) do not count. ``me`` and the
    processes that started it (make, the shell) never count, nor do the commands the shell
    started with it (``pytest | tee log``), nor zombies.
    """
    table = processes()
    me = os.getpid() if me is None else me
    if me not in table:
        return []
    own = table[me]
    ancestors, pid = set(), own.ppid
    while pid in table and pid not in ancestors:
        ancestors.add(pid)
        pid = table[pid].ppid

    def lineage(proc: Proc) -> str:
        """"mine" (descends from me), "foreign" (from another tree older than me), or "orphan"."""
        seen = set()
        while proc.ppid in table and proc.pid not in seen:
            seen.add(proc.pid)
            if proc.ppid == me:
                return "mine"
            parent = table[proc.ppid]
            if parent.pid in ancestors or parent.pid == 1:
                return "orphan"
            if parent.start < own.start:  # another test run in this checkout, say
                return "foreign"
            proc = parent
        return "orphan"

    def sibling(proc: Proc) -> bool:  # started with me by the same shell: `pytest | tee log`
        return proc.ppid in ancestors and proc.start - own.start <= _TICKS_PER_SECOND

    inside = str(root.resolve())
    helpers = ("multiprocessing.resource_tracker", "multiprocessing.forkserver")  # exit with Python
    return [
        proc for proc in table.values()
        if proc.pid != me and proc.pid not in ancestors and proc.state not in ("Z", "X")
        and proc.start >= own.start and not sibling(proc)
        and not any(helper in proc.command for helper in helpers)
        and (kind := lineage(proc)) != "foreign"
        and (kind == "mine" or proc.session == own.session
             or proc.cwd == inside or proc.cwd.startswith(inside + os.sep))
    ]


def wait_for_no_leftovers(root: Path = ROOT, grace: float = 5.0) -> list[Proc]:
    """:func:`leftover_processes`, after giving stopping processes ``grace`` seconds."""
    deadline = time.monotonic() + grace
    while (left := leftover_processes(root)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left
