"""The harness itself: plain cells run in JupyterLab and Notebook 7 (no widget code needed)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .notebook import Notebook

pytestmark = pytest.mark.e2e


def test_lab_runs_plain_cells(open_notebook: Callable[..., Notebook]) -> None:
    nb = open_notebook()
    cell = nb.run("print(1 + 1)")
    assert cell.output_text().strip() == "2"
    assert cell.execution_count == 1
    assert nb.py("sum(range(10))") == "45"
    # A multi-line cell survives the paste unchanged (no auto-indent, no closed brackets).
    nb.run("def f(x):\n    return [x, (x, {x: x})]\nres = f(3)")
    assert nb.py("res") == "[3, (3, {3: 3})]"


def test_notebook7_runs_plain_cells(open_notebook: Callable[..., Notebook]) -> None:
    nb = open_notebook(app="notebook")
    assert nb.py("1 + 1") == "2"
