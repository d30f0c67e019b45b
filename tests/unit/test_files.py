"""A widget's own files: the path rules, the media types, and the page's requests answered."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
import traitlets

import esmwidget
from esmwidget._assets.files import FileError, files_for, media_type
from esmwidget.testing import FrontEnd

ESM = "export default { render({ el }) { el.textContent = 'files'; } };\n"
WASM_ADD = bytes.fromhex(
    "0061736d0100000001070160027f7f017f030201000707010361646400000a09010700200020016a0b"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A widget folder beside a secret the page must never see."""
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    widget = tmp_path / "widget"
    (widget / "data").mkdir(parents=True)
    (widget / "widget.js").write_text(ESM)
    (widget / "data" / "table.json").write_text('{"rows": 3}')
    (widget / "engine.wasm").write_bytes(WASM_ADD)
    (widget / ".env").write_text("TOKEN=1")
    (widget / "escape.txt").symlink_to(tmp_path / "secret.txt")
    return widget


def request(page: FrontEnd, path: str, request_id: str = "r1") -> tuple[dict, list[bytes]]:
    before = len(page.custom)
    page.send({"kind": "esmwidget-file", "id": request_id, "path": path})
    [(content, buffers)] = page.custom[before:]
    return content, buffers


def test_a_file_backed_module_offers_its_folder_and_below(comms, folder):
    class W(esmwidget.AnyWidget):
        _esm = folder / "widget.js"

    w = W()
    page = FrontEnd(w)
    answer, [data] = request(page, "data/table.json")
    assert answer == {
        "kind": "esmwidget-file-response",
        "id": "r1",
        "path": "data/table.json",
        "type": "application/json",
    }
    assert data == b'{"rows": 3}'
    answer, [data] = request(page, "./engine.wasm", "r2")
    assert (answer["type"], data) == ("application/wasm", WASM_ADD)
    assert w._esmwidget_link.files_sent == 2


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("../secret.txt", 403),
        ("data/../../secret.txt", 403),
        ("..%2Fsecret.txt", 403),
        ("%2e%2e/secret.txt", 403),
        ("/etc/passwd", 403),
        ("escape.txt", 403),  # a link that leads out of the folder
        (".env", 403),  # hidden files are never offered
        ("data\\..\\..\\secret.txt", 403),
        ("missing.bin", 404),
        ("data", 404),  # a folder is not a file
    ],
)
def test_nothing_outside_the_folder_reaches_the_page(comms, folder, caplog, path, status):
    class W(esmwidget.AnyWidget):
        _esm = folder / "widget.js"

    page = FrontEnd(W())
    with caplog.at_level(logging.WARNING, "esmwidget"):
        answer, buffers = request(page, path)
    assert buffers == []
    assert answer["error"]["status"] == status
    assert "TOP SECRET" not in repr(comms[0].sent)
    assert "TOKEN" not in repr(comms[0].sent)
    assert str(folder) in answer["error"]["message"] or status == 403
    assert caplog.records, "a refused or missing file is logged once"


def test_an_inline_module_offers_only_the_files_it_names(comms, folder):
    class W(esmwidget.AnyWidget):
        _esm = ESM
        _files = {"engine.wasm": folder / "engine.wasm", "data/blob.bin": b"\x00\x01"}  # noqa: RUF012

    page = FrontEnd(W())
    assert request(page, "engine.wasm")[1] == [WASM_ADD]
    assert request(page, "data/blob.bin")[1] == [b"\x00\x01"]
    answer, _ = request(page, "widget.js")
    assert answer["error"]["status"] == 404
    assert "W._files (data/blob.bin, engine.wasm)" in answer["error"]["message"]


def test_a_widget_without_files_says_how_to_offer_them(comms):
    class W(esmwidget.AnyWidget):
        _esm = ESM
        count = traitlets.Int(0).tag(sync=True)

    answer, _ = request(FrontEnd(W()), "engine.wasm")
    assert answer["error"]["status"] == 404
    assert "offers no files" in answer["error"]["message"]
    assert "_files" in answer["error"]["message"]


def test_a_wrong_files_declaration_fails_when_the_class_is_defined(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"W\._files: .*is not a folder"):

        class W(esmwidget.AnyWidget):
            _esm = ESM
            _files = tmp_path / "nope"

    with pytest.raises(TypeError, match=r"_files\['a.wasm'\] is int; expected a pathlib.Path"):

        class V(esmwidget.AnyWidget):
            _esm = ESM
            _files = {"a.wasm": 5}  # noqa: RUF012 - a class attribute read once


def test_media_types_are_what_the_browser_checks():
    assert media_type("a.wasm") == "application/wasm"
    assert media_type("w.js") == media_type("w.mjs") == "text/javascript"
    assert media_type("f.woff2") == "font/woff2"
    assert media_type("d.png") == "image/png"
    assert media_type("x.unknownext") == "application/octet-stream"


def test_rules_hold_for_the_files_object_itself(folder):
    files = files_for("W", folder / "widget.js", None)
    assert files is not None
    assert files.read("data/table.json")[0] == b'{"rows": 3}'
    for bad in ("../secret.txt", os.fspath(folder / "engine.wasm"), "escape.txt"):
        with pytest.raises(FileError) as raised:
            files.read(bad)
        assert raised.value.status == 403


def test_files_follow_the_class_hierarchy(comms, folder):
    class Base(esmwidget.AnyWidget):
        _esm = ESM
        _files = {"data/blob.bin": b"\x07"}  # noqa: RUF012 - a class attribute read once

    class Child(Base):  # a new inline module, the inherited files
        _esm = "export default { render({ el }) { el.textContent = 'child'; } };\n"

    class FromFolder(Base):  # a file-backed module: its own folder wins over inherited _files
        _esm = folder / "widget.js"
        _files = None

    assert request(FrontEnd(Child()), "data/blob.bin")[1] == [b"\x07"]
    assert request(FrontEnd(FromFolder()), "data/table.json")[1] == [b'{"rows": 3}']


def test_the_testing_front_end_asks_for_a_file_as_the_page_does(comms, folder):
    class W(esmwidget.AnyWidget):
        _esm = folder / "widget.js"

    page = FrontEnd(W())
    assert page.file("engine.wasm") == (WASM_ADD, "application/wasm")
    assert page.file("./data/table.json") == (b'{"rows": 3}', "application/json")
    with pytest.raises(FileNotFoundError, match="leads outside"):
        page.file("../secret.txt")
    with pytest.raises(FileNotFoundError, match=r"no file 'missing\.bin'"):
        page.file("missing.bin")
