import gc
import os
import re
import time
import weakref

import pytest
import traitlets

import esmwidget
from esmwidget._assets import hmr as _hmr
from esmwidget._assets.hmr import Watcher, set_watcher

V1 = "export default { render({ el }) { el.textContent = 'v1' } }"
V2 = "export default { render({ el }) { el.textContent = 'v2' } }"


def wait_until(condition, timeout=10.0):
    """Poll until `condition()` is truthy (a bound wait, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"condition not met within {timeout}s")


def esm_updates(fake_comm):
    # The module text as saved: the page also gets the file's name, in a pragma after it.
    return [
        re.sub(r"\n//# sourceURL=esmwidget:///\S+\n$", "", m["state"]["_esm"])
        for m in fake_comm.messages("update")
        if "_esm" in m["state"]
    ]


def make_class(path, name="Live"):
    return type(name, (esmwidget.AnyWidget,), {"_esm": path, "n": traitlets.Int(0).tag(sync=True)})


def test_a_save_reaches_every_live_instance_and_later_ones(comms, scripted, tmp_path):
    path = tmp_path / "w.js"
    path.write_text(V1)
    cls = make_class(path)
    a, b = cls(n=1), cls(n=2)
    path.write_text(V2)
    scripted.saved(path)
    wait_until(lambda: esm_updates(comms[0]) and esm_updates(comms[1]))
    assert esm_updates(comms[0]) == esm_updates(comms[1]) == [V2]
    assert (a._esm, b._esm, a.n, b.n) == (V2, V2, 1, 2)
    assert cls()._esm == V2
    assert comms[2].sent[0].data["state"]["_esm"].startswith(V2 + "\n//# sourceURL=")


def test_classes_sharing_a_file_all_update(comms, scripted, tmp_path):
    path = tmp_path / "shared.js"
    path.write_text(V1)
    first, second = make_class(path, "First")(), make_class(path, "Second")()
    path.write_text(V2)
    scripted.saved(path)
    wait_until(lambda: first._esm == V2 and second._esm == V2)
    assert len(scripted.calls) == 1  # one watcher for both


def test_switch_is_read_when_a_widget_is_created(comms, scripted, tmp_path, monkeypatch):
    path = tmp_path / "w.js"
    path.write_text(V1)
    monkeypatch.delenv("ANYWIDGET_HMR")
    cls = make_class(path)
    cold = cls()
    assert not _hmr.watcher().running
    monkeypatch.setenv("ESMWIDGET_HMR", "1")
    path.write_text(V2)
    warm = cls()  # created after the switch: watched, and starts from the latest save
    assert _hmr.watcher().running
    assert warm._esm == V2
    assert cold._esm == V1


def test_installed_packages_are_not_watched(comms, scripted, tmp_path):
    path = tmp_path / "site-packages" / "pkg" / "w.js"
    path.parent.mkdir(parents=True)
    path.write_text(V1)
    make_class(path)()
    assert not _hmr.watcher().running


def test_deleted_file_reports_then_recovers(comms, scripted, tmp_path):
    path = tmp_path / "w.js"
    path.write_text(V1)
    w = make_class(path)()
    path.unlink()
    scripted.saved(path)
    error = wait_until(lambda: comms[0].messages("custom"))[0]["content"]
    assert error["kind"] == "esmwidget-hmr-error"
    assert error["key"] == "_esm"
    assert "w.js was deleted" in error["message"]
    path.write_text(V1)  # the same text comes back: the views are told to render again
    scripted.saved(path)
    wait_until(lambda: len(comms[0].messages("custom")) == 2)
    assert comms[0].messages("custom")[1]["content"] == {"kind": "esmwidget-hmr-ok", "key": "_esm"}
    path.write_text(V2)
    scripted.saved(path)
    wait_until(lambda: esm_updates(comms[0]))
    assert w._esm == V2


def test_unreadable_file_reports_and_watching_goes_on(comms, scripted, tmp_path):
    path = tmp_path / "w.js"
    path.write_text(V1)
    w = make_class(path)()
    path.write_bytes(b"\xff\xfe\x00broken")
    scripted.saved(path)
    error = wait_until(lambda: comms[0].messages("custom"))[0]["content"]
    assert "is not UTF-8 text: byte 0xff at position 0" in error["message"]
    path.write_text(V2)
    scripted.saved(path)
    wait_until(lambda: w._esm == V2)


def test_watcher_errors_never_stop_watching(comms, monkeypatch, tmp_path):
    monkeypatch.setenv("ANYWIDGET_HMR", "1")
    calls = []

    def flaky(*paths, stop_event):
        calls.append(paths)
        if len(calls) == 1:
            raise OSError("inotify limit reached")
        while not stop_event.is_set():
            stop_event.wait(0.02)
        yield from ()

    watcher = Watcher(watch=flaky)
    old = set_watcher(watcher)
    try:
        path = tmp_path / "w.js"
        path.write_text(V1)
        make_class(path)()
        wait_until(lambda: len(calls) >= 2)
        assert watcher.running
    finally:
        watcher.stop()
        set_watcher(old)


def test_thread_stops_when_nothing_is_watched_and_widgets_are_collected(comms, scripted, tmp_path):
    path = tmp_path / "w.js"
    path.write_text(V1)
    cls = make_class(path)
    w = cls()
    ref = weakref.ref(w)
    assert _hmr.watcher().running
    w.close()
    del w
    gc.collect()
    assert ref() is None
    wait_until(lambda: not _hmr.watcher().running)


def test_missing_watchfiles_warns_once(comms, monkeypatch, tmp_path):
    monkeypatch.setenv("ANYWIDGET_HMR", "1")
    monkeypatch.setattr(_hmr, "_default_watch", lambda: None)
    old = set_watcher(Watcher())
    try:
        path = tmp_path / "w.js"
        path.write_text(V1)
        cls = make_class(path)
        with pytest.warns(UserWarning, match=r"pip install 'esmwidget\[dev\]'") as record:
            [cls() for _ in range(3)]
        assert len(record) == 1
        assert record[0].filename == __file__  # points at the line that made the widget
    finally:
        set_watcher(old)


class FakeIPython:
    def __init__(self):
        self.magics = {}

    def register_magic_function(self, func, magic_kind, magic_name):
        self.magics[(magic_kind, magic_name)] = func


def test_vfile_cells_update_live_widgets(comms):
    ipython = FakeIPython()
    esmwidget.load_ipython_extension(ipython)
    vfile = ipython.magics[("cell", "vfile")]
    vfile("cells.js", "!echo raw\n" + V1 + "\n")
    cls = type("Cell", (esmwidget.AnyWidget,), {"_esm": "vfile:cells.js"})
    w = cls()
    assert w._esm == "!echo raw\n" + V1  # raw text, no added trailing newline
    vfile("cells.js", V2 + "\n")
    assert w._esm == V2
    assert esm_updates(comms[0]) == [V2]
    ipython.magics[("line", "clear_vfiles")]("")


def test_undefined_vfile_says_how_to_define_it():
    with pytest.raises(FileNotFoundError, match=r"Run `%load_ext esmwidget` and a cell starting"):
        type("Nope", (esmwidget.AnyWidget,), {"_esm": "vfile:never.js"})


# -- the real watchfiles, on real files, for each editor saving style ----------------------


def _in_place(path, text):
    path.write_text(text)


def _atomic_rename(path, text):
    temp = path.with_name(f".{path.name}.swp")
    temp.write_text(text)
    os.replace(temp, path)


def _delete_then_create(path, text):
    path.unlink()
    time.sleep(0.01)
    path.write_text(text)


@pytest.mark.slow
@pytest.mark.parametrize("save", [_in_place, _atomic_rename, _delete_then_create])
def test_real_saves_arrive_repeatedly(comms, real_watch, tmp_path, save):
    path = tmp_path / "w.js"
    path.write_text(V1)
    w = make_class(path)()
    time.sleep(0.3)  # let the watcher thread subscribe before the first save
    for i in range(3):
        text = f"export default {{ render({{ el }}) {{ el.textContent = 'save {i}' }} }}"
        save(path, text)
        wait_until(lambda text=text: w._esm == text)
        time.sleep(0.15)  # separate saves beyond the debounce window
    assert esm_updates(comms[0])[-1].endswith("'save 2' } }")


def test_a_loaded_file_is_followed_saved_deleted_and_back(comms, scripted, tmp_path):
    # docs/front-end.md, "Files beside the module": files the page loaded are hot-reloaded too.
    from esmwidget.testing import FrontEnd  # noqa: PLC0415

    (tmp_path / "data").mkdir()
    path, table = tmp_path / "w.js", tmp_path / "data" / "t.json"
    path.write_text(V1)
    table.write_text("1")
    w = make_class(path)()
    page = FrontEnd(w)
    other = tmp_path / "data" / "unloaded.json"
    other.write_text("x")
    scripted.saved(other)  # a file the page never loaded: nothing is said
    page.send({"kind": "esmwidget-file", "id": "r1", "path": "data/t.json"})
    # The watcher now watches the loaded file's folder too (a new watch call).
    wait_until(lambda: any(table.parent in call for call in scripted.calls))

    def said():
        page.sync()
        return [c for c, _ in page.custom if c.get("kind") != "esmwidget-file-response"]

    table.write_text("2")
    scripted.saved(table)
    wait_until(lambda: len(said()) == 2)
    assert said() == [
        {"kind": "esmwidget-files-changed", "paths": ["data/t.json"]},
        {"kind": "esmwidget-hmr-ok", "key": "file:data/t.json"},
    ]
    table.unlink()
    scripted.saved(table)
    wait_until(lambda: len(said()) == 3)
    deleted = said()[-1]
    assert (deleted["kind"], deleted["key"]) == ("esmwidget-hmr-error", "file:data/t.json")
    assert "data/t.json was deleted" in deleted["message"]
    table.write_text("3")
    scripted.saved(table)
    wait_until(lambda: len(said()) == 5)
    assert said()[-2:] == said()[:2]  # back: loaded again, and the box goes
    assert esm_updates(comms[0]) == []  # the module's text did not change
