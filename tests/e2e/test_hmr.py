"""The proof in a real JupyterLab page: hot reload of file-backed `_esm`/`_css` and `%%vfile`.

The test process edits the files on disk, as an editor would, while the browser shows the widget.
No cell is re-run for a save to show, and the widget's Python state survives every reload.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Locator, expect

from . import sources
from .notebook import Cell, Notebook

pytestmark = pytest.mark.e2e

OpenNotebook = Callable[..., Notebook]

GREEN = "rgb(0, 128, 0)"
RED = "rgb(200, 0, 0)"


# -- helpers --------------------------------------------------------------------------------


def watched_inodes(pid: int) -> set[str]:
    """Inodes (hex, as /proc prints them) of everything the process's inotify fds watch."""
    found: set[str] = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in fd_dir.iterdir():
        try:
            if "inotify" not in os.readlink(fd):
                continue
            info = Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text()
        except OSError:
            continue  # closed meanwhile
        for line in info.splitlines():
            if line.startswith("inotify wd:"):
                for part in line.split():
                    if part.startswith("ino:"):
                        found.add(part[len("ino:") :])
    return found


def wait_watching(pid: int, directory: Path, timeout: float = 60.0) -> None:
    """Wait until the kernel's watcher thread has an inotify watch on `directory`.

    The watcher thread starts when the widget is created; a save made before its watch exists
    would be missed. This is a readiness wait with a bound, not a timing assertion.
    """
    if os.environ.get("WATCHFILES_FORCE_POLLING"):
        return  # polling: no inotify watch to look for
    want = f"{directory.stat().st_ino:x}"
    deadline = time.monotonic() + timeout
    while want not in watched_inodes(pid):
        if time.monotonic() > deadline:
            msg = f"kernel {pid} never watched {directory} (inode {want}) within {timeout}s"
            raise AssertionError(msg)
        time.sleep(0.05)


def last_count(counts: list[int | None]) -> int:
    return max(c for c in counts if c is not None)


