"""The core proofs in a real JupyterLab (and Notebook 7) page, driven as a user would."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from . import sources
from .notebook import Notebook

pytestmark = pytest.mark.e2e

OpenNotebook = Callable[..., Notebook]


def click_counter_to_3_and_back(nb: Notebook) -> None:
    """The counter flow: 3 clicks reach Python; a Python change reaches the DOM."""
    cell = nb.run(sources.COUNTER)
    button = cell.output.locator("button.counter")
    expect(button).to_have_text("count is 0")
    for n in (1, 2, 3):
        button.click()
        expect(button).to_have_text(f"count is {n}")
    assert nb.py("w.count") == "3"
    nb.run("w.count = 42")
    expect(button).to_have_text("count is 42")
    # The _css stylesheet applies to the rendered element.
    expect(button).to_have_css("color", "rgb(0, 128, 128)")


def test_counter_clicks_reach_python_and_python_reaches_dom(open_notebook: OpenNotebook) -> None:
    click_counter_to_3_and_back(open_notebook())


def test_counter_on_notebook7(open_notebook: OpenNotebook) -> None:
    nb = open_notebook(app="notebook")
    assert "/notebooks/" in nb.page.url
    assert nb.js("() => window.jupyterapp.name") == "Jupyter Notebook"
    click_counter_to_3_and_back(nb)


def test_two_views_of_one_widget_stay_in_sync(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(sources.COUNTER_CLASS + "w = Counter()\ndisplay(w)\ndisplay(w)")
    buttons = cell.output.locator("button.counter")
    expect(buttons).to_have_count(2)
    first, second = buttons.nth(0), buttons.nth(1)
    first.click()
    expect(first).to_have_text("count is 1")
    expect(second).to_have_text("count is 1")
    second.click()
    second.click()
    expect(first).to_have_text("count is 3")
    expect(second).to_have_text("count is 3")
    assert nb.py("w.count") == "3"


def test_10mb_bytes_trait_arrives_as_dataview(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(sources.BIG_BYTES, timeout=120_000)
    span = cell.output.locator("span.big")
    expect(span).to_have_text(f"true {sources.BIG_BYTES_LEN} 57 255", timeout=120_000)


def test_40mib_from_the_page_reaches_python_whole(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(sources.UPLOAD)
    cell.output.locator("button.upload").click()
    size = 40 * 1024 * 1024
    expected = hashlib.sha256((bytes(range(251)) * (size // 251 + 1))[:size]).hexdigest()[:16]
    # Python's observer saw every byte, and its answer came back over the same connection.
    expect(cell.output.locator("span.uploaded")).to_have_text(
        f"python got {size} bytes, sha256 {expected}", timeout=120_000
    )
    assert nb.py("len(u.data), u.data[12345], u.data[-1]") == f"{size} 46 {(size - 1) % 251}"
    assert nb.py("len(u._esmwidget_link.uploads.pending)") == "0"


def test_a_view_of_part_of_a_buffer_reaches_python_as_those_bytes(
    open_notebook: OpenNotebook,
) -> None:
    nb = open_notebook()
    cell = nb.run(sources.PART_VIEW)
    cell.output.locator("button.slice").click()
    assert nb.py("list(s.data)") == "[3, 4, 5, 6]"


def test_custom_messages_and_commands_both_ways(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(sources.MESSAGES)
    log = cell.output.locator("ul.log")
    cell.output.locator("button.send").wait_for()

    # JS -> Python: model.send reaches the on_msg callback.
    cell.output.locator("button.send").click()
    # The comm message and the next execute request share the shell channel, in order.
    assert nb.py("[c for c in received if 'hello' in c]") == "[{'hello': 'from js'}]"

    # Python -> JS: w.send with a buffer reaches model.on('msg:custom').
    nb.run('w.send({"n": 7}, buffers=[b"abc"])')
    expect(log.locator("li", has_text="py:")).to_have_text('py:{"n":7}:1:abc')

    # Commands: a result, then a Python exception as a rejected promise.
    cell.output.locator("button.ping").click()
    expect(log.locator("li", has_text="ping:")).to_have_text('ping:ok:{"pong":{"x":1}}:0')
    cell.output.locator("button.boom").click()
    boom = log.locator("li", has_text="boom:")
    expect(boom).to_contain_text("boom:err:true:")
    expect(boom).to_contain_text("ValueError")
    expect(boom).to_contain_text("kaboom 123")


def test_syntax_error_box_then_recovery_from_python(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(sources.SYNTAX_ERROR)
    box = cell.output.locator(".esmwidget-error")
    expect(box).to_be_visible()
    expect(box).to_contain_text("__main__.Broken")
    expect(box).to_contain_text("SyntaxError")
    expect(box.locator(".esmwidget-error-location")).to_have_text(sources.SYNTAX_ERROR_POSITION)
    count = cell.execution_count

    nb.run(sources.FIXED_ESM)
    expect(cell.output.locator("span.fixed")).to_have_text("fixed __main__.Broken")
    expect(box).to_have_count(0)
    assert cell.execution_count == count


def test_throwing_render_box_then_recovery_from_python(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(sources.THROWING_RENDER)
    box = cell.output.locator(".esmwidget-error")
    expect(box).to_be_visible()
    expect(box).to_contain_text("__main__.Thrower")
    expect(box).to_contain_text("Error: render exploded 42")
    count = cell.execution_count

    nb.run(sources.FIXED_ESM)
    expect(cell.output.locator("span.fixed")).to_have_text("fixed __main__.Thrower")
    expect(box).to_have_count(0)
    assert cell.execution_count == count


def cleanups(nb: Notebook) -> list[str]:
    return list(nb.js("() => window.__cleanups || []"))


def wait_cleanups(nb: Notebook, *expected: str) -> list[str]:
    """Wait until every expected label is in window.__cleanups; return the whole list."""
    try:
        nb.wait_js("(exp) => exp.every(x => (window.__cleanups || []).includes(x))", list(expected))
    except Exception as e:
        msg = f"cleanups {expected} not all called; window.__cleanups = {cleanups(nb)}"
        raise AssertionError(msg) from e
    return cleanups(nb)


def test_cleanups_run_on_rerender_clear_output_and_close(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    first = nb.run(sources.LIFECYCLE)
    expect(first.output.locator("span.gen")).to_have_text("v1")
    assert cleanups(nb) == []

    # HMR-style replacement: the old generation's cleanups run, the view re-renders.
    nb.run("w._esm = V2")
    expect(first.output.locator("span.gen")).to_have_text("v2")
    got = wait_cleanups(nb, "render:v1", "init:v1")
    assert "render:v2" not in got
    assert "init:v2" not in got

    # Clear Output removes the view: its render cleanup runs, the model lives on.
    nb.js("() => { window.__cleanups = []; }")
    first.clear_output()
    assert wait_cleanups(nb, "render:v2") == ["render:v2"]

    # Display again, then close(): the view's and the model's cleanups run.
    again = nb.run("w")
    expect(again.output.locator("span.gen")).to_have_text("v2")
    nb.js("() => { window.__cleanups = []; }")
    nb.run("w.close()")
    assert sorted(wait_cleanups(nb, "render:v2", "init:v2")) == ["init:v2", "render:v2"]


def test_reload_restores_live_widget(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(sources.COUNTER)
    button = cell.output.locator("button.counter")
    button.click()
    expect(button).to_have_text("count is 1")
    nb.save()
    nb.reload()
    # The saved output holds only a model id: the view comes from the live kernel's state.
    button = nb.cell(0).output.locator("button.counter")
    expect(button).to_have_text("count is 1")
    button.click()
    expect(button).to_have_text("count is 2")
    assert nb.py("w.count") == "2"


def test_esm_and_css_from_path_and_url(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    for kind, css in sources.ASSET_CSS.items():
        (nb.server.root / f"asset_{kind}.js").write_text(sources.ASSET_ESM)
        (nb.server.root / f"asset_{kind}.css").write_text(css)
    # The URLs point at the same Jupyter server's /files/ (cookie auth): 127.0.0.1 only.
    files = f"{nb.server.url}/files"
    cell = nb.run(sources.assets_cell(f"{files}/asset_url.js", f"{files}/asset_url.css"))
    spans = cell.output.locator("span.asset")
    expect(spans).to_have_text(["from path", "from url"])
    # A URL stylesheet is a <link> that loads on its own time: wait for the computed colour.
    expect(spans.nth(0)).to_have_css("color", "rgb(128, 0, 128)")
    expect(spans.nth(1)).to_have_css("color", "rgb(0, 0, 255)")


def test_first_render_sees_state_set_right_after_construction(open_notebook: OpenNotebook) -> None:
    """Python sets a trait right after the widget is made; every view's first render sees it."""
    nb = open_notebook()
    cell = nb.run(
        "import esmwidget, traitlets\n"
        "class Panels(esmwidget.AnyWidget):\n"
        '    _esm = """export default { render({ model, el }) {\n'
        "  const s = document.createElement('span'); s.className = 'first';\n"
        "  s.textContent = JSON.stringify(model.get('v')); el.append(s);\n"
        '} }"""\n'
        "    v = traitlets.Dict().tag(sync=True)\n"
        "for _ in range(12):\n"
        "    w = Panels()\n"
        "    w.v = {'v': 1}\n"
        "    display(w)\n"
    )
    first = cell.output.locator("span.first")
    expect(first).to_have_count(12)
    assert first.all_inner_texts() == ['{"v":1}'] * 12


