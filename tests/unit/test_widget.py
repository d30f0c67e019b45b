import enum
import gc
import logging
import sys
import weakref
from pathlib import Path

import pytest
import traitlets

import esmwidget
from esmwidget.testing import FrontEnd

ESM = "export default { render({ model, el }) { el.textContent = model.get('count') } }"


class Counter(esmwidget.AnyWidget):
    _esm = ESM
    _css = ".counter { color: teal }"
    count = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("hi").tag(sync=True)
    secret = traitlets.Int(7)  # not synced


IDENTITY = {
    "_model_name": "AnyModel",
    "_model_module": "esmwidget",
    "_model_module_version": "~0.1.*",
    "_view_name": "AnyView",
    "_view_module": "esmwidget",
    "_view_module_version": "~0.1.*",
    "_view_count": None,
}


def test_construction_opens_exactly_one_comm_with_the_full_state(comms):
    w = Counter(count=2)
    assert len(comms) == 1
    opening = comms[0].sent[0]
    assert opening.msg_type == "comm_open"
    assert opening.metadata == {"version": "2.1.0"}
    assert opening.extra == {"target_name": "jupyter.widget", "target_module": None}
    assert opening.data == {
        "state": {
            **IDENTITY,
            "_esm": ESM,
            "_css": ".counter { color: teal }",
            "_anywidget_id": "tests.unit.test_widget.Counter",
            "count": 2,
            "label": "hi",
        },
        "buffer_paths": [],
    }
    assert [c.comm_id for c in comms] == [w.model_id]  # one comm per widget, and it is this
    assert type(w) is Counter  # no per-instance subclass (as add_traits would make)


def test_repr_mimebundle_points_at_the_model(comms):
    w = Counter(count=3)
    assert w._repr_mimebundle_() == {
        "text/plain": "Counter(count=3, label='hi')",
        "application/vnd.jupyter.widget-view+json": {
            "version_major": 2,
            "version_minor": 1,
            "model_id": w.model_id,
        },
    }


def test_domless_widget_has_only_text(comms):
    class Headless(esmwidget.AnyWidget):
        _view_name = traitlets.Unicode(None, allow_none=True).tag(sync=True)

    assert Headless()._repr_mimebundle_() == {"text/plain": "Headless()"}


def test_python_change_sends_only_the_changed_key(comms):
    w = Counter()
    w.count = 5
    assert comms[0].sent[-1].data == {"method": "update", "state": {"count": 5}, "buffer_paths": []}
    w.secret = 9  # not synced: nothing sent
    assert len(comms[0].sent) == 2


def test_hold_sync_batches_into_one_update(comms):
    w = Counter()
    with w.hold_sync():
        w.count = 1
        with w.hold_sync():
            w.label = "x"
        w.count = 2
    assert comms[0].messages() == [
        {"method": "update", "state": {"count": 2, "label": "x"}, "buffer_paths": []}
    ]


def test_front_end_update_is_applied_and_echoed_first(comms):
    w = Counter()
    seen = []
    w.observe(lambda change: seen.append((change["new"], len(comms[0].sent))), "count")
    FrontEnd(w).set(count=4)
    assert w.count == 4
    # the echo went out before observers ran, and nothing else was sent back
    assert comms[0].messages() == [
        {"method": "echo_update", "state": {"count": 4}, "buffer_paths": []}
    ]
    assert seen == [(4, 2)]


def test_echo_can_be_turned_off_per_trait_and_globally(comms, monkeypatch):
    class Quiet(esmwidget.AnyWidget):
        loud = traitlets.Int(0).tag(sync=True)
        quiet = traitlets.Int(0).tag(sync=True, echo_update=False)

    w = Quiet()
    FrontEnd(w).set(loud=1, quiet=1)
    assert comms[0].messages() == [
        {"method": "echo_update", "state": {"loud": 1}, "buffer_paths": []}
    ]
    monkeypatch.setenv("JUPYTER_WIDGETS_ECHO", "0")
    FrontEnd(w).set(loud=2)
    assert comms[0].messages("echo_update") == [
        {"method": "echo_update", "state": {"loud": 1}, "buffer_paths": []}
    ]
    assert w.loud == 2


