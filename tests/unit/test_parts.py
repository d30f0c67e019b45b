"""Large binary values from the page arrive in parts (js/src/parts.js) and are put back together."""

import logging

import pytest
import traitlets

import esmwidget
from esmwidget._sync import parts as _parts

PART = "esmwidget-part"


class Store(esmwidget.AnyWidget):
    _esm = "export default { render() {} }"
    data = traitlets.Bytes(b"").tag(sync=True)
    name = traitlets.Unicode("").tag(sync=True)


def send_parts(comm, upload, payload, size):
    pieces = [payload[i : i + size] for i in range(0, len(payload), size)] or [b""]
    for index, piece in enumerate(pieces):
        content = {"kind": PART, "upload": upload, "index": index, "count": len(pieces)}
        comm.receive({"method": "custom", "content": content}, [piece])


def update(comm, state, paths, buffers, parts):
    comm.receive(
        {"method": "update", "state": state, "buffer_paths": paths, "esmwidget_parts": parts},
        buffers,
    )


def test_an_upload_in_parts_is_put_back_together(comms):
    w = Store()
    seen = []
    w.on_msg(lambda widget, content, buffers: seen.append(content))
    payload = bytes(range(256)) * 1000
    send_parts(comms[0], "u1", payload, 30_000)
    update(comms[0], {"name": "big"}, [["data"]], [b""], {"0": "u1"})
    assert w.data == payload
    assert w.name == "big"
    assert seen == []  # parts are the loader's, never the widget's messages
    assert w._esmwidget_link.uploads.pending == {}  # nothing held afterwards
    echo = comms[0].messages("echo_update")[-1]
    assert echo["state"] == {"name": "big"}
    assert bytes(comms[0].sent[-1].buffers[0]) == payload


def test_parts_and_inline_buffers_mix(comms):
    w = Store()
    send_parts(comms[0], "u2", b"x" * 100, 40)
    update(comms[0], {"nested": {}}, [["data"]], [b""], {"0": "u2"})
    # `nested` is no trait; the bytes still arrive
    assert w.data == b"x" * 100


@pytest.mark.parametrize(
    ("parts", "why", "left"),
    [
        ({"0": "nobody"}, "not a complete upload", ["u3"]),  # u3 was not named: it waits
        ({"5": "u3"}, "not a complete upload", []),  # named, so forgotten
        ("u3", "expected an object", ["u3"]),  # names nothing
    ],
)
def test_an_update_naming_a_missing_upload_is_dropped_and_corrected(
    comms, caplog, parts, why, left
):
    w = Store(data=b"kept")
    send_parts(comms[0], "u3", b"y" * 10, 4)
    with caplog.at_level(logging.WARNING, logger="esmwidget"):
        update(comms[0], {"data": None}, [["data"]], [b""], parts)
    assert w.data == b"kept"
    assert why in caplog.text
    last = comms[0].sent[-1]
    assert last.data["state"] == {}
    assert last.data["buffer_paths"] == [["data"]]
    assert bytes(last.buffers[0]) == b"kept"  # the page is sent Python's value
    # Every upload the update named is forgotten; one it did not name waits (bounded, below).
    assert list(w._esmwidget_link.uploads.pending) == left


def test_an_incomplete_upload_drops_its_update(comms, caplog):
    w = Store(data=b"kept")
    content = {"kind": PART, "upload": "u4", "index": 0, "count": 2}
    comms[0].receive({"method": "custom", "content": content}, [b"half"])
    with caplog.at_level(logging.WARNING, logger="esmwidget"):
        update(comms[0], {}, [["data"]], [b""], {"0": "u4"})
    assert w.data == b"kept"
    assert "not a complete upload" in caplog.text


@pytest.mark.parametrize(
    ("content", "buffers"),
    [
        ({"kind": PART, "upload": 7, "index": 0, "count": 1}, [b"a"]),
        ({"kind": PART, "upload": "u", "index": 1, "count": 1}, [b"a"]),
        ({"kind": PART, "upload": "u", "index": 0, "count": True}, [b"a"]),
        ({"kind": PART, "upload": "u", "index": 0, "count": 1}, []),
        ({"kind": PART, "upload": "u", "index": 0, "count": -3}, [b"a"]),
    ],
)
def test_malformed_parts_are_logged_and_hold_nothing(comms, caplog, content, buffers):
    w = Store()
    with caplog.at_level(logging.WARNING, logger="esmwidget"):
        comms[0].receive({"method": "custom", "content": content}, buffers)
    assert "ignored a part of an upload" in caplog.text
    assert w._esmwidget_link.uploads.pending == {}


def test_what_a_page_may_leave_pending_is_bounded(comms, caplog, monkeypatch):
    monkeypatch.setattr(_parts, "MAX_PENDING_BYTES", 100)
    monkeypatch.setattr(_parts, "MAX_UPLOADS", 2)
    w = Store()
    uploads = w._esmwidget_link.uploads
    with caplog.at_level(logging.WARNING, logger="esmwidget"):
        for name in ("a", "b", "c"):
            content = {"kind": PART, "upload": name, "index": 0, "count": 2}
            comms[0].receive({"method": "custom", "content": content}, [b"1234"])
        assert sorted(uploads.pending) == ["a", "b"]
        assert "more than 2 uploads" in caplog.text
        content = {"kind": PART, "upload": "a", "index": 1, "count": 2}
        comms[0].receive({"method": "custom", "content": content}, [b"z" * 200])
    assert "more than 100 bytes" in caplog.text
    assert sorted(uploads.pending) == ["b"]
    assert uploads.size == 4
    w.close()
    assert uploads.pending == {}
    assert uploads.size == 0