def test_a_raising_python_callback_shows_in_the_cell(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(
        "import esmwidget\n"
        "class Asker(esmwidget.AnyWidget):\n"
        '    _esm = """export default { render({ model, el }) {\n'
        "  const b = document.createElement('button');\n"
        "  b.className = 'ask'; b.textContent = 'ask';\n"
        "  b.onclick = () => model.send({ q: 1 }); el.append(b);\n"
        '} }"""\n'
        "    def _handle_custom_msg(self, content, buffers):\n"
        "        raise KeyError('answer')\n"
        "w = Asker(); w"
    )
    cell.output.locator("button.ask").click()
    box = cell.output.locator(".esmwidget-error")
    expect(box).to_contain_text("a Python message handler failed")
    expect(box).to_contain_text("Asker._handle_custom_msg raised KeyError: 'answer'")
    expect(cell.output.locator("button.ask")).to_be_visible()  # the widget keeps working


SLIPS = (
    "import esmwidget, traitlets\n"
    "class Slips(esmwidget.AnyWidget):\n"
    '    _esm = """export default { render({ model, el }) {\n'
    "  const b = document.createElement('button'); b.className = 'slip';\n"
    "  const show = () => {\n"
    "    b.textContent = `count is ${model.get('count')}, cout is ${model.get('cout')}`;\n"
    "  };\n"
    "  show(); model.on('change:count', show);\n"
    "  b.onclick = () => {\n"
    "    model.set('count', 'five'); model.set('total', 1); model.save_changes();\n"
    "  };\n"
    "  el.append(b);\n"
    '} }"""\n'
    "    count = traitlets.Int(3).tag(sync=True)\n"
    "    total = traitlets.Int(0)  # forgot .tag(sync=True)\n"
    "s = Slips(); s"
)


def test_beginner_mistakes_explain_themselves(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    console: list[str] = nb.page.console_messages_e2e  # type: ignore[attr-defined]
    # A correct widget, clicked and changed from Python, says nothing.
    click_counter_to_3_and_back(nb)
    assert [line for line in console if "[esmwidget]" in line] == []

    cell = nb.run(SLIPS)
    button = cell.output.locator("button.slip")
    expect(button).to_have_text("count is 3, cout is undefined")
    # The misspelled key is named in the browser console, once, with the key it meant.
    misspelled = [line for line in console if 'model.get("cout") is undefined' in line]
    assert len(misspelled) == 1, console
    assert misspelled[0].startswith("[warning]")
    assert 'Did you mean "count"?' in misspelled[0]

    button.click()
    # Python kept its values, and the cell says why, above the widget, which keeps working.
    expect(button).to_have_text("count is 3, cout is undefined")
    note = cell.output.locator('.esmwidget-error[data-phase="sync"]')
    expect(note).to_contain_text("Python did not take a value from the page")
    expect(note).to_contain_text(
        "Python kept its value after model.set(\"count\", 'five'): The 'count' trait of a Slips "
        "instance expected an int, not the str 'five'."
    )
    expect(note).to_contain_text(
        'Python ignored model.set("total"): Slips.total is a trait without .tag(sync=True)'
    )
    assert nb.py("(s.count, s.total)") == "(3, 0)"
    said = "\n".join(console)
    assert "Python kept its value after model.set(\"count\", 'five')" in said
    assert 'Python ignored model.set("total")' in said
    note.locator("button.esmwidget-error-dismiss").click()
    expect(note).to_have_count(0)
    expect(button).to_be_visible()


TORN = (
    "import esmwidget, traitlets\n"
    "class Torn(esmwidget.AnyWidget):\n"
    '    _esm = """export default { render({ model, el }) {\n'
    "  const b = document.createElement('button'); b.className = 'torn';\n"
    "  const codes = (s) => [...s].map((c) => c.codePointAt(0).toString(16)).join(' ');\n"
    "  const show = () => {\n"
    "    b.textContent = `${codes(model.get('text'))} / ${typeof model.get('size')}`;\n"
    "  };\n"
    "  show(); model.on('change:text', show); model.on('change:size', show);\n"
    "  b.onclick = () => {\n"
    "    // half an emoji (a text cut at a fixed length), and a flag for a number\n"
    "    model.set('text', 'caf\\\\u{1F600}'.slice(0, 4)); model.set('size', true);\n"
    "    model.save_changes();\n"
    "  };\n"
    "  el.append(b);\n"
    '} }"""\n'
    "    text = traitlets.Unicode('ok').tag(sync=True)\n"
    "    size = traitlets.Float(2.0).tag(sync=True)\n"
    "t = Torn(); t"
)


def test_the_page_ends_with_what_python_kept(open_notebook: OpenNotebook) -> None:
    nb = open_notebook()
    cell = nb.run(TORN)
    button = cell.output.locator("button.torn")
    expect(button).to_have_text("6f 6b / number")
    button.click()
    # Python stored the torn text with U+FFFD and True as 1.0, and the view follows it.
    expect(button).to_have_text("63 61 66 fffd / number")
    assert nb.py("ascii(t.text), t.size") == "'caf\\ufffd' 1.0"
