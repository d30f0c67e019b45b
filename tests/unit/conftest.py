"""HMR fixtures shared by test_hmr and test_bundle: a scripted watch function and the real one."""

import queue

import pytest

from esmwidget._assets.hmr import Watcher, set_watcher


class ScriptedWatch:
    """Stands in for watchfiles.watch: yields the change sets a test pushes."""

    def __init__(self):
        self.changes = queue.Queue()
        self.calls = []

    def __call__(self, *paths, stop_event):
        self.calls.append(paths)
        while not stop_event.is_set():
            try:
                change = self.changes.get(timeout=0.02)
            except queue.Empty:
                continue
            if stop_event.is_set():
                # A watch being replaced (the watched folders changed): the next one reports it.
                self.changes.put(change)
                return
            yield change

    def saved(self, path):
        self.changes.put({(2, str(path))})


@pytest.fixture
def scripted(monkeypatch):
    monkeypatch.setenv("ANYWIDGET_HMR", "1")
    fake = ScriptedWatch()
    watcher = Watcher(watch=fake)
    old = set_watcher(watcher)
    yield fake
    watcher.stop()
    set_watcher(old)


@pytest.fixture
def real_watch(monkeypatch):
    pytest.importorskip("watchfiles")
    monkeypatch.setenv("ANYWIDGET_HMR", "1")
    watcher = Watcher()
    old = set_watcher(watcher)
    yield watcher
    watcher.stop()
    set_watcher(old)