def atomic_save(path: Path, text: str) -> None:
    """Write a temporary file next to `path` and rename it over (vim, JetBrains "safe write")."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class Hmr:
    nb: Notebook
    cell: Cell
    js: Path
    css: Path

    @property
    def button(self) -> Locator:
        return self.cell.output.locator("button.hmr")

    @property
    def error_box(self) -> Locator:
        return self.cell.output.locator(".esmwidget-error")

    def click_to(self, label: str, *counts: int) -> None:
        for n in counts:
            self.button.click()
            expect(self.button).to_have_text(f"{label} {n}")


def open_hmr(open_notebook: OpenNotebook, tmp: Path) -> Hmr:
    """`w.js`/`w.css` in `tmp`; class defined before `%env ANYWIDGET_HMR=1`, `w` made after."""
    js, css = tmp / "w.js", tmp / "w.css"
    js.write_text(sources.hmr_esm("alpha"), encoding="utf-8")
    css.write_text(sources.hmr_css(GREEN), encoding="utf-8")
    nb = open_notebook()
    nb.run(sources.hmr_class(str(js), str(css)))
    nb.run(sources.HMR_ON)
    cell = nb.run(sources.HMR_WIDGET)
    h = Hmr(nb, cell, js, css)
    expect(h.button).to_have_text("alpha 0")
    expect(h.button).to_have_css("color", GREEN)
    wait_watching(int(nb.py("os.getpid()")), tmp)
    return h


# -- tests ----------------------------------------------------------------------------------


def test_hmr_js_save_updates_view_keeps_state_no_rerun(
    open_notebook: OpenNotebook, tmp_path: Path
) -> None:
    h = open_hmr(open_notebook, tmp_path)
    nb = h.nb
    h.click_to("alpha", 1, 2, 3)
    assert nb.py("w.count") == "3"
    counts = nb.execution_counts()

    h.js.write_text(sources.hmr_esm("beta"), encoding="utf-8")  # in place, like JupyterLab's editor
    expect(h.button).to_have_text("beta 3")
    expect(h.button).to_have_count(1)
    assert nb.execution_counts() == counts, "a cell was re-run"

    # The very next execution is the next number: nothing ran in the kernel in between.
    assert nb.py("w.count") == "3"
    assert last_count(nb.execution_counts()) == last_count(counts) + 1
    # The widget made before the switch was turned on keeps its old text.
    assert nb.py("'beta' in w._esm, 'alpha' in early._esm") == "True True"

    # The reloaded module is live both ways.
    h.click_to("beta", 4)
    assert nb.py("w.count") == "4"
    nb.run("w.count = 10")
    expect(h.button).to_have_text("beta 10")


def test_hmr_one_save_swaps_every_widget_of_the_class(
    open_notebook: OpenNotebook, tmp_path: Path
) -> None:
    h = open_hmr(open_notebook, tmp_path)
    nb = h.nb
    second = nb.run("w2 = W(count=7); w2").output.locator("button.hmr")
    expect(second).to_have_text("alpha 7")
    h.click_to("alpha", 1)
    # The two widgets share one import of the module, and one save swaps both; each keeps its
    # own state and stays live.
    h.js.write_text(sources.hmr_esm("beta"), encoding="utf-8")
    expect(h.button).to_have_text("beta 1")
    expect(second).to_have_text("beta 7")
    second.click()
    expect(second).to_have_text("beta 8")
    assert nb.py("w.count, w2.count") == "1 8"


def test_hmr_css_save_restyles_in_place(open_notebook: OpenNotebook, tmp_path: Path) -> None:
    h = open_hmr(open_notebook, tmp_path)
    nb = h.nb
    h.click_to("alpha", 1)
    h.button.evaluate("b => { window.__hmr_button = b; }")
    counts = nb.execution_counts()

    h.css.write_text(sources.hmr_css(RED), encoding="utf-8")
    expect(h.button).to_have_css("color", RED)
    # The same element, not a re-render; one stylesheet for the class.
    assert h.button.evaluate("b => b === window.__hmr_button && b.isConnected")
    expect(h.button).to_have_text("alpha 1")
    sheets = "() => document.querySelectorAll('[data-esmwidget-css=\"__main__.W\"]').length"
    assert nb.js(sheets) == 1
    assert nb.execution_counts() == counts, "a cell was re-run"
    assert nb.py("w.count, 'rgb(200, 0, 0)' in w._css") == "1 True"


def test_hmr_atomic_saves_delete_and_recreate(open_notebook: OpenNotebook, tmp_path: Path) -> None:
    h = open_hmr(open_notebook, tmp_path)
    nb = h.nb
    h.click_to("alpha", 1)
    counts = nb.execution_counts()

    # Three rename-over saves in a row, each one seen.
    for label in ("one", "two", "three"):
        atomic_save(h.js, sources.hmr_esm(label))
        expect(h.button).to_have_text(f"{label} 1")
    # Delete, then create (another editor style).
    h.js.unlink()
    h.js.write_text(sources.hmr_esm("four"), encoding="utf-8")
    expect(h.button).to_have_text("four 1")
    expect(h.error_box).to_have_count(0)
    assert nb.execution_counts() == counts, "a cell was re-run"

    # Deleted for good: an HMR error box above a widget that keeps working.
    h.js.unlink()
    box = h.cell.output.locator(".esmwidget-error[data-phase='hmr']")
    expect(box).to_be_visible()
    expect(box.locator(".esmwidget-error-title")).to_have_text(
        "[esmwidget] __main__.W: hot reload failed"
    )
    expect(box.locator(".esmwidget-error-message")).to_contain_text(f"{h.js} was deleted")
    h.click_to("four", 2)
    assert nb.py("w.count") == "2"
    # The note is the widget's and the kernel log's: a new cell's output holds only its own text.
    own = nb.run("print('only this cell')")
    expect(own.output).to_have_text("only this cell")

    # Put back with the same text: the box goes, nothing re-renders, state kept.
    h.button.evaluate("b => { window.__hmr_button = b; }")
    h.js.write_text(sources.hmr_esm("four"), encoding="utf-8")
    expect(h.error_box).to_have_count(0)
    expect(h.button).to_have_text("four 2")
    assert h.button.evaluate("b => b === window.__hmr_button")

    # And the watcher still follows the file afterwards.
    atomic_save(h.js, sources.hmr_esm("five"))
    expect(h.button).to_have_text("five 2")
    expect(h.error_box).to_have_count(0)


def test_hmr_syntax_error_box_then_recovery(open_notebook: OpenNotebook, tmp_path: Path) -> None:
    h = open_hmr(open_notebook, tmp_path)
    nb = h.nb
    h.click_to("alpha", 1, 2)
    counts = nb.execution_counts()

    h.js.write_text(sources.HMR_SYNTAX_ERROR, encoding="utf-8")
    box = h.error_box
    expect(box).to_be_visible()
    expect(box).to_have_attribute("data-phase", "load")
    expect(box).to_contain_text("[esmwidget] __main__.W: could not load _esm")
    expect(box).to_contain_text("SyntaxError")
    # Named after the file it is in, at the line the file has it on.
    expect(box.locator(".esmwidget-error-location")).to_have_text(
        f"line 4, column 13 of {h.js.parent.name}/w.js"
    )
    expect(h.button).to_have_count(0)

    h.js.write_text(sources.hmr_esm("fixed"), encoding="utf-8")
    expect(h.button).to_have_text("fixed 2")
    expect(box).to_have_count(0)
    assert nb.execution_counts() == counts, "a cell was re-run"
    h.click_to("fixed", 3)
    assert nb.py("w.count") == "3"


def test_vfile_cell_rerun_updates_live_view(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    nb.run("%load_ext esmwidget")
    vfile_index = nb.run(sources.vfile_cell("first")).index
    widget = nb.run(sources.VFILE_CLASS)
    button = widget.output.locator("button.hmr")
    expect(button).to_have_text("first 0")
    for n in (1, 2):
        button.click()
        expect(button).to_have_text(f"first {n}")
    counts = nb.execution_counts()

    # Edit the %%vfile cell's text in its editor and run it again, as a user would.
    nb.edit_and_run(vfile_index, sources.vfile_cell("second"))
    expect(button).to_have_text("second 2")
    expect(button).to_have_count(1)
    after = nb.execution_counts()
    assert after[vfile_index] != counts[vfile_index]
    unchanged = [i for i in range(len(counts)) if i != vfile_index]
    assert [after[i] for i in unchanged] == [counts[i] for i in unchanged], "widget cell re-run"

    # No HMR switch and no file: the vfile alone drove it; the state is Python's.
    hmr = "__import__('os').environ.get('ANYWIDGET_HMR')"
    assert nb.py(f"v.count, 'second' in v._esm, {hmr}") == "2 True None"
    button.click()
    expect(button).to_have_text("second 3")


def test_vfile_cell_rerun_updates_object_widget(open_notebook: OpenNotebook) -> None:
    """The same for an `experimental.dataclass` (docs/objects.md: "hot-reload the same way")."""
    nb = open_notebook()
    nb.run("%load_ext esmwidget")
    vfile_index = nb.run(sources.vfile_cell("first")).index
    widget = nb.run(sources.VFILE_DATACLASS + "p = P(); p")
    button = widget.output.locator("button.hmr")
    button.click()
    expect(button).to_have_text("first 1")
    count = widget.execution_count

    nb.edit_and_run(vfile_index, sources.vfile_cell("second"))
    expect(button).to_have_text("second 1")
    expect(button).to_have_count(1)
    assert widget.execution_count == count
    button.click()
    expect(button).to_have_text("second 2")
    assert nb.py("p.count") == "2"


def test_object_displayed_after_vfile_rerun_starts_from_latest_text(
    open_notebook: OpenNotebook,
) -> None:
    """A `%%vfile` re-run before an object's first display: the object must start from it.

    `AnyWidget` does (`asset.text = source.text` in `_esmwidget_watch_assets`); positive
    control first, in the same kernel.
    """
    nb = open_notebook()
    nb.run("%load_ext esmwidget")
    vfile_index = nb.run(sources.vfile_cell("first")).index
    nb.run(sources.VFILE_DATACLASS)
    nb.run(sources.VFILE_CLASS_DEF)
    nb.edit_and_run(vfile_index, sources.vfile_cell("second"))

    control = nb.run("V()")
    expect(control.output.locator("button.hmr")).to_have_text("second 0")
    cell = nb.run("p = P(); p")
    # A first render takes well under a second; 15 s keeps the expected failure short.
    expect(cell.output.locator("button.hmr")).to_have_text("second 0", timeout=15_000)


STUCK = """export default {
  initialize() { return new Promise(() => {}); },  // never settles
  render({ el }) { el.textContent = "stuck"; },
};
"""


def test_a_module_stuck_in_initialize_recovers_on_the_next_save(
    open_notebook: OpenNotebook, tmp_path: Path
) -> None:
    h = open_hmr(open_notebook, tmp_path)
    h.click_to("alpha", 1)
    h.js.write_text(STUCK, encoding="utf-8")
    # The page has the stuck module once the kernel does (its next message comes after).
    deadline = time.monotonic() + 30
    while h.nb.py("'never settles' in w._esm") != "True":
        assert time.monotonic() < deadline, "the kernel never read the stuck module"
        time.sleep(0.2)
    time.sleep(1)  # and the page starts initializing it, which never ends
    h.js.write_text(sources.hmr_esm("after"), encoding="utf-8")
    expect(h.button).to_have_text("after 1")  # the good save replaces it, state kept
    h.click_to("after", 2)
    assert h.nb.py("w.count") == "2"


def test_an_inline_modules_error_names_the_cell_line(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(
        "import esmwidget\n"
        "\n"
        "class Inline(esmwidget.AnyWidget):\n"
        '    _esm = """\n'
        "export default {\n"
        "  render({ el }) {\n"
        "    let x = ;\n"
        "  },\n"
        "};\n"
        '"""\n'
        "\n"
        "Inline()"
    )
    box = cell.output.locator(".esmwidget-error")
    expect(box).to_contain_text("SyntaxError")
    # `let x = ;` is on the cell's line 7.
    expect(box.locator(".esmwidget-error-location")).to_have_text("line 7, column 13 of the cell")