def test_coerced_value_is_echoed_then_corrected(comms):
    class Clamped(esmwidget.AnyWidget):
        value = traitlets.Int(0).tag(sync=True)

        @traitlets.validate("value")
        def _clamp(self, proposal):
            return min(proposal["value"], 10)

    w = Clamped()
    page = FrontEnd(w)
    page.set(value=50)
    assert w.value == 10
    assert comms[0].messages() == [
        {"method": "echo_update", "state": {"value": 50}, "buffer_paths": []},
        {"method": "update", "state": {"value": 10}, "buffer_paths": []},
    ]
    assert page.state["value"] == 10


def test_invalid_value_keeps_the_trait_resends_and_logs(comms, caplog):
    w = Counter(count=3)
    page = FrontEnd(w)
    with caplog.at_level(logging.WARNING, "esmwidget"):
        page.set(count="three", label="ok")
    assert (w.count, w.label) == (3, "ok")
    reason = "The 'count' trait of a Counter instance expected an int, not the str 'three'."
    assert comms[0].messages() == [
        {"method": "echo_update", "state": {"label": "ok"}, "buffer_paths": []},
        {"method": "update", "state": {"count": 3}, "buffer_paths": []},
        # After the correction, so the module's change handlers have run when the page says why.
        {
            "method": "custom",
            "content": {
                "kind": "esmwidget-refused",
                "refused": [
                    {"key": "count", "why": "invalid", "reason": reason, "value": "'three'"}
                ],
            },
        },
    ]
    assert page.state["count"] == 3
    assert f"rejected front-end value 'three' for 'count': {reason}" in caplog.text


def test_every_rejected_value_is_reported_to_the_page(comms):
    page = FrontEnd(Counter())
    page.set(count="three")
    page.set(count="four")
    told = [m["content"]["refused"][0]["reason"] for m in comms[0].messages("custom")]
    assert len(told) == 2
    assert "'three'" in told[0]
    assert "'four'" in told[1]


@pytest.mark.parametrize(
    "key",
    [
        "_esm",
        "_css",
        "_anywidget_id",
        "_model_name",
        "_model_module_version",
        "_view_name",
    ],
)
def test_front_end_cannot_write_code_style_or_identity(comms, caplog, key):
    w = Counter()
    before = w.get_state()
    with caplog.at_level(logging.WARNING, "esmwidget"):
        FrontEnd(w).set(**{key: "alert(1)", "count": 1})
    assert w.get_state() == {**before, "count": 1}
    held = {key: before[key]} if key in before else {}
    assert comms[0].messages() == [
        {"method": "echo_update", "state": {"count": 1}, "buffer_paths": []},
        # The page that tried is put back (its model kept what it set), then told why.
        *([{"method": "update", "state": held, "buffer_paths": []}] if held else []),
        {
            "method": "custom",
            "content": {
                "kind": "esmwidget-refused",
                "refused": [
                    {
                        "key": key,
                        "why": "protected",
                        "reason": "code, style and identity keys are set from Python only.",
                    }
                ],
            },
        },
    ]
    assert f"refused a front-end write to {key!r}" in caplog.text


def test_the_page_counts_views_in_view_count_when_python_set_a_number(comms, caplog):
    # ipywidgets' views add one to `_view_count` when displayed and take one off when removed,
    # if Python set it to a number (plotly's FigureWidget does): taken, never reported.
    w = Counter()
    w._view_count = 0
    page = FrontEnd(w)
    comms[0].sent.clear()
    with caplog.at_level(logging.INFO, "esmwidget"):
        page.set(_view_count=1)
        page.set(_view_count=2)
        page.set(_view_count=1)
    assert w._view_count == 1
    assert page.refused == []
    assert [m["method"] for m in comms[0].messages()] == ["echo_update"] * 3
    assert "_view_count" not in caplog.text


def test_a_trait_set_before_super_init_goes_out_with_the_first_state(comms):
    class Early(Counter):
        def __init__(self, **kwargs):
            self._css = ".early { color: red }"
            self.count = 5
            self.on_msg(lambda widget, content, buffers: seen.append(content))
            super().__init__(**kwargs)

    seen: list[object] = []
    w = Early(label="x")
    [opening] = comms[0].sent
    state = opening.data["state"]
    assert (state["_css"], state["count"], state["label"]) == (".early { color: red }", 5, "x")
    FrontEnd(w).send({"hello": 1})
    assert seen == [{"hello": 1}]
    w.count = 6
    assert comms[0].messages()[-1]["state"] == {"count": 6}


