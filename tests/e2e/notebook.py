"""Drive a notebook in JupyterLab or Notebook 7 as a user would, with bounded waits only.

Every wait goes through `page.wait_for_function` or a Playwright locator with a timeout: never
`page.evaluate` on a promise that may not settle (the toolbar's idle indicator shows before the
kernel is connected, and a run issued then never settles).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page

from .server import JupyterServer

# Generous: 2 shared cores, a kernel start, a 10 MB message.
TIMEOUT = 60_000
KERNEL_TIMEOUT = 120_000

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"

# JS snippets. `panel()` is the notebook panel in both JupyterLab and Notebook 7.
_GUARDED_PANEL = (
    "(window.jupyterapp && window.jupyterapp.shell && window.jupyterapp.shell.currentWidget)"
)
_PANEL = "window.jupyterapp.shell.currentWidget"  # once wait_ready() has passed
_KERNEL_IDLE = f"""() => {{
  const w = {_GUARDED_PANEL};
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && k.connectionStatus === 'connected';
}}"""


def notebook_json(
    cells: list[dict[str, Any]] | None = None, metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A minimal nbformat 4.5 notebook with the python3 kernelspec (so no kernel dialog)."""
    md: dict[str, Any] = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    md.update(metadata or {})
    if cells is None:
        cells = [code_cell("")]
    for i, c in enumerate(cells):
        c.setdefault("id", f"cell-{i}")
    return {"cells": cells, "metadata": md, "nbformat": 4, "nbformat_minor": 5}


def code_cell(
    source: str, outputs: list[dict[str, Any]] | None = None, execution_count: int | None = None
) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": execution_count,
        "metadata": {},
        "outputs": outputs or [],
        "source": source,
    }


class CellError(AssertionError):
    """A cell produced a Python error output."""


@dataclass
class Cell:
    nb: Notebook
    index: int

    @property
    def locator(self) -> Locator:
        return self.nb.cells.nth(self.index)

    @property
    def output(self) -> Locator:
        """The cell's output area (widgets render inside it)."""
        return self.locator.locator(".jp-OutputArea")

    def output_text(self) -> str:
        return self.output.inner_text(timeout=TIMEOUT)

    @property
    def execution_count(self) -> int | None:
        return self.nb.js(f"(i) => {_PANEL}.content.widgets[i].model.executionCount", self.index)

    def clear_output(self) -> None:
        """Clear Output on this cell through the notebook command, as the context menu does."""
        self.nb.select(self.index)
        self.nb.command("notebook:clear-cell-output")
        self.output.locator(".jp-OutputArea-output").first.wait_for(
            state="detached", timeout=TIMEOUT
        )


