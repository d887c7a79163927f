"""Files that attack: zip bombs, XML entity expansion and external entities, macro
workbooks, and uploads over the limit, refused before any parser sees them, through every
way in (a reader, detection, the whole import into a workspace), fast, leaving nothing.

The server-side upload limit is tested in a browser (``tests/browser/test_hostile_app.py``);
here, that ``onatool ui`` and ``.streamlit/config.toml`` set it, and that ``onatool ui``
listens on this computer only unless told otherwise.
"""

from __future__ import annotations

import struct
import time
import tomllib
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onatool.cli import app as cli
from onatool.cli import ui_command
from onatool.errors import InputFormatError, OnaError, UnsafeFileError
from onatool.io.graphml import read_graphml
from onatool.io.safety import Limits
from onatool.project import Project
from onatool.store import Workspace
from tests.hostile.corpus import READERS, good_roster, good_ties_rows, read_roster, write_xlsx
from tests.hostile.workspaces import PROJECT, copy_workspace, dump

ROOT = Path(__file__).resolve().parents[2]
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE {root} [<!ENTITY a "aaaaaaaaaa">'
          + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8))
          + "]>\n")
EXTERNAL = '<?xml version="1.0"?>\n<!DOCTYPE {root} [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'


def _rewrite(path: Path, part: str, change) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts[part] = change(parts[part].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def declared_bomb(folder: Path) -> Path:
    """A real workbook whose zip directory claims each part inflates to ~4 GB."""
    path = write_xlsx(folder / "declared_bomb.xlsx", {"Sheet1": good_ties_rows()})
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", data, at + 24, 0xFFFF0000)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def ratio_bomb(folder: Path) -> Path:
    """A workbook whose sheet really does compress 1000:1 (50 MB of zeros)."""
    path = write_xlsx(folder / "ratio_bomb.xlsx", {"Sheet1": good_ties_rows()})
    return _rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("</sheetData>", "</sheetData>"
                                                                              + "<!--" + "0" * 50_000_000 + "-->"))


def many_parts(folder: Path) -> Path:
    path = folder / "many_parts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(Limits().max_zip_entries + 1):
            archive.writestr(f"xl/part{n}.xml", "<a/>")
    return path


def laughs_in(part: str, root: str, template: str = LAUGHS, name: str = "laughs"):
    """A workbook one of whose XML parts starts with a DTD declaring entities."""
    def build(folder: Path) -> Path:
        path = write_xlsx(folder / f"{name}_{root}.xlsx", {"Sheet1": good_ties_rows()})
        return _rewrite(path, part, lambda xml: template.format(root=root) + xml[xml.index(f"<{root}"):])
    return build


ATTACKS = {
    "declared zip bomb": (declared_bomb, "zip bomb"),
    "real 1000:1 zip bomb": (ratio_bomb, "zip bomb"),
    "too many zip parts": (many_parts, "parts"),
    "entity expansion in a sheet": (laughs_in("xl/worksheets/sheet1.xml", "worksheet"), "entities"),
    "entity expansion in the workbook": (laughs_in("xl/workbook.xml", "workbook"), "entities"),
    "external entity in the workbook": (laughs_in("xl/workbook.xml", "workbook", EXTERNAL, "xxe"), "entities"),
}


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_attacking_workbooks_are_refused_quickly_by_every_reader(attack, reader, tmp_path, tally):
    build, words = ATTACKS[attack]
    path = build(tmp_path)
    roster = read_roster(good_roster(tmp_path), key=b"k" * 32)
    start = time.perf_counter()
    with pytest.raises(UnsafeFileError, match=words) as refused:
        READERS[reader](path, roster)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"{attack}: refused after {elapsed:.2f} s"
    assert path.name in str(refused.value)
    tally("attack files x reader")


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_attacking_workbooks_leave_the_workspace_unchanged(attack, template, tmp_path, tally):
    ws = Workspace(copy_workspace(template, tmp_path / "ws.sqlite"))
    path = ATTACKS[attack][0](tmp_path)
    before = dump(ws.path)
    for layout in ("edge list", "matrix", "survey export"):
        with pytest.raises(UnsafeFileError):
            Project(ws, PROJECT).read_wave(path, layout=layout, wave="attack")
    with pytest.raises(UnsafeFileError):  # as the roster, too
        Project(ws, PROJECT).read_wave(good_roster(tmp_path), wave="attack", roster_file=path)
    assert dump(ws.path) == before
    tally("attack files x whole import", 4)


@pytest.mark.parametrize("template_", [LAUGHS, EXTERNAL], ids=["entity expansion", "external entity"])
def test_graphml_attacks_are_refused_unparsed_through_detection_too(template_, tmp_path, tally):
    path = tmp_path / "interview.graphml"
    path.write_text(template_.format(root="graphml")
                    + '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph id="g"><node id="n"/>'
                    + "</graph></graphml>")
    start = time.perf_counter()
    with pytest.raises(UnsafeFileError, match="interview.graphml.*entit"):
        read_graphml(path)
    with pytest.raises(UnsafeFileError, match="interview.graphml.*entit"):
        READERS["detect"](path, None)  # a survey export is sniffed as Network Canvas GraphML
    assert time.perf_counter() - start < 1.0
    tally("attack files x reader", 2)