def test_unknown_and_unsynced_keys_are_ignored(comms, caplog):
    w = Counter()
    with caplog.at_level(logging.WARNING, "esmwidget"):
        FrontEnd(w).set(nope=1, secret=1)
    assert w.secret == 7
    assert not hasattr(w, "nope")
    # The trait without sync=True is a mistake the page hears of; a key the widget does not
    # have at all stays in the kernel log (modules keep such keys on purpose).
    [told] = comms[0].messages()
    assert told["content"] == {
        "kind": "esmwidget-refused",
        "refused": [
            {
                "key": "secret",
                "why": "unsynced",
                "reason": "Counter.secret is a trait without .tag(sync=True), so the page "
                "cannot set it. Declare it as `secret = traitlets.Int(...).tag(sync=True)`.",
            }
        ],
    }
    assert (
        "ignored front-end key 'nope': Counter has no synced state 'nope' (it syncs 'count', "
        "'label')." in caplog.text
    )
    assert "ignored front-end key 'secret'" in caplog.text


def test_the_page_hears_of_a_key_once_and_the_log_names_a_close_match(comms, caplog):
    page = FrontEnd(Counter())
    with caplog.at_level(logging.WARNING, "esmwidget"):
        for _ in range(3):
            page.set(secret=1, cuont=1)  # a drag handler writes on every move
    assert [(r["key"], r["why"]) for r in page.refused] == [("secret", "unsynced")]
    assert caplog.text.count("ignored front-end key 'cuont'") == 3  # the kernel log keeps each
    assert "Did you mean 'count'?" in caplog.text


@pytest.mark.parametrize(
    ("data", "log"),
    [
        ({"method": "explode"}, "ignored unknown comm method 'explode'"),
        ({"no_method": 1}, "malformed comm message"),
        ({"method": "update", "state": "x"}, "ignored an update whose state is 'x'"),
        ({"method": "update", "state": {}, "buffer_paths": [["a"]]}, "1 entries but the message"),
    ],
)
def test_malformed_messages_are_logged_and_ignored(comms, caplog, data, log):
    w = Counter()
    with caplog.at_level(logging.WARNING, "esmwidget"):
        comms[0].receive(data)
    assert log in caplog.text
    assert comms[0].messages() == []
    assert w.count == 0


def test_request_state_answers_with_the_full_state(comms):
    w = Counter(count=9)
    comms[0].receive({"method": "request_state"})
    reply = comms[0].messages()[-1]
    assert reply["method"] == "update"
    assert reply["state"] == comms[0].sent[0].data["state"]
    assert reply["state"]["count"] == 9
    assert w.count == 9


def test_binary_travels_both_ways(comms):
    class Blob(esmwidget.AnyWidget):
        data = traitlets.Bytes(b"").tag(sync=True)
        nested = traitlets.Dict().tag(sync=True)

    w = Blob(data=b"\x00\x01", nested={"a": [b"x", 1], "b": {"c": memoryview(b"yz")}})
    opening = comms[0].sent[0]
    assert opening.data["buffer_paths"] == [["data"], ["nested", "a", 0], ["nested", "b", "c"]]
    assert opening.buffers == [b"\x00\x01", b"x", b"yz"]
    assert opening.data["state"]["nested"] == {"a": [None, 1], "b": {}}
    page = FrontEnd(w)
    assert page.state["data"] == b"\x00\x01"
    page.set(data=b"\xff" * 10, nested={"k": [b"q"]})
    assert w.data == b"\xff" * 10
    assert w.nested == {"k": [b"q"]}
    echo = comms[0].sent[-1]
    assert echo.data == {
        "method": "echo_update",
        "state": {"nested": {"k": [None]}},
        "buffer_paths": [["nested", "k", 0], ["data"]],
    }
    assert echo.buffers == [b"q", b"\xff" * 10]


