"""Tests for {{class_name}} without a kernel or a browser.

`comms` comes from esmwidget's pytest plugin (installed with esmwidget): widgets
created in a test talk to a fake comm, and `FrontEnd` plays the browser's side of one
widget.
"""

from esmwidget.testing import FrontEnd

from {{module}} import {{class_name}}


def test_the_page_starts_from_the_python_state(comms):
    widget = {{class_name}}(count=2)
    assert FrontEnd(widget).state["count"] == 2


def test_a_click_reaches_python(comms):
    widget = {{class_name}}()
    # What the button does: model.set("count", 1); model.save_changes()
    FrontEnd(widget).set(count=1)
    assert widget.count == 1


def test_python_changes_reach_the_page(comms):
    widget = {{class_name}}()
    page = FrontEnd(widget)
    widget.count = 5
    page.sync()  # apply what the kernel sent since the last call
    assert page.state["count"] == 5


def test_the_module_and_stylesheet_are_sent(comms):
    {{class_name}}()
    state = comms[0].sent[0].data["state"]
    assert "count" in state["_esm"]
    assert ".{{module}}" in state["_css"]
