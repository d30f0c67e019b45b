"""Drive a notebook in the classic Notebook UI (nbclassic) through its `IPython.notebook` API.

The page is nbclassic served by the same `jupyter lab` server, at ``/nbclassic/notebooks/<nb>``.
Every wait is a bounded `wait_for_function`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page

from .notebook import KERNEL_TIMEOUT, TIMEOUT, CellError, notebook_json
from .server import JupyterServer

# The kernel answered kernel_info (the page's `kernel_ready`) and the classic widget manager
# (widgetsnbextension) is attached to it. A widget displayed before `kernel_ready` can stay
# blank: the manager handles that event after its creation.
_READY = """() => {
  const nb = window.IPython && IPython.notebook;
  const k = nb && nb.kernel;
  return !!k && k.is_connected() && !!k.widget_manager && nb.kernel_busy === false
    && !!k.info_reply && k.info_reply.status === 'ok';
}"""


class ClassicNotebook:
    """One notebook open in the classic UI."""

    def __init__(self, page: Page, server: JupyterServer, path: str) -> None:
        self.page = page
        self.server = server
        self.path = path

    @classmethod
    def create(
        cls, page: Page, server: JupyterServer, name: str, nb: dict[str, Any] | None = None
    ) -> ClassicNotebook:
        (Path(server.root) / name).write_text(json.dumps(nb or notebook_json([])))
        self = cls(page, server, name)
        url = server.page_url(f"/nbclassic/notebooks/{name}")
        page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT)
        page.wait_for_function(_READY, timeout=KERNEL_TIMEOUT)
        return self

    def run(self, code: str) -> Locator:
        """Append a code cell with `code`, run it, wait until it ran; return its output area."""
        index = self.page.evaluate(
            """(code) => {
              const nb = IPython.notebook;
              const cell = nb.insert_cell_at_bottom('code');
              cell.set_text(code);
              cell.execute();
              return nb.get_cells().indexOf(cell);
            }""",
            code,
        )
        self.page.wait_for_function(
            """(i) => {
              const cell = IPython.notebook.get_cell(i);
              return typeof cell.input_prompt_number === 'number' && !IPython.notebook.kernel_busy;
            }""",
            arg=index,
            timeout=TIMEOUT,
        )
        errors = self.page.evaluate(
            """(i) => IPython.notebook.get_cell(i).output_area.outputs
                .filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue)""",
            index,
        )
        if errors:
            raise CellError(f"cell {index} raised {errors}:\n{code}")
        return self.page.locator(".cell").nth(index).locator(".output_area")

    def py(self, expr: str) -> str:
        """Print `expr` in a new cell and return what it printed (stripped)."""
        output = self.run(f"print({expr})")
        return output.locator(".output_stdout").first.inner_text(timeout=TIMEOUT).strip()