@pytest.mark.parametrize("suffix", [".xlsm", ".xls", ".xlsb"])
def test_macro_and_legacy_workbooks_are_refused_with_the_fix(suffix, tmp_path, tally):
    path = tmp_path / f"answers{suffix}"
    path.write_bytes(write_xlsx(tmp_path / "w.xlsx", {"Sheet1": good_ties_rows()}).read_bytes())
    roster = read_roster(good_roster(tmp_path), key=b"k" * 32)
    for reader in READERS.values():
        with pytest.raises(UnsafeFileError, match=rf"answers\{suffix}: .*save it as \.xlsx|answers\{suffix}.*\.xlsx"):
            reader(path, roster)
        tally("attack files x reader")


def test_the_upload_limit_onatool_ui_passes_on_is_the_readers_limit_too(tmp_path):
    """``onatool ui --max-upload-mb N`` sets ONATOOL_MAX_UPLOAD_MB for the app, whose readers obey it."""
    import os
    import subprocess
    import sys

    big = tmp_path / "big.csv"
    big.write_bytes(b"source,target\n" + b"R1,R2\n" * 400_000)  # 2.4 MB
    code = "from onatool.io import read_table; read_table(__import__('sys').argv[1])"
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(big)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "ONATOOL_MAX_UPLOAD_MB": "1", "PYTHONPATH": str(ROOT)})
    assert done.returncode != 0
    assert "UnsafeFileError: big.csv: the file is 2.4 MB, over the limit of 1 MB" in done.stderr
    assert time.perf_counter() - start < 10


# The server's own limits -------------------------------------------------------------------------


def test_the_config_file_keeps_the_server_local_private_and_limited():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server, browser = config["server"], config["browser"]
    assert server["address"] == "127.0.0.1" and browser["serverAddress"] == "127.0.0.1"
    assert server["maxUploadSize"] == Limits().max_bytes // (1024 * 1024) == 50
    assert server["enableXsrfProtection"] is True
    assert browser["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "type"


def _option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_onatool_ui_sets_the_upload_limit_and_listens_locally():
    command = ui_command(ROOT / "app.py", port=8765, max_upload_mb=7, secrets={})
    assert _option(command, "--server.address") == "127.0.0.1"
    assert _option(command, "--server.maxUploadSize") == "7"
    assert _option(command, "--browser.gatherUsageStats") == "false"
    assert _option(command, "--server.enableXsrfProtection") == "true"
    assert _option(command, "--client.disableDataExport") == "true"  # no unaudited table download
    with pytest.raises(InputFormatError, match="upload"):
        ui_command(ROOT / "app.py", port=8765, max_upload_mb=0, secrets={})


SIGN_IN = {"auth": {"redirect_uri": "https://ona.example.nhs.uk/oauth2callback", "cookie_secret": "x"},
           "onatool": {"users": {"a@nhs.net": {"role": "admin"}}}}


@pytest.mark.parametrize(("host", "allow_remote", "secrets", "allowed"), [
    ("127.0.0.1", False, {}, True),
    ("localhost", False, {}, True),
    ("0.0.0.0", False, {}, False),
    ("192.168.1.20", False, {}, False),
    ("0.0.0.0", False, {"auth": SIGN_IN["auth"]}, False),  # sign-in but no rules: nobody would get in
    ("0.0.0.0", False, SIGN_IN, True),
    ("0.0.0.0", True, {}, True),
    ("0.0.0.0", True, {"auth": {}}, False),  # every address, and no name to answer to
])
def test_onatool_ui_binds_beyond_this_computer_only_with_sign_in_or_when_told(host, allow_remote, secrets, allowed):
    if allowed:
        names = () if "auth" in secrets else ("ona.example.nhs.uk",)  # sign-in names the public host
        command = ui_command(ROOT / "app.py", port=8765, host=host, allow_remote=allow_remote, secrets=secrets,
                             allowed_hosts=names)
        assert _option(command, "--server.address") == host
        if host != "127.0.0.1" and host != "localhost":
            assert _option(command, "--allowed-host") in ("ona.example.nhs.uk", host)
    else:
        message = "--allowed-host" if allow_remote else f"--host {host} would let other computers"
        with pytest.raises(InputFormatError, match=message):
            ui_command(ROOT / "app.py", port=8765, host=host, allow_remote=allow_remote, secrets=secrets)


def test_the_ui_command_refuses_a_remote_host_before_starting_anything(monkeypatch, tmp_path):
    from onatool.app import server

    started = []
    monkeypatch.setattr(server, "main", lambda argv: started.append(list(argv)) or 0)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.streamlit/secrets.toml
    with pytest.raises(OnaError, match="--host 0.0.0.0 would let other computers open the app"):
        CliRunner().invoke(cli, ["ui", "--host", "0.0.0.0"], catch_exceptions=False)
    assert started == []
    result = CliRunner().invoke(cli, ["ui", "--host", "0.0.0.0", "--allow-remote", "--max-upload-mb", "3",
                                      "--allowed-host", "ona.example.nhs.uk"], catch_exceptions=False)
    assert result.exit_code == 0 and "--allow-remote" in result.output
    (command,) = started
    assert _option(command, "--server.address") == "0.0.0.0" and _option(command, "--server.maxUploadSize") == "3"
    assert _option(command, "--allowed-host") == "ona.example.nhs.uk"
