"""The counter from docs/index.md and the README, end to end in JupyterLab, with a screenshot."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .notebook import Notebook

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "images" / "counter.png"


def first_python_block(path: Path) -> str:
    match = re.search(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)
    assert match, f"{path} has no python block"
    return match.group(1)


@pytest.mark.parametrize("doc", ["docs/index.md", "README.md"])
def test_documented_counter_works_in_jupyterlab(
    open_notebook: Callable[..., Notebook], doc: str
) -> None:
    nb = open_notebook()
    code = first_python_block(ROOT / doc).rstrip()
    assert code.endswith("Counter()")
    cell = nb.run(code.removesuffix("Counter()") + "w = Counter()\nw")
    button = cell.output.locator("button")
    expect(button).to_have_text("count is 0")
    for n in (1, 2, 3):
        button.click()
        expect(button).to_have_text(f"count is {n}")
    assert nb.py("w.count") == "3"
    nb.run("w.count = 10")
    expect(button).to_have_text("count is 10")
    if doc == "docs/index.md":
        # The picture the docs show is taken from this run, so it never goes stale.
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        # Just the widget with a margin, not the cell: the page shows its code right above.
        box = button.bounding_box()
        assert box is not None
        margin = 6
        clip = {
            "x": box["x"] - margin,
            "y": box["y"] - margin,
            "width": box["width"] + 2 * margin,
            "height": box["height"] + 2 * margin,
        }
        nb.page.screenshot(path=str(SCREENSHOT), clip=clip)
