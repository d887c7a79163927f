"""Root pytest configuration.

- The Streamlit pages are scripts, not modules to import.
- A test run must leave no process behind: at the end, any process the run started and did
  not stop (an app server, a browser, an orphan of either) fails the run loudly, listed.
  Set ``ONATOOL_ALLOW_LEFTOVERS=1`` to turn the check off while debugging.
"""

from __future__ import annotations

import os

import pytest

collect_ignore_glob = ["onatool/app/*"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("ONATOOL_ALLOW_LEFTOVERS") == "1":
        return
    from tests.support.processes import wait_for_no_leftovers

    left = wait_for_no_leftovers()
    if not left:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"{len(left)} process(es) started by this test run are still running:"]
    lines += [f"  {proc}" for proc in left]
    lines.append("Every fixture that starts a server or a browser must stop it "
                 "(see tests/support/processes.py).")
    if reporter is not None:
        reporter.write_sep("!", "processes left behind", red=True, bold=True)
        for line in lines:
            reporter.write_line(line, red=True)
    else:
        print("\n".join(lines))
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