def test_to_json_and_from_json_metadata(comms):
    class Pair(esmwidget.AnyWidget):
        pair = traitlets.Tuple(traitlets.Int(), traitlets.Int(), default_value=(0, 0)).tag(
            sync=True,
            to_json=lambda v, owner: {"a": v[0], "b": v[1]},
            from_json=lambda v, owner: (v["a"], v["b"]),
        )

    w = Pair(pair=(1, 2))
    assert comms[0].sent[0].data["state"]["pair"] == {"a": 1, "b": 2}
    FrontEnd(w).set(pair={"a": 5, "b": 6})
    assert w.pair == (5, 6)
    # not sent back: its JSON equals what the front end sent
    assert comms[0].messages("update") == []


class Kinds(esmwidget.AnyWidget):
    number = traitlets.Float(0.0).tag(sync=True)
    flag = traitlets.Bool(False).tag(sync=True)
    maybe = traitlets.Unicode("", allow_none=True).tag(sync=True)
    blob = traitlets.Bytes(b"").tag(sync=True)
    items = traitlets.List().tag(sync=True)
    anything = traitlets.Any().tag(sync=True)
    pair = traitlets.Tuple(traitlets.Int(), traitlets.Int(), default_value=(0, 0)).tag(
        sync=True, to_json=lambda v, owner: {"a": v[0], "b": v[1]}
    )
    array = traitlets.List(traitlets.Int()).tag(
        sync=True, to_json=lambda v, owner: memoryview(bytes(v))
    )


class Level(enum.IntEnum):
    HIGH = 3


@pytest.mark.parametrize(
    ("name", "value", "state", "paths", "buffers"),
    [
        ("number", 1.5, {"number": 1.5}, [], []),
        ("flag", True, {"flag": True}, [], []),
        ("maybe", None, {"maybe": None}, [], []),
        ("blob", b"\x00\x01", {}, [["blob"]], [b"\x00\x01"]),
        ("items", [1, [2]], {"items": [1, [2]]}, [], []),
        (
            "items",
            [1, b"x", {"y": bytearray(b"z")}],
            {"items": [1, None, {}]},
            [["items", 1], ["items", 2, "y"]],
            [b"x", b"z"],
        ),
        ("anything", Level.HIGH, {"anything": 3}, [], []),  # an int subclass: the general path
        ("anything", memoryview(b"mv"), {}, [["anything"]], [b"mv"]),
        ("pair", (1, 2), {"pair": {"a": 1, "b": 2}}, [], []),
        ("array", [1, 2, 3], {}, [["array"]], [b"\x01\x02\x03"]),  # to_json returns binary
    ],
)
def test_a_python_set_sends_exactly_what_send_state_sends(
    comms, name, value, state, paths, buffers
):
    w = Kinds()
    setattr(w, name, value)
    sent = comms[0].sent[-1]
    assert sent.data == {"method": "update", "state": state, "buffer_paths": paths}
    assert sent.buffers == buffers
    w.send_state(name)  # the general path: get_state, then the buffer walk
    assert comms[0].sent[-1] == sent


def test_hold_sync_sends_binary_and_to_json_values_in_one_update(comms):
    w = Kinds()
    with w.hold_sync():
        w.blob = b"ab"
        w.pair = (3, 4)
        w.number = 2.0
        w.blob = b"cd"
    assert comms[0].messages() == [
        {
            "method": "update",
            "state": {"pair": {"a": 3, "b": 4}, "number": 2.0},
            "buffer_paths": [["blob"]],
        }
    ]
    assert comms[0].sent[-1].buffers == [b"cd"]


def test_to_json_tagged_after_the_class_was_used_is_applied(comms):
    class Late(esmwidget.AnyWidget):
        value = traitlets.Int(0).tag(sync=True)

    w = Late()
    w.value = 1
    Late.value.tag(to_json=lambda v, owner: v * 10)
    w.value = 2
    assert comms[0].messages() == [
        {"method": "update", "state": {"value": 1}, "buffer_paths": []},
        {"method": "update", "state": {"value": 20}, "buffer_paths": []},
    ]


