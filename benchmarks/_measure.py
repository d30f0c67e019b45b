"""One benchmark figure for one package, in this (fresh) process; prints one JSON object.

Usage: ``python benchmarks/_measure.py FIGURE PACKAGE [--count N]`` where PACKAGE is
``esmwidget`` or ``anywidget``. `run.py` calls this once per figure, package and repeat, so every
number comes from a fresh interpreter. Nothing is imported at module level beyond `sys` and
`time`, so the import figures see the package's own cost.
"""

# Imports live inside the figures on purpose: each process pays only for what its figure needs.
# ruff: noqa: PLC0415

from __future__ import annotations

import sys
import time

ESM = """
function render({ model, el }) {
  const button = document.createElement("button");
  const show = () => { button.textContent = `count is ${model.get("count")}`; };
  button.addEventListener("click", () => {
    model.set("count", model.get("count") + 1);
    model.save_changes();
  });
  model.on("change:count", show);
  show();
  el.classList.add("counter");
  el.append(button);
}
export default { render };
"""
CSS = ".counter button { color: teal; font-weight: bold; }"

PACKAGES = ("esmwidget", "anywidget")
MIB = 1024 * 1024


# -- the counting comm ------------------------------------------------------------------------


class Tally:
    """What the counting comm saw: messages by kind, and serialized sizes when asked."""

    def __init__(self) -> None:
        self.by_kind: dict[str, int] = {}
        self.serialize = False
        self.json_bytes = 0
        self.buffer_bytes = 0
        self.buffer_count = 0

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    def reset(self) -> None:
        self.by_kind.clear()
        self.json_bytes = self.buffer_bytes = self.buffer_count = 0

    def record(self, msg_type: str, data: object) -> None:
        kind = msg_type
        if msg_type == "comm_msg" and isinstance(data, dict):
            kind = f"comm_msg:{data.get('method')}"
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1

    def count(self, kind: str) -> int:
        return self.by_kind.get(kind, 0)


TALLY = Tally()


def install_counting_comm() -> None:
    """Route `comm.create_comm` to a `BaseComm` whose wire only counts (both packages use it)."""
    import json

    import comm
    from comm.base_comm import BaseComm

    class CountingComm(BaseComm):
        # ipywidgets sends only when `comm.kernel is not None` (Widget._send, notify_change);
        # in a running kernel ipykernel's Comm has its Kernel there. esmwidget does not look.
        kernel = True

        def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys) -> None:
            del metadata  # carries nothing either package varies
            TALLY.record(msg_type, data)
            if TALLY.serialize:
                # What ipykernel's Comm.publish_msg and jupyter_client's Session do: the content
                # dict goes through json.dumps; buffers go to zmq as they are (zero copy).
                content = dict(data=data or {}, comm_id=self.comm_id, **keys)
                packed = json.dumps(content, ensure_ascii=False, allow_nan=False).encode()
                TALLY.json_bytes += len(packed)
                for buffer in buffers or ():
                    TALLY.buffer_bytes += memoryview(buffer).nbytes
                    TALLY.buffer_count += 1

    def create_comm(*args, **kwargs):
        return CountingComm(*args, **kwargs)

    comm.create_comm = create_comm


# -- the widgets ------------------------------------------------------------------------------


def counter_class(package: str) -> type:
    """The same Counter for either package: same `_esm`, `_css`, `count` and `data` traits."""
    import traitlets

    if package == "esmwidget":
        import esmwidget

        base = esmwidget.AnyWidget
    elif package == "anywidget":
        import anywidget

        base = anywidget.AnyWidget
    else:
        msg = f"unknown package {package!r}; expected one of {PACKAGES}"
        raise SystemExit(msg)

    class Counter(base):
        _esm = ESM
        _css = CSS
        count = traitlets.Int(0).tag(sync=True)
        data = traitlets.Bytes(b"").tag(sync=True)

    return Counter


def setup(package: str) -> type:
    cls = counter_class(package)
    install_counting_comm()
    return cls


class Clock:
    """Wall and CPU time of a block, in milliseconds."""

    def __enter__(self) -> Clock:
        self._wall = time.perf_counter()
        self._cpu = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall_ms = (time.perf_counter() - self._wall) * 1000
        self.cpu_ms = (time.process_time() - self._cpu) * 1000


# -- figures ----------------------------------------------------------------------------------


def fig_import(package: str, count: int) -> dict:
    """`import PACKAGE` in a fresh interpreter."""
    del count
    return {
        **_timed_import(package),
        "ipywidgets_imported": "ipywidgets" in sys.modules,
        "IPython_imported": "IPython" in sys.modules,
    }


def _timed_import(package: str) -> dict:
    before = len(sys.modules)
    with Clock() as clock:
        __import__(package)
    return {"wall_ms": clock.wall_ms, "cpu_ms": clock.cpu_ms, "modules": len(sys.modules) - before}


def fig_import_kernel(package: str, count: int) -> dict:
    """`import PACKAGE` after what a kernel has loaded (ipykernel.ipkernel), the notebook case."""
    del count
    try:
        import ipykernel.ipkernel  # noqa: F401
    except ImportError:  # no ipykernel: the closest we have
        import comm  # noqa: F401
        import IPython  # noqa: F401
        import traitlets  # noqa: F401

        preloaded = "traitlets, comm, IPython (ipykernel not installed)"
    else:
        preloaded = "ipykernel.ipkernel"
    return {**_timed_import(package), "preloaded": preloaded}


