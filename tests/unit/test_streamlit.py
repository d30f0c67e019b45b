"""`esmwidget.streamlit.show()` in Streamlit's own test runner (AppTest): the page's side is
played by writing the component's state as the page module does (js/src/streamlit/link.js) and
reading the data each run gives the component. The browser end of the same is
tests/e2e/test_streamlit.py."""

from __future__ import annotations

import base64
import gc
import json
import logging
import subprocess
import sys
import textwrap
import weakref
from typing import Any

import pytest

st_testing = pytest.importorskip("streamlit.testing.v1")
AppTest = st_testing.AppTest

import streamlit as st  # noqa: E402
from streamlit.errors import StreamlitAPIException  # noqa: E402

from esmwidget._sync import registry  # noqa: E402
from esmwidget.streamlit import _show  # noqa: E402
from esmwidget.streamlit._bridge import MESSAGE_LIMIT, Page, PageComm, decode_page_message  # noqa: E402

HEADER = """
import streamlit as st, traitlets, esmwidget
from esmwidget.streamlit import show

class Counter(esmwidget.AnyWidget):
    _esm = "export default { render({ model, el }) { el.textContent = model.get('count'); } }"
    count = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)

    @traitlets.validate("count")
    def _no_negative(self, proposal):
        if proposal["value"] < 0:
            raise traitlets.TraitError("count cannot be negative")
        return proposal["value"]
"""