def test_subclasses_and_added_traits_send_their_own_synced_traits(comms):
    w = Counter()
    w.count = 1  # Counter has now worked out which of its traits are synced

    class More(Counter):
        extra = traitlets.Int(0).tag(sync=True)

    m = More()
    m.extra = 2
    m.secret = 5  # still not synced
    w.add_traits(added=traitlets.Int(0).tag(sync=True))
    w.added = 4
    w.count = 3
    assert comms[1].messages() == [{"method": "update", "state": {"extra": 2}, "buffer_paths": []}]
    assert comms[0].messages() == [
        {"method": "update", "state": {"count": 1}, "buffer_paths": []},
        {"method": "update", "state": {"added": 4}, "buffer_paths": []},
        {"method": "update", "state": {"count": 3}, "buffer_paths": []},
    ]


def test_custom_messages_both_ways(comms, caplog):
    w = Counter()
    received = []

    def callback(widget, content, buffers):
        received.append((widget, content, buffers))

    w.on_msg(callback)
    page = FrontEnd(w)
    page.send({"hello": 1}, [b"raw"])
    assert received == [(w, {"hello": 1}, [b"raw"])]
    w.send({"to": "js"}, [b"\x01\x02"])
    assert comms[0].sent[-1].data == {"method": "custom", "content": {"to": "js"}}
    assert comms[0].sent[-1].buffers == [b"\x01\x02"]
    w.on_msg(callback, remove=True)
    page.send({"hello": 2})
    assert len(received) == 1


def test_a_raising_on_msg_callback_is_logged_not_raised(comms, caplog):
    w = Counter()
    w.on_msg(lambda *_: 1 / 0)
    with caplog.at_level(logging.ERROR, "esmwidget"):
        FrontEnd(w).send({"x": 1})
    assert "on_msg callback" in caplog.text
    assert "ZeroDivisionError" in caplog.text