def fig_construct(package: str, count: int) -> dict:
    """Construct `count` widgets (kept alive); comm messages they sent."""
    cls = setup(package)
    TALLY.reset()
    with Clock() as clock:
        widgets = [cls() for _ in range(count)]
    assert len(widgets) == count
    return {
        "wall_ms": clock.wall_ms,
        "cpu_ms": clock.cpu_ms,
        "messages": TALLY.total,
        "comm_open": TALLY.count("comm_open"),
        "by_kind": dict(TALLY.by_kind),
    }


def _sets(package: str, count: int, hold: bool) -> dict:
    cls = setup(package)
    widget = cls()
    TALLY.reset()
    with Clock() as clock:
        if hold:
            with widget.hold_sync():
                for i in range(1, count + 1):
                    widget.count = i
        else:
            for i in range(1, count + 1):
                widget.count = i
    assert widget.count == count
    return {
        "wall_ms": clock.wall_ms,
        "cpu_ms": clock.cpu_ms,
        "messages": TALLY.total,
        "by_kind": dict(TALLY.by_kind),
    }


def fig_set(package: str, count: int) -> dict:
    """`widget.count = i` for i in 1..count: one update each."""
    return _sets(package, count, hold=False)


def fig_set_hold(package: str, count: int) -> dict:
    """The same sets inside `hold_sync()`: one update at the end."""
    return _sets(package, count, hold=True)


def fig_bytes(package: str, count: int) -> dict:
    """Set a `count` MiB bytes trait (10 times, two alternating payloads), building each message."""
    import os

    cls = setup(package)
    widget = cls()
    payloads = [os.urandom(count * MIB), os.urandom(count * MIB)]
    sets = 10
    TALLY.reset()
    TALLY.serialize = True
    with Clock() as clock:
        for i in range(sets):
            widget.data = payloads[i % 2]
    return {
        "wall_ms": clock.wall_ms / sets,
        "cpu_ms": clock.cpu_ms / sets,
        "messages": TALLY.total / sets,
        "json_bytes": TALLY.json_bytes / sets,
        "buffer_bytes": TALLY.buffer_bytes / sets,
        "buffers": TALLY.buffer_count / sets,
    }


def fig_close(package: str, count: int) -> dict:
    """`close()` on `count` live widgets."""
    cls = setup(package)
    widgets = [cls() for _ in range(count)]
    TALLY.reset()
    with Clock() as clock:
        for widget in widgets:
            widget.close()
    return {
        "wall_ms": clock.wall_ms,
        "cpu_ms": clock.cpu_ms,
        "messages": TALLY.total,
        "comm_close": TALLY.count("comm_close"),
        "by_kind": dict(TALLY.by_kind),
    }


def fig_memory(package: str, count: int) -> dict:
    """Traced bytes per live widget, then what is left after closing and dropping them."""
    import gc
    import tracemalloc
    import weakref

    import comm

    cls = setup(package)
    # Warm up once-per-process work (lazy imports, caches) outside the measurement.
    for widget in [cls() for _ in range(10)]:
        widget.close()
    del widget
    gc.collect()
    manager = comm.get_comm_manager()
    comms_before = len(manager.comms)

    tracemalloc.start()
    gc.collect()
    base = tracemalloc.get_traced_memory()[0]
    widgets = [cls() for _ in range(count)]
    gc.collect()
    live = tracemalloc.get_traced_memory()[0] - base
    comms_live = len(manager.comms) - comms_before
    before_refs = tracemalloc.get_traced_memory()[0]
    refs = [weakref.ref(w) for w in widgets]
    refs_bytes = tracemalloc.get_traced_memory()[0] - before_refs
    for widget in widgets:
        widget.close()
    del widgets, widget
    gc.collect()
    left = tracemalloc.get_traced_memory()[0] - base - refs_bytes
    alive = sum(1 for r in refs if r() is not None)
    comms_left = len(manager.comms) - comms_before
    ipywidgets = sys.modules.get("ipywidgets.widgets.widget")
    # ipywidgets keeps every open widget in a global dict; closing an AnyWidget does not
    # close the Layout widget it created.
    instances_left = len(ipywidgets._instances) if ipywidgets is not None else None
    # A second round tells a leak (grows again) from dicts that keep their size (does not).
    for widget in [cls() for _ in range(count)]:
        widget.close()
    del widget
    gc.collect()
    growth = tracemalloc.get_traced_memory()[0] - base - refs_bytes - left
    tracemalloc.stop()
    result = {
        "bytes_per_widget": live / count,
        "retained_bytes_per_closed_widget": left / count,
        "second_round_growth_per_widget": growth / count,
        "alive_after_close": alive,
        "comms_registered_live": comms_live,
        "comms_registered_after_close": comms_left,
    }
    if instances_left is not None:
        result["ipywidgets_instances_after_close"] = instances_left
    return result


FIGURES = {
    "import": fig_import,
    "import_kernel": fig_import_kernel,
    "construct": fig_construct,
    "set": fig_set,
    "set_hold": fig_set_hold,
    "bytes": fig_bytes,
    "close": fig_close,
    "memory": fig_memory,
}


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 4) or argv[0] not in FIGURES or argv[1] not in PACKAGES:
        print(
            f"usage: _measure.py {{{','.join(FIGURES)}}} {{{','.join(PACKAGES)}}} [--count N]",
            file=sys.stderr,
        )
        return 2
    count = int(argv[3]) if len(argv) == 4 else 0
    metrics = FIGURES[argv[0]](argv[1], count)
    import json

    print(json.dumps(metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
