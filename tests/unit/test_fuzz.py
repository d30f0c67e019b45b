"""A seeded, bounded fuzz run: thousands of front-end messages, good and bad, through
`esmwidget.testing`, one widget per seed.

After every message: nothing escaped into the kernel (no "error while handling" record), every
trait holds a value its own validation accepts, code, style and identity are unchanged, the page
holds what Python holds (or was sent it), every command request with an id got exactly one
reply, and what the message made the kernel log is bounded.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import pathlib
import random
import reprlib
from typing import Any

import pytest
import traitlets

import esmwidget
from esmwidget.experimental import command
from esmwidget.testing import FrontEnd

# A longer campaign: FUZZ_MESSAGES=100000 FUZZ_SEEDS=1,2,3 pytest tests/unit/test_fuzz.py
MESSAGES = int(os.environ.get("FUZZ_MESSAGES", "1500"))
SEEDS = [int(seed) for seed in os.environ.get("FUZZ_SEEDS", "1,2").split(",")]
LOG_LIMIT = 4_000  # characters one message may make the kernel log


class Target(esmwidget.AnyWidget):
    _esm = "export default { render() {} }"
    _css = ".target { color: red }"
    n = traitlets.Int(0).tag(sync=True)
    x = traitlets.Float(0.5).tag(sync=True)
    flag = traitlets.Bool(False).tag(sync=True)
    text = traitlets.Unicode("").tag(sync=True)
    words = traitlets.List(traitlets.Unicode(), default_value=[]).tag(sync=True)
    options = traitlets.Dict().tag(sync=True)
    blob = traitlets.Bytes(b"").tag(sync=True)
    mode = traitlets.Enum(["a", "b"], default_value="a").tag(sync=True)
    anything = traitlets.Any(None).tag(sync=True)
    stamp = traitlets.Int(0, read_only=True).tag(sync=True)
    secret = traitlets.Int(7)  # not synced

    @traitlets.validate("n")
    def _positive(self, proposal):
        return abs(proposal["value"])  # n = -1 is kept as 1: the page must be told

    @command
    def ok(self, msg, buffers):
        return {"got": msg}, buffers

    @command
    def boom(self, msg, buffers):
        raise ValueError(msg)

    @command
    def path(self, msg, buffers):
        return pathlib.Path("/tmp")

    @command
    def cut(self, msg, buffers):
        return "caf\ud83d"

    @command
    async def later(self, msg, buffers):
        await asyncio.sleep(0)
        return msg


KEYS = ["n", "x", "flag", "text", "words", "options", "blob", "mode", "anything", "stamp"]
PROTECTED = ["_esm", "_css", "_anywidget_id", "_model_name", "_view_module"]
# Identity, but the page's to write (views count themselves there, as on ipywidgets).
PAGE_IDENTITY = ["_view_count"]
OTHERS = ["secret", "nope", "", "__proto__", "constructor", "k" * 300]
COMMANDS = ["ok", "boom", "path", "cut", "later", "missing", "", "_positive"]


def deep(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


def value(rng: random.Random) -> Any:
    """One JSON-ish value a page (a buggy or hostile one) could send."""
    pick = rng.randrange(20)
    scalars = [0, -1, 1, 2**53, -(2**63), 2**70, 0.5, -0.0, 1e308, True, False, None, "", "a"]
    if pick < 5:
        return rng.choice(scalars)
    if pick == 5:
        return rng.choice([math.nan, math.inf, -math.inf])
    if pick == 6:
        return "caf\ud83d" + rng.choice(["", "x", "\udc00", "\ud83d\ude00"])
    if pick == 7:
        return "x" * rng.choice([1_000, 100_000, 1_000_000])
    if pick == 8:
        return [rng.choice([*scalars, "w"]) for _ in range(rng.randrange(6))]
    if pick == 9:
        return {rng.choice(["a", "b", "\ud800"]): value(rng) for _ in range(rng.randrange(3))}
    if pick == 10:
        return deep(rng.choice([10, 200, 5_000]))
    if pick == 11:
        return rng.choice(["a", "b", "c", "A"])
    if pick == 12:
        return b"\x00\xff" * rng.randrange(4)
    return rng.choice([*scalars, ["a", "b"], {"k": 1}, [1, [2, [3]]]])


def message(
    rng: random.Random, counter: list[int], uploads: dict[str, list[bytes | None]]
) -> tuple[dict[str, Any], list[bytes], list[bytes]]:
    """One front-end -> kernel `comm_msg` data, its buffers, and the buffers the page holds.

    `uploads` tracks the parts of large values sent so far (js/src/parts.js), by upload.
    """
    kind = rng.randrange(16)
    if kind in (14, 15):
        data, buffers, held = parts_message(rng, counter, uploads, update=kind == 15)
        return data, buffers, held
    data, buffers = plain_message(rng, counter, kind)
    return data, buffers, buffers


def parts_message(
    rng: random.Random,
    counter: list[int],
    uploads: dict[str, list[bytes | None]],
    *,
    update: bool,
) -> tuple[dict[str, Any], list[bytes], list[bytes]]:
    """A part of an upload (sometimes malformed), or an update naming one (sometimes wrongly)."""
    if not update:
        if rng.random() < 0.2:
            content = rng.choice(
                [
                    {"kind": "esmwidget-part", "upload": 5, "index": 0, "count": 1},
                    {"kind": "esmwidget-part", "upload": "bad", "index": 3, "count": 2},
                    {"kind": "esmwidget-part", "upload": "bad", "index": 0, "count": "2"},
                    {"kind": "esmwidget-part", "upload": "", "index": 0, "count": 1},
                ]
            )
            return {"method": "custom", "content": content}, [b"x"] * rng.randrange(3), []
        waiting = [name for name, parts in uploads.items() if None in parts]
        if waiting and rng.random() < 0.7:
            name = rng.choice(waiting)
        else:
            counter[0] += 1
            name = f"up{counter[0]}"
            uploads[name] = [None] * rng.randrange(1, 4)
        parts = uploads[name]
        index = parts.index(None)
        parts[index] = bytes([rng.randrange(256)]) * rng.randrange(1, 50)
        content = {"kind": "esmwidget-part", "upload": name, "index": index, "count": len(parts)}
        return {"method": "custom", "content": content}, [parts[index]], []
    name = rng.choice([*uploads, "unknown"]) if uploads else "unknown"
    parts = uploads.pop(name, [None])
    named: Any = rng.choice([{"0": name}] * 8 + [{"3": name}, name, None])
    data = {"method": "update", "state": {}, "buffer_paths": [["blob"]], "esmwidget_parts": named}
    whole = b"".join(part for part in parts if part is not None)
    return data, [b""], [whole]


def plain_message(
    rng: random.Random, counter: list[int], kind: int
) -> tuple[dict[str, Any], list[bytes]]:
    """One front-end -> kernel message that is not about uploads."""
    if kind < 6:
        keys = rng.sample(KEYS, rng.randrange(1, 4))
        if rng.random() < 0.2:
            keys.append(rng.choice(PROTECTED + PAGE_IDENTITY + OTHERS))
        state = {key: value(rng) for key in keys}
        buffers: list[bytes] = []
        paths: list[Any] = []
        for key, item in list(state.items()):
            if isinstance(item, bytes):
                del state[key]
                paths.append([key])
                buffers.append(item)
        return {"method": "update", "state": state, "buffer_paths": paths}, buffers
    if kind == 6:
        keys = PROTECTED + PAGE_IDENTITY + OTHERS
        state = {rng.choice(keys): value(rng) for _ in range(rng.randrange(1, 4))}
        return {"method": "update", "state": state}, []
    if kind == 7:  # broken binary: paths and buffers that do not pair up or lead nowhere
        paths = rng.choice([True, [True], [[]], [5], [["nope", "x"]], [["words", 9]], "blob", None])
        data = {"method": "update", "state": {"n": 5, "text": "t"}, "buffer_paths": paths}
        return data, [b"x"] * rng.randrange(3)
    if kind == 8:
        return {"method": "update", "state": rng.choice([None, [], "x", 5, True])}, []
    if kind == 9:
        return rng.choice([{}, {"method": None}, {"method": 5}, {"method": "explode"}]), []
    if kind == 10:
        return {"method": "request_state"}, []
    if kind == 11:
        return {"method": "custom", "content": value(rng)}, []
    counter[0] += 1
    request: dict[str, Any] = {
        "id": rng.choice([f"r{counter[0]}"] * 6 + [None, 5]),
        "kind": "anywidget-command",
        "name": rng.choice(COMMANDS),
        "msg": value(rng) if rng.random() < 0.8 else None,
    }
    return {"method": "custom", "content": request}, [b"b"] * rng.randrange(2)


def page_holds(page: FrontEnd, data: dict[str, Any], buffers: list[bytes]) -> None:
    """What the page's model holds after it sent `data`: the values it set, buffers in place."""
    state = data.get("state")
    if data.get("method") != "update" or not isinstance(state, dict):
        return
    page.state.update(state)
    paths = data.get("buffer_paths")
    if isinstance(paths, list) and len(paths) == len(buffers):
        for path, buffer in zip(paths, buffers, strict=True):
            if isinstance(path, list) and len(path) == 1 and isinstance(path[0], str):
                page.state[path[0]] = buffer