class Notebook:
    """One open notebook page (`app` is "lab" or "notebook")."""

    def __init__(self, page: Page, server: JupyterServer, path: str, app: str = "lab") -> None:
        self.page = page
        self.server = server
        self.path = path
        self.app = app

    # -- opening ---------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        page: Page,
        server: JupyterServer,
        name: str,
        nb: dict[str, Any] | None = None,
        app: str = "lab",
    ) -> Notebook:
        """Write `name` into the server root and open it (kernel idle before returning)."""
        (Path(server.root) / name).write_text(json.dumps(nb or notebook_json()))
        self = cls(page, server, name, app)
        self.open()
        return self

    def open(self, wait_kernel: bool = True) -> None:
        if self.app == "lab":
            url = self.server.page_url(f"/lab/tree/{self.path}?reset")
        else:
            url = self.server.page_url(f"/notebooks/{self.path}")
        self.page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT)
        self.wait_ready(wait_kernel)

    def reload(self) -> None:
        self.page.reload(wait_until="domcontentloaded", timeout=TIMEOUT)
        self.wait_ready()

    def wait_ready(self, wait_kernel: bool = True) -> None:
        # The app object, then our notebook as the current widget with a rendered first cell.
        self.page.wait_for_function(
            f"""(path) => {{
              const w = {_GUARDED_PANEL};
              return !!w && !!w.context && w.context.path === path && !!w.content
                && w.content.widgets.length > 0 && w.context.isReady;
            }}""",
            arg=self.path,
            timeout=KERNEL_TIMEOUT,
        )
        self.cells.first.wait_for(timeout=TIMEOUT)
        if wait_kernel:
            self.wait_kernel_idle()

    def wait_kernel_idle(self, timeout: int = KERNEL_TIMEOUT) -> None:
        """The kernel really connected and idle (the toolbar shows idle before it is connected)."""
        self.page.wait_for_function(_KERNEL_IDLE, timeout=timeout)

    # -- page access -------------------------------------------------------------------
    @property
    def cells(self) -> Locator:
        return self.page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell")

    def cell(self, index: int) -> Cell:
        return Cell(self, index)

    def js(self, fn: str, arg: Any = None) -> Any:
        """Evaluate a synchronous JS function (no promises: those could hang without a bound)."""
        return self.page.evaluate(fn, arg)

    def wait_js(self, fn: str, arg: Any = None, timeout: int = TIMEOUT) -> Any:
        """Wait until `fn(arg)` is truthy; returns its value."""
        return self.page.wait_for_function(fn, arg=arg, timeout=timeout).json_value()

    def cell_count(self) -> int:
        return int(self.js(f"() => {_PANEL}.content.widgets.length"))

    def execution_counts(self) -> list[int | None]:
        """Every cell's execution count, in order (None for a cell never run)."""
        return list(
            self.js(f"() => {_PANEL}.content.widgets.map(w => w.model.executionCount ?? null)")
        )

    def select(self, index: int) -> None:
        self.js(f"(i) => {{ {_PANEL}.content.activeCellIndex = i; }}", index)

    def command(self, name: str, args: dict[str, Any] | None = None) -> None:
        # Fire and forget: the command's promise is not awaited (it could hang).
        self.js(
            "([n, a]) => { window.jupyterapp.commands.execute(n, a)"
            ".catch(e => console.error(e)); }",
            [name, args or {}],
        )

    def save(self) -> None:
        self.page.keyboard.press("Control+s")
        self.wait_js(f"() => {_PANEL}.context.model.dirty === false")

    # -- running code ------------------------------------------------------------------
    def _source(self, index: int) -> str:
        return str(
            self.js(f"(i) => {_PANEL}.content.widgets[i].model.sharedModel.getSource()", index)
        )

    def run(self, code: str, *, allow_error: bool = False, timeout: int = TIMEOUT) -> Cell:
        """Type `code` into the last cell (or a new one), Shift+Enter, wait until executed."""
        index = self.cell_count() - 1
        if self._source(index) != "" or self.cell(index).execution_count is not None:
            self.select(index)
            self.command("notebook:insert-cell-below")
            self.wait_js(f"(n) => {_PANEL}.content.widgets.length === n", index + 2)
            index += 1
        cell = self.cell(index)
        editor = cell.locator.locator(".cm-content")
        editor.click(timeout=TIMEOUT)
        # insert_text is a paste: no auto-indent or bracket closing on the way in.
        self.page.keyboard.insert_text(code)
        self.wait_js(
            f"([i, src]) => {_PANEL}.content.widgets[i].model.sharedModel.getSource() === src",
            [index, code],
        )
        return self._shift_enter(cell, code, allow_error=allow_error, timeout=timeout)

    def edit_and_run(
        self, index: int, code: str, *, allow_error: bool = False, timeout: int = TIMEOUT
    ) -> Cell:
        """Replace the text of cell `index` in its editor (select all, paste) and run it again."""
        cell = self.cell(index)
        editor = cell.locator.locator(".cm-content")
        editor.click(timeout=TIMEOUT)
        self.page.keyboard.press("Control+a")
        self.page.keyboard.insert_text(code)
        self.wait_js(
            f"([i, src]) => {_PANEL}.content.widgets[i].model.sharedModel.getSource() === src",
            [index, code],
        )
        return self._shift_enter(cell, code, allow_error=allow_error, timeout=timeout)

    def _shift_enter(self, cell: Cell, code: str, *, allow_error: bool, timeout: int) -> Cell:
        """Shift+Enter in `cell`'s focused editor; wait for a new execution count and idle."""
        index = cell.index
        before = cell.execution_count
        self.page.keyboard.press("Shift+Enter")
        self.wait_js(
            f"""([i, before]) => {{
              const c = {_PANEL}.content.widgets[i].model.executionCount;
              return typeof c === 'number' && c !== before && ({_KERNEL_IDLE})();
            }}""",
            [index, before],
            timeout=timeout,
        )
        if not allow_error:
            err = cell.locator.locator(
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
            )
            if err.count() and re.search(r"Error|Traceback", err.first.inner_text()):
                raise CellError(f"cell {index} raised:\n{code}\n---\n{err.first.inner_text()}")
        return cell

    def py(self, expr: str) -> str:
        """Print `expr` in a new cell and return the printed text (stripped)."""
        cell = self.run(f"print({expr})")
        out = cell.locator.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stdout']"
        )
        out.first.wait_for(timeout=TIMEOUT)
        return out.first.inner_text().strip()

    # -- widgets -----------------------------------------------------------------------
    def expose_widget_manager(self) -> None:
        """Put this notebook's widget manager on `window.__e2e_wm` (bounded wait).

        The manager is reached through the widget-view renderer that jupyterlab-manager adds to the
        notebook's rendermime (its private `_manager` PromiseDelegate): a test-only look.
        """
        self.js(
            f"""() => {{
              window.__e2e_wm = null;
              const r = {_PANEL}.content.rendermime.createRenderer({json.dumps(WIDGET_VIEW_MIME)});
              r._manager.promise.then(m => {{ window.__e2e_wm = m; }});
            }}"""
        )
        self.wait_js("() => !!window.__e2e_wm")
