"""Every file is checked before a parser sees it: size, magic bytes, zip bombs, XML entities."""

from __future__ import annotations

import struct
import time
import zipfile

import pandas as pd
import pytest

from onatool.errors import InputFormatError, UnsafeFileError
from onatool.io import read_table
from onatool.io.graphml import read_graphml
from onatool.io.safety import Limits, check_file, require_defused_xml

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
)


def small_workbook(path):
    pd.DataFrame({"id": ["A1"], "name": ["Ann Lee"]}).to_excel(path, index=False, engine="xlsxwriter")
    return path


def declare_sizes(path, declared: int) -> None:
    """Rewrite the central directory so every entry claims ``declared`` bytes uncompressed.

    Nothing is inflated: the check must refuse on what the directory says.
    """
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", data, at + 24, declared)  # uncompressed size field
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_a_declared_zip_bomb_is_refused_in_milliseconds(tmp_path):
    path = small_workbook(tmp_path / "bomb.xlsx")
    declare_sizes(path, 0xFFFF0000)  # ~4 GB per entry, declared
    start = time.perf_counter()
    with pytest.raises(UnsafeFileError, match="bomb.xlsx.*possible zip bomb"):
        check_file(path)
    assert time.perf_counter() - start < 0.05
    with pytest.raises(UnsafeFileError, match="zip bomb"):
        read_table(path)


def test_a_high_compression_ratio_is_refused(tmp_path):
    path = tmp_path / "ratio.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + "0" * 5_000_000 + "</a>")
    with pytest.raises(UnsafeFileError, match="times its size"):
        check_file(path)


def test_too_many_zip_entries_are_refused(tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(30):
            archive.writestr(f"part{n}.xml", "<a/>")
    with pytest.raises(UnsafeFileError, match="30 parts"):
        check_file(path, Limits(max_zip_entries=20))


def test_size_limit(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("a,b\n" + "1,2\n" * 1000)
    with pytest.raises(UnsafeFileError, match=r"big\.csv.*over the limit.*ONATOOL_MAX_UPLOAD_MB"):
        check_file(path, Limits(max_bytes=1000))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("r.xlsx", b"id,name\nA1,Ann\n", "not an Excel workbook"),  # a CSV renamed .xlsx
    ("r.xlsx", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "password-protected"),
    ("r.csv", b"PK\x03\x04\x00\x00binary", "binary"),
    ("r.xlsm", b"PK\x03\x04", "save it as .xlsx"),
    ("r.xls", b"\xd0\xcf\x11\xe0", "save as .xlsx"),
])
def test_type_by_magic_bytes_and_refused_formats_say_what_to_do(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnsafeFileError, match=message):
        read_table(path)


def test_csv_encodings_are_tried_in_order(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("\ufeffid,name\nA1,Zoë O’Neill\n".encode())
    assert read_table(path).data["name"].tolist() == ["Zoë O’Neill"]
    path.write_bytes("id,name\nA1,Zoë\n".encode("cp1252"))
    assert read_table(path).data["name"].tolist() == ["Zoë"]
    path.write_bytes(b"id,name\nA1,\x81\x8d\x8f\x90\n")  # undefined in both
    with pytest.raises(InputFormatError, match=r"r\.csv.*encoding.*UTF-8"):
        read_table(path)


def test_openpyxl_parses_through_defusedxml(monkeypatch):
    import openpyxl

    require_defused_xml()  # the installed openpyxl is using it
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(UnsafeFileError, match="defusedxml"):
        require_defused_xml()


def test_an_entity_expansion_inside_a_workbook_is_refused(tmp_path):
    path = small_workbook(tmp_path / "laughs.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    body = sheet[sheet.index("<worksheet"):]
    parts["xl/worksheets/sheet1.xml"] = (BILLION_LAUGHS.replace("lolz", "worksheet") + body).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(UnsafeFileError, match=r"laughs\.xlsx.*entities.*EntitiesForbidden"):
        read_table(path)


def test_graphml_entity_expansion_is_refused_unparsed(tmp_path):
    path = tmp_path / "laughs.graphml"
    path.write_text(BILLION_LAUGHS.replace("lolz", "graphml")
                    + '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph id="g">'
                    + '<node id="&lol3;"/></graph></graphml>')
    with pytest.raises(UnsafeFileError, match=r"laughs\.graphml.*entities"):
        read_graphml(path)


def test_graphml_external_entity_is_refused(tmp_path):
    path = tmp_path / "xxe.graphml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph id="g">'
                    '<node id="&x;"/></graph></graphml>')
    with pytest.raises(UnsafeFileError, match="xxe.graphml"):
        read_graphml(path)


@pytest.mark.parametrize(("text", "message"), [
    ("<graphml><graph id='g'><node id='a'>", "not well-formed"),
    ("<gexf/>", "not <graphml>"),
    ("<graphml xmlns='http://graphml.graphdrawing.org/xmlns'/>", "no <graph>"),
])
def test_bad_graphml_names_the_file(tmp_path, text, message):
    path = tmp_path / "bad.graphml"
    path.write_text(text)
    with pytest.raises(InputFormatError, match=rf"bad\.graphml.*{message}"):
        read_graphml(path)
