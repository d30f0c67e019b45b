"""The widgets of the test app: file-backed modules in static/ (and live/, which the hot reload
test rewrites), so the page may fetch only those folders' files."""

from __future__ import annotations

import pathlib

import traitlets

import esmwidget
from esmwidget.experimental import command

HERE = pathlib.Path(__file__).parent


class Counter(esmwidget.AnyWidget):
    _esm = HERE / "static" / "counter.js"
    _css = ".counter { color: rgb(0, 128, 128); }"
    count = traitlets.Int(0).tag(sync=True)


class Messenger(esmwidget.AnyWidget):
    """Custom messages both ways with binary values, a command, a file beside the module."""

    _esm = HERE / "static" / "messenger.js"
    data = traitlets.Bytes(b"\x01\x02\x03").tag(sync=True)
    received = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._answer)

    def _answer(self, _widget: object, content: dict[str, str], buffers: list[bytes]) -> None:
        self.received = f"{content['text']} with {[len(b) for b in buffers]}"
        self.send({"text": "pong"}, [b"\x00" * 5])

    @command
    def double(self, msg: dict[str, int], buffers: list[bytes]) -> tuple[dict[str, int], list]:
        del buffers
        return {"n": msg["n"] * 2}, [b"\x07" * 4]


class Card(esmwidget.AnyWidget):
    """A parent drawing its child widget through `host.getWidget`."""

    _esm = HERE / "static" / "card.js"
    title = traitlets.Unicode("").tag(sync=True)
    body = traitlets.Any(None).tag(sync=True, **esmwidget.widget_serialization)


class Broken(esmwidget.AnyWidget):
    _esm = "export default { render({ el }) { el.textContent = ; } }"


class Live(esmwidget.AnyWidget):
    _esm = HERE / "live" / "live.js"
    count = traitlets.Int(0).tag(sync=True)