def test_close_sends_comm_close_and_the_widget_is_collected(comms):
    w = Counter()
    ref = weakref.ref(w)
    w.close()
    assert comms[0].sent[-1].msg_type == "comm_close"
    w.count = 3  # nothing is sent after close
    w.send({"x": 1})
    assert [s.msg_type for s in comms[0].sent] == ["comm_open", "comm_close"]
    assert "[closed]" in w._repr_mimebundle_()["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" not in w._repr_mimebundle_()
    del w
    gc.collect()
    assert ref() is None


def test_a_live_widget_stays_reachable_until_closed(comms):
    # the comm manager holds open widgets (a displayed widget must keep answering)
    ref = weakref.ref(Counter())
    gc.collect()
    assert ref() is not None
    ref().close()
    gc.collect()
    assert ref() is None


def test_front_end_close_releases_the_widget(comms):
    w = Counter()
    comms[0].handle_close({"content": {"data": {}}})
    ref = weakref.ref(w)
    del w
    gc.collect()
    assert ref() is None


def test_placeholder_esm_tells_the_author_what_to_write(comms):
    class Empty(esmwidget.AnyWidget):
        pass

    esm = Empty()._esm
    assert "export default" in esm
    assert "has no <code>_esm</code> yet" in esm


def test_file_backed_assets(comms, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w.js").write_text("export default { render() {} }")
    (tmp_path / "w.css").write_text(".w { color: red }")

    class FromFiles(esmwidget.AnyWidget):
        _esm = Path("w.js")
        _css = "w.css"

    w = FromFiles()
    assert (w._esm, w._css) == ("export default { render() {} }", ".w { color: red }")


def test_missing_file_fails_when_the_class_is_defined(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"Broken\._esm: file 'missing\.js' does not exist"):

        class Broken(esmwidget.AnyWidget):
            _esm = "missing.js"


def test_user_declared_trait_is_kept(comms):
    class Own(esmwidget.AnyWidget):
        _esm = traitlets.Unicode("export default {}").tag(sync=True)

    w = Own(_esm="export default { render() {} }")
    assert comms[0].sent[0].data["state"]["_esm"] == "export default { render() {} }"
    assert isinstance(Own.class_traits()["_esm"], traitlets.Unicode)
    assert w._esm == "export default { render() {} }"


def test_widget_serialization_composes_children(comms):
    class Child(esmwidget.AnyWidget):
        pass

    class Parent(esmwidget.AnyWidget):
        children = traitlets.List().tag(sync=True, **esmwidget.widget_serialization)
        named = traitlets.Dict().tag(sync=True, **esmwidget.widget_serialization)
        one = traitlets.Any(None).tag(sync=True, **esmwidget.widget_serialization)

    a, b = Child(), Child()
    parent = Parent(children=[a, b], named={"x": a}, one=b)
    state = comms[2].sent[0].data["state"]
    assert state["children"] == [f"IPY_MODEL_{a.model_id}", f"IPY_MODEL_{b.model_id}"]
    assert state["named"] == {"x": f"IPY_MODEL_{a.model_id}"}
    assert state["one"] == f"IPY_MODEL_{b.model_id}"
    page = FrontEnd(parent)
    page.set(children=[f"IPY_MODEL_{b.model_id}"], one=f"anywidget:{a.model_id}")
    assert parent.children == [b]
    assert parent.one is a


def test_unknown_widget_reference_is_rejected(comms, caplog):
    class Parent(esmwidget.AnyWidget):
        one = traitlets.Any(None).tag(sync=True, **esmwidget.widget_serialization)

    w = Parent()
    with caplog.at_level(logging.WARNING, "esmwidget"):
        FrontEnd(w).set(one="IPY_MODEL_deadbeef")
    assert w.one is None
    assert "names no live widget" in caplog.text


def test_get_state_says_whether_a_trait_is_missing_or_not_synced(comms):
    class Form(esmwidget.AnyWidget):
        _esm = "export default {}"
        name = traitlets.Unicode("").tag(sync=True)
        age = traitlets.Int(0).tag(sync=True)
        secret = traitlets.Unicode("")  # not synced

    w = Form()
    with pytest.raises(
        KeyError, match=r"Form has no trait named 'nmae'\. Its synced traits are: age, name\."
    ):
        w.get_state("nmae")
    with pytest.raises(KeyError, match=r"has a trait 'secret', but it is not tagged sync=True"):
        w.get_state("secret")


def test_bundle_errors_are_public_under_esmwidget():
    assert esmwidget.BundleError.__module__ == "esmwidget"
    assert issubclass(esmwidget.BundleError, ValueError)


def test_a_front_end_update_is_validated_once(comms):
    class Counted(esmwidget.AnyWidget):
        _esm = "export default {}"
        value = traitlets.Int(0).tag(sync=True)
        calls = 0

        @traitlets.validate("value")
        def _check(self, proposal):
            type(self).calls += 1
            return proposal["value"]

    w = Counted()
    Counted.calls = 0
    FrontEnd(w).set(value=5)
    assert (w.value, Counted.calls) == (5, 1)


def test_a_file_backed_module_reaches_the_page_named_after_its_file(comms, tmp_path):
    (tmp_path / "static").mkdir()
    path = tmp_path / "static" / "widget.js"
    path.write_text("export default {}\n")

    class Named(esmwidget.AnyWidget):
        _esm = path

    w = Named()
    sent = comms[0].sent[0].data["state"]["_esm"]
    # Errors in the page then say `line 1 of static/widget.js`; the file's lines stand.
    assert sent == "export default {}\n\n//# sourceURL=esmwidget:///static/widget.js\n"
    assert w._esm == "export default {}\n"  # Python's value is the file, as before
    w._esm = "export default { render() {} }"  # an inline module set later is not named
    assert comms[0].messages("update")[-1]["state"]["_esm"] == "export default { render() {} }"


def test_an_inline_module_is_named_after_the_line_its_string_starts_on(comms, tmp_path):
    (tmp_path / "placed_widget_mod.py").write_text(
        'import esmwidget\n\n\nclass Placed(esmwidget.AnyWidget):\n    _esm = """\n'
        'export default {};\n"""\n\n\nclass Named(esmwidget.AnyWidget):\n'
        "    _esm = SOURCE = 'x'\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        import placed_widget_mod  # noqa: PLC0415

        sent = placed_widget_mod.Placed()._esmwidget_read(["_esm"])
        assert sent["_esm"].endswith(
            "//# sourceURL=esmwidget:///placed_widget_mod.py/Placed._esm#L5\n"
        )
        # Not a string literal where the assignment is: no name rather than a wrong one.
        assert "sourceURL" not in placed_widget_mod.Named()._esmwidget_read(["_esm"])["_esm"]
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("placed_widget_mod", None)
