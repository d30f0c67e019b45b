"""The proof in a real JupyterLab page: plain Python objects displayed and synced as widgets.

A psygnal evented dataclass (`esmwidget.experimental.dataclass`) follows Python changes by
itself; a plain pydantic v2 model (`esmwidget.experimental.widget`) emits no events, so its
Python changes are pushed with `obj._repr_mimebundle_.send_state()`. In both, a value the front
end sends that fails the object's validation is refused and the view gets Python's value back.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from . import sources
from .notebook import Cell, Notebook

pytestmark = pytest.mark.e2e

OpenNotebook = Callable[..., Notebook]


def clicks_reach_python(nb: Notebook, cell: Cell, name: str) -> None:
    """Three clicks on `button.obj`: the DOM counts up and `<name>.value` is 3 in Python."""
    button = cell.output.locator("button.obj")
    expect(button).to_have_text("value 0")
    for n in (1, 2, 3):
        button.click()
        expect(button).to_have_text(f"value {n}")
    assert nb.py(f"{name}.value") == "3"


def invalid_value_is_refused(nb: Notebook, cell: Cell, name: str) -> None:
    """`button.bad` sets a string into the int field: Python keeps 7, the view shows 7 again."""
    cell.output.locator("button.bad").click()
    # The view showed the bad value, then Python's correction (not merely "never changed").
    expect(cell.output.locator("span.seen")).to_have_text("0,1,2,3,7,oops,7")
    expect(cell.output.locator("button.obj")).to_have_text("value 7")
    assert nb.py(f"{name}.value, type({name}.value).__name__") == "7 int"


def test_evented_dataclass_syncs_both_ways(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(sources.EVENTED_DATACLASS)
    clicks_reach_python(nb, cell, "c")

    # Python -> front end through the dataclass's psygnal events: a plain assignment.
    nb.run("c.value = 7")
    expect(cell.output.locator("button.obj")).to_have_text("value 7")

    invalid_value_is_refused(nb, cell, "c")
    # Still live after the refusal.
    cell.output.locator("button.obj").click()
    expect(cell.output.locator("button.obj")).to_have_text("value 8")
    assert nb.py("c.value") == "8"


def test_pydantic_model_syncs_both_ways(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(sources.PYDANTIC_MODEL)
    # A plain pydantic model emits no events: esmwidget says so when it is first displayed.
    expect(cell.output).to_contain_text("will not reach the front end")
    clicks_reach_python(nb, cell, "r")

    # Python -> front end needs an explicit push.
    nb.run("r.value = 7\nr._repr_mimebundle_.send_state()")
    expect(cell.output.locator("button.obj")).to_have_text("value 7")

    invalid_value_is_refused(nb, cell, "r")
    cell.output.locator("button.obj").click()
    expect(cell.output.locator("button.obj")).to_have_text("value 8")
    assert nb.py("r.value") == "8"