def app(body: str) -> Any:
    at = AppTest.from_string(HEADER + textwrap.dedent(body), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def data_of(at: Any, key: str) -> dict[str, Any]:
    """The data the last run gave the component shown with `key`."""
    for element in at.main.children.values():
        proto = getattr(element, "proto", None)
        if proto is not None and proto.id.endswith(f"-esmwidget-{key}"):
            return json.loads(proto.json)  # type: ignore[no-any-return]
    raise AssertionError(f"no esmwidget component with key {key!r}")


def write(
    at: Any, key: str, *messages: dict[str, Any], instance: str = "tab-1", seen: int = 0
) -> None:
    """What the page writes: every message Python has not confirmed, numbered."""
    outbox = {"instance": instance, "seen": seen, "messages": list(messages)}
    at.session_state[f"esmwidget-{key}"] = {"outbox": outbox}


def update(seq: int, model_id: str = "", root: bool = True, **state: Any) -> dict[str, Any]:
    return {
        "seq": seq,
        "model_id": model_id,
        "root": root,
        "method": "update",
        "state": state,
        "buffers": [],
    }


def texts(at: Any) -> list[str]:
    return [m.value for m in at.markdown]


def root_state(data: dict[str, Any]) -> dict[str, Any]:
    return data["models"][data["root"]]["state"]  # type: ignore[no-any-return]


COUNTER = """
counter = show(Counter(), key="counter")
st.markdown(f"python sees {counter.count}")
"""


def test_a_widget_made_anew_each_run_keeps_the_pages_values_by_key():
    at = app(COUNTER)
    data = data_of(at, "counter")
    assert data["protocol"] == 1
    assert root_state(data)["count"] == 0
    assert root_state(data)["_esm"].startswith("export default")
    assert texts(at) == ["python sees 0"]

    write(at, "counter", update(1, count=1), update(2, count=2), update(3, count=3))
    at.run()
    assert texts(at) == ["python sees 3"]
    assert data_of(at, "counter")["acked"] == {"instance": "tab-1", "seq": 3}
    # A run with nothing new (another widget changed): the new Counter starts from the page's 3,
    # and the messages already read are not applied again.
    at.run()
    assert texts(at) == ["python sees 3"]
    assert root_state(data_of(at, "counter"))["count"] == 3


def test_each_page_message_is_applied_once_and_in_order():
    at = app(
        COUNTER
        + """
if "seen" not in st.session_state:
    st.session_state.seen = []
counter.observe(lambda change: st.session_state.seen.append(change["new"]), "count")
"""
    )
    write(at, "counter", update(1, count=5))
    at.run()
    # The page wrote again before it heard back: 1 is still in its outbox, 2 is new.
    write(at, "counter", update(1, count=5), update(2, count=7))
    at.run()
    assert texts(at) == ["python sees 7"]
    # A new page (a reload) numbers from 1 again under another instance.
    write(at, "counter", update(1, count=9), instance="tab-2")
    at.run()
    assert texts(at) == ["python sees 9"]


def test_observers_on_a_kept_widget_fire_for_page_changes():
    at = app(
        """
if "kept" not in st.session_state:
    st.session_state.kept = Counter(count=5)
    st.session_state.changes = []
    st.session_state.kept.observe(lambda c: st.session_state.changes.append(c["new"]), "count")
kept = show(st.session_state.kept, key="kept")
st.markdown(f"changes {st.session_state.changes}")
"""
    )
    assert texts(at) == ["changes []"]
    write(at, "kept", update(1, count=6))
    at.run()
    assert texts(at) == ["changes [6]"]


def test_python_sets_before_show_reach_the_page_and_keys_stay_apart():
    at = app(
        """
if "kept" not in st.session_state:
    st.session_state.kept = Counter(count=5)
kept = st.session_state.kept
if st.button("set to 42"):
    kept.count = 42
show(kept, key="kept")
other = show(Counter(), key="other")
st.markdown(f"kept {kept.count} other {other.count}")
"""
    )
    at.button[0].click().run()
    assert root_state(data_of(at, "kept"))["count"] == 42
    assert root_state(data_of(at, "other"))["count"] == 0
    write(at, "other", update(1, count=1))
    at.run()
    assert texts(at) == ["kept 42 other 1"]


def test_page_input_obeys_the_notebook_rules():
    at = app(COUNTER)
    write(
        at,
        "counter",
        update(1, _esm="export default { render() { steal() } }"),
        update(2, count=-4),
        {"seq": 3, "model_id": "", "method": "update", "state": "not an object", "buffers": []},
        {"seq": 4, "model_id": "", "root": True, "method": "unknown"},
        update(5, count=2),
    )
    at.run()
    assert texts(at) == ["python sees 2"]
    data = data_of(at, "counter")
    assert root_state(data)["_esm"].startswith("export default { render({ model, el })")
    refused = [
        m["content"] for m in data["messages"] if m["content"].get("kind") == "esmwidget-refused"
    ]
    reasons = {item["key"]: item["why"] for message in refused for item in message["refused"]}
    assert reasons == {"_esm": "protected", "count": "invalid"}
    assert data["acked"]["seq"] == 5


def test_a_malformed_message_is_logged_once_while_the_page_keeps_it(caplog):
    at = app(COUNTER)
    bad = {"seq": 1, "model_id": "", "root": True, "method": "update", "state": [], "buffers": []}
    write(at, "counter", bad)
    with caplog.at_level(logging.WARNING, logger="esmwidget"):
        at.run()
        at.run()
        write(at, "counter", bad, update(2, count=1))
        at.run()
    assert caplog.text.count("ignored a malformed message from the page") == 1
    assert texts(at) == ["python sees 1"]


def test_custom_messages_go_both_ways_with_binary_values():
    at = app(
        """
if "w" not in st.session_state:
    st.session_state.w = Counter()
    def answer(widget, content, buffers):
        widget.send({"echo": content, "sizes": [len(b) for b in buffers]}, [b"\\x00\\x01\\x02"])
    st.session_state.w.on_msg(answer)
show(st.session_state.w, key="w")
"""
    )
    ping = {
        "seq": 1,
        "model_id": "",
        "root": True,
        "method": "custom",
        "content": {"ping": 1},
        "buffers": [base64.b64encode(b"abcd").decode()],
    }
    write(at, "w", ping)
    at.run()
    (message,) = data_of(at, "w")["messages"]
    assert message["content"] == {"echo": {"ping": 1}, "sizes": [4]}
    assert base64.b64decode(message["buffers"][0]) == b"\x00\x01\x02"
    # The page confirms it: the next run no longer carries it.
    write(at, "w", ping, seen=message["seq"])
    at.run()
    assert data_of(at, "w")["messages"] == []


def test_binary_state_reaches_the_page_as_base64():
    at = app(
        """
class Blob(esmwidget.AnyWidget):
    _esm = "export default {}"
    data = traitlets.Bytes(b"\\x01\\x02\\x03").tag(sync=True)
show(Blob(), key="blob")
"""
    )
    entry = data_of(at, "blob")["models"][data_of(at, "blob")["root"]]
    (buffer,) = entry["buffers"]
    assert buffer["path"] == ["data"]
    assert base64.b64decode(buffer["data"]) == b"\x01\x02\x03"


def test_one_widget_under_two_keys_shows_the_same_state_in_both():
    at = app(
        """
if "w" not in st.session_state:
    st.session_state.w = Counter()
show(st.session_state.w, key="first")
show(st.session_state.w, key="second")
"""
    )
    write(at, "second", update(1, count=4))
    at.run()
    assert root_state(data_of(at, "first"))["count"] == 4
    assert root_state(data_of(at, "second"))["count"] == 4


def test_a_described_object_is_shown_and_takes_the_pages_values():
    at = app(
        """
from esmwidget.experimental import dataclass

@dataclass(esm="export default {}")
class Point:
    x: int = 0

if "p" not in st.session_state:
    st.session_state.p = Point()
show(st.session_state.p, key="p")
fresh = show(Point(), key="fresh")
st.markdown(f"x is {st.session_state.p.x}, fresh x is {fresh.x}")
"""
    )
    write(at, "p", update(1, x=3))
    write(at, "fresh", update(1, x=5))
    at.run()
    assert texts(at) == ["x is 3, fresh x is 5"]
    at.run()  # a new Point again: it starts from the page's 5
    assert texts(at) == ["x is 3, fresh x is 5"]


def test_show_of_something_else_is_an_error_in_the_app_and_the_rest_renders():
    at = app(
        """
show({"count": 1})
st.markdown("still here")
"""
    )
    (error,) = at.error
    assert "takes an esmwidget or anywidget widget" in error.value
    assert "got dict" in error.value
    assert texts(at) == ["still here"]


def test_a_key_streamlit_reserves_is_refused_with_the_fix():
    at = AppTest.from_string(HEADER + 'show(Counter(), key="a__b")', default_timeout=30)
    at.run()
    (exception,) = at.exception
    assert "a key is a non-empty string without '__'" in exception.value


def test_unkeyed_shows_get_one_key_per_class_and_position():
    at = app(
        """
a = show(Counter(), key=None)
b = show(Counter())
st.markdown(f"{a.count} {b.count}")
"""
    )
    keys = sorted(proto_id.split("-esmwidget-")[1] for proto_id in _component_ids(at))
    assert keys == ["_main_.Counter-0", "_main_.Counter-1"]
    write(at, keys[1], update(1, count=4))
    at.run()
    assert texts(at) == ["0 4"]


def _component_ids(at: Any) -> list[str]:
    return [
        e.proto.id
        for e in at.main.children.values()
        if getattr(getattr(e, "proto", None), "component_name", "") == "esmwidget.widget"
    ]


def test_a_sessions_widgets_are_collected_when_it_ends():
    at = app(
        """
import weakref, sys
if "kept" not in st.session_state:
    st.session_state.kept = Counter()
show(st.session_state.kept, key="kept")
show(Counter(), key="fresh")
sys.modules["__esm_refs__"] = [weakref.ref(st.session_state.kept)]
"""
    )
    refs = sys.modules.pop("__esm_refs__")
    assert refs[0]() is not None
    del at
    gc.collect()
    assert refs[0]() is None


def test_the_loader_goes_inline_where_streamlit_finds_no_declaration(monkeypatch):
    calls: list[str] = []

    def component(name: str, *, js: str, isolate_styles: bool) -> object:
        calls.append(js)
        if js == "streamlit.js":
            raise StreamlitAPIException("must be declared in pyproject.toml")
        return lambda **kwargs: None

    monkeypatch.setattr(st.components.v2, "component", component)
    monkeypatch.setattr(_show, "_mount", None)
    assert callable(_show._component())
    assert calls[0] == "streamlit.js"
    assert calls[1].startswith("// esmwidget ")
    assert "export{" in calls[1].replace(" ", "")
    monkeypatch.setattr(_show, "_mount", None)  # the real one again for later tests


def test_widgets_made_at_every_run_are_not_kept_by_the_process():
    at = app(COUNTER + "\nimport comm\nst.markdown(f'comms {len(comm.get_comm_manager().comms)}')")
    before = texts(at)[-1]  # other tests of this process may have left comms of their own
    for _ in range(5):
        at.run()
    gc.collect()
    # Five more runs, five more widgets: comm's registry holds none of them.
    assert texts(at)[-1] == before
    alive = [w for _, w in registry.live() if type(w).__name__ == "Counter"]
    assert len(alive) <= 2, alive


# -- the bridge alone ------------------------------------------------------------------------


def test_python_messages_beyond_the_limit_drop_the_oldest_with_a_warning(caplog):
    page = Page(key="k", session_id="s")
    with caplog.at_level(logging.WARNING, logger="esmwidget"):
        for i in range(MESSAGE_LIMIT + 2):
            page.queue("m", {"i": i}, [])
    pending = page.pending()
    assert len(pending) == MESSAGE_LIMIT
    assert pending[0]["content"] == {"i": 2}
    assert "dropped message 1" in caplog.text


def test_a_page_comm_fans_custom_messages_out_and_asks_other_sessions_for_a_run():
    reruns: list[str] = []
    comm = PageComm("abc", reruns.append)
    pages = [Page(key="a", session_id="s1"), Page(key="b", session_id="s2")]
    for page in pages:
        comm.pages.add(page)
    comm.send({"method": "custom", "content": {"x": 1}}, buffers=[b"hi"])
    assert [p.pending()[0]["content"] for p in pages] == [{"x": 1}, {"x": 1}]
    assert sorted(reruns) == ["s1", "s2"]
    del pages, page
    gc.collect()
    assert len(comm.pages) == 0


@pytest.mark.parametrize(
    "message",
    [
        None,
        {"seq": "1", "model_id": "m", "method": "update", "state": {}},
        {"seq": 1, "model_id": "m", "method": "update", "state": []},
        {"seq": 1, "model_id": "m", "method": "custom", "buffers": ["%%%"]},
        {"seq": 1, "model_id": "m", "method": "close"},
    ],
)
def test_malformed_page_messages_are_refused_with_a_logged_reason(message, caplog):
    with caplog.at_level(logging.WARNING, logger="esmwidget"):
        assert decode_page_message(message) is None
    assert "ignored a malformed message from the page" in caplog.text


def test_importing_esmwidget_does_not_import_streamlit():
    out = subprocess.run(
        [sys.executable, "-c", "import esmwidget, sys; print('streamlit' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


def test_the_bridge_holds_no_strong_reference_to_pages():
    comm = PageComm("abc", lambda _s: None)
    page = Page(key="a", session_id="s1")
    comm.pages.add(page)
    ref = weakref.ref(page)
    del page
    gc.collect()
    assert ref() is None
