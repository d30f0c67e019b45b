"""Hot reload in a real ipykernel: a save is applied on the kernel's own thread, after the cell
that is running, never beside it; and its log lines go to the kernel's log, not under a cell."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import KernelPage

pytest.importorskip("watchfiles")


def printed_once(kernel: KernelPage, code: str, ready: Callable[[str], bool]) -> str:
    """What `code` prints once `ready` says so (the kernel applies saves between cells), or the
    last thing it printed after 15 s."""
    deadline = time.monotonic() + 15
    out = kernel.stdout(code)
    while not ready(out) and time.monotonic() < deadline:
        time.sleep(0.2)
        out = kernel.stdout(code)
    return out


def test_a_save_is_applied_on_the_kernels_thread_after_the_running_cell(
    kernel: KernelPage, tmp_path: Path
) -> None:
    module = tmp_path / "w.js"
    module.write_text("export default { render({ el }) { el.textContent = 'v1'; } };\n")
    kernel.execute(
        f"""
        import os, threading, time, pathlib, esmwidget, traitlets
        os.environ["ANYWIDGET_HMR"] = "1"
        class Live(esmwidget.AnyWidget):
            _esm = pathlib.Path({str(module)!r})
            n = traitlets.Int(0).tag(sync=True)
        live = Live()
        seen = []
        live.observe(lambda change: seen.append(threading.current_thread().name), "_esm")
        time.sleep(0.5)  # the watcher subscribes
        """
    )
    # The cell below runs for two seconds; the save lands while it runs.
    msg_id = kernel.client.execute("time.sleep(2); during = list(seen)")
    time.sleep(0.5)
    module.write_text("export default { render({ el }) { el.textContent = 'v2'; } };\n")
    kernel._until_idle(msg_id)
    out = printed_once(kernel, "print(during, seen)", lambda out: "MainThread" in out)
    assert out.strip() == "[] ['MainThread']", out  # not during the cell, and on its thread


def test_a_deleted_module_is_reported_to_the_views_and_the_log_only(
    kernel: KernelPage, tmp_path: Path
) -> None:
    module = tmp_path / "gone.js"
    module.write_text("export default {};\n")
    kernel.execute(
        f"""
        class Gone(esmwidget.AnyWidget):
            _esm = pathlib.Path({str(module)!r})
        gone = Gone()
        time.sleep(0.5)
        """
    )
    module.unlink()
    # The widget's views are told (a hot reload error message on its comm)...
    note = kernel.wait_for(
        lambda m: (
            m["msg_type"] == "comm_msg"
            and m["content"]["data"].get("content", {}).get("kind") == "esmwidget-hmr-error"
        )
    )
    assert "was deleted" in note["content"]["data"]["content"]["message"]
    # ...and no cell's output is: no stream message says it, whatever its parent.
    with pytest.raises(AssertionError, match="no matching iopub message"):
        kernel.wait_for(
            lambda m: m["msg_type"] == "stream" and "was deleted" in m["content"]["text"],
            timeout=2,
        )
    module.write_text("export default {};\n")


def test_saves_while_cells_set_the_same_widget_leave_it_consistent(
    kernel: KernelPage, tmp_path: Path
) -> None:
    # Stress: 20 saves while cells set traits of the widget and observe its `_esm`. Every change
    # is applied on the kernel's thread between cells, so no observer runs beside a cell, and the
    # widget ends with the last save and the last value.
    module = tmp_path / "stress.js"
    module.write_text("export default {}; // 0\n")
    kernel.execute(
        f"""
        class Stress(esmwidget.AnyWidget):
            _esm = pathlib.Path({str(module)!r})
            n = traitlets.Int(0).tag(sync=True)
        stress = Stress()
        beside = []
        cell_running = threading.Event()
        stress.observe(lambda change: beside.append(cell_running.is_set()), "_esm")
        time.sleep(0.5)
        """
    )
    for round_ in range(1, 21):
        msg_id = kernel.client.execute(
            "cell_running.set()\nfor i in range(2000):\n    stress.n = i\ncell_running.clear()"
        )
        module.write_text(f"export default {{}}; // {round_}\n")
        kernel._until_idle(msg_id)
    out = printed_once(
        kernel,
        "print(stress._esm.strip(), stress.n, any(beside))",
        lambda out: out.startswith("export default {}; // 20"),
    )
    assert out.strip() == "export default {}; // 20 1999 False", out