def same(a: Any, b: Any) -> bool:
    """Equal as the page's JavaScript sees it: numbers by value, booleans apart from numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b or (a != a and b != b)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


class Meter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.parametrize("seed", SEEDS)
def test_fuzz(comms, seed):
    rng = random.Random(seed)
    widget = Target()
    page = FrontEnd(widget)
    comm = comms[0]
    state = widget.get_state()
    fixed = {k: v for k, v in state.items() if k.startswith("_") and k not in PAGE_IDENTITY}
    meter = Meter()
    logger = logging.getLogger("esmwidget")
    logger.addHandler(meter)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    counter = [0]
    uploads: dict[str, list[bytes | None]] = {}
    try:
        for step in range(MESSAGES):
            data, buffers, held = message(rng, counter, uploads)
            where = f"seed {seed}, message {step}: {reprlib.repr(data)}"
            page_holds(page, data, held)
            before = len(meter.records)
            comm.receive(data, buffers)
            page.sync()
            records = meter.records[before:]
            escaped = [r.getMessage()[:300] for r in records if r.levelno >= logging.ERROR]
            assert escaped == [], where
            logged = sum(len(r.getMessage()) for r in records)
            assert logged < LOG_LIMIT, where
            state = widget.get_state()
            assert {k: state[k] for k in fixed} == fixed, where
            for name in KEYS + PAGE_IDENTITY:
                trait = widget.traits()[name]
                held = getattr(widget, name)
                assert same(trait._validate(widget, held), held), where  # valid as it is
            drift = {
                k: (page.state.get(k), v)
                for k, v in state.items()
                if not same(page.state.get(k), v)
            }
            assert drift == {}, where
            content = data.get("content")
            if isinstance(content, dict) and isinstance(content.get("id"), str):
                answers = [
                    m
                    for m in comm.messages("custom")
                    if m["content"].get("kind") == "anywidget-command-response"
                    and m["content"].get("id") == content["id"]
                ]
                assert len(answers) == 1, where
    finally:
        logger.removeHandler(meter)
        logger.setLevel(old_level)
