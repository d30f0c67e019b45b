import subprocess
import sys

import pytest
import traitlets

import esmwidget
from esmwidget.testing import FrontEnd


def test_widget_trait_both_directions(comms):
    class Card(esmwidget.AnyWidget):
        body = esmwidget.WidgetTrait()

    child, other = esmwidget.AnyWidget(), esmwidget.AnyWidget()
    card = Card(body=child)
    assert comms[2].sent[0].data["state"]["body"] == f"IPY_MODEL_{child.model_id}"
    card.body = other
    assert comms[2].messages()[-1]["state"] == {"body": f"IPY_MODEL_{other.model_id}"}
    FrontEnd(card).set(body=f"anywidget:{child.model_id}")
    assert card.body is child


def test_widget_trait_refuses_non_widgets(comms):
    class Card(esmwidget.AnyWidget):
        body = esmwidget.WidgetTrait()

    with pytest.raises(traitlets.TraitError, match="a widget"):
        Card(body=3)


def _run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_alias_makes_anywidget_imports_resolve_to_esmwidget():
    code = """
from esmwidget.compat import install_anywidget_alias
install_anywidget_alias()
import anywidget, esmwidget, sys, traitlets
from anywidget.experimental import command

class W(anywidget.AnyWidget):
    x = traitlets.Int(0).tag(sync=True)

print(issubclass(W, esmwidget.AnyWidget), W()._model_module, "ipywidgets" in sys.modules,
      callable(command), anywidget.WidgetTrait is esmwidget.WidgetTrait)
"""
    result = _run(code)
    assert result.stdout.strip() == "True esmwidget False True True", result.stderr


def test_alias_after_the_real_anywidget_raises_a_clear_error():
    result = _run(
        "import sys, types; sys.modules['anywidget'] = types.ModuleType('anywidget');"
        "from esmwidget.compat import install_anywidget_alias; install_anywidget_alias()"
    )
    assert result.returncode == 1
    assert "called after the real anywidget was imported" in result.stderr
    assert "Call it first" in result.stderr


def test_alias_serves_the_submodules_packages_import_and_explains_the_others():
    code = """
from esmwidget.compat import install_anywidget_alias
install_anywidget_alias()
install_anywidget_alias()
import sys, esmwidget
from anywidget.widget import AnyWidget
from anywidget._version import __version__
import anywidget.experimental
try:
    from anywidget._cellmagic import load_ipython_extension
except ModuleNotFoundError as error:
    err = error
print(AnyWidget is esmwidget.AnyWidget, __version__ == esmwidget.__version__,
      anywidget.experimental is esmwidget.experimental, err.name)
print(err)
finders = [f for f in sys.meta_path if type(f).__name__ == "_InternalsFinder"]
print(len(finders), "ipywidgets" in sys.modules)
"""
    result = _run(code)
    lines = result.stdout.splitlines()
    assert lines[0] == "True True True anywidget._cellmagic", result.stderr
    assert "install_anywidget_alias" in lines[1]
    assert "anywidget.widget" in lines[1]
    assert lines[2] == "1 False"


def test_alias_serves_the_anywidget_internals_published_packages_use(tmp_path):
    module = tmp_path / "widget.js"
    module.write_text("export default { render({ el }) { el.textContent = 'from a file'; } }")
    code = f"""
from esmwidget.compat import install_anywidget_alias
install_anywidget_alias()
import anywidget, traitlets
from anywidget._file_contents import FileContents
from anywidget._util import remove_buffers, put_buffers, try_file_contents, _WIDGET_MIME_TYPE
from anywidget._descriptor import MimeBundleDescriptor

class W(anywidget.AnyWidget):
    _esm = FileContents({str(module)!r}, start_thread=False)  # as packages write it

state, paths, buffers = remove_buffers({{"a": b"xy", "b": [1, b"z"]}})
put_buffers(state, paths, buffers)
print(W()._esm == {module.read_text()!r},
      state == {{"a": b"xy", "b": [1, b"z"]}}, paths,
      type(try_file_contents({str(module)!r})).__name__, try_file_contents("nope.js"),
      _WIDGET_MIME_TYPE, MimeBundleDescriptor is anywidget.experimental.MimeBundleDescriptor)
"""
    result = _run(code)
    assert result.stdout.split() == [
        "True", "True", "[['a'],", "['b',", "1]]", "FileContents", "None",
        "application/vnd.jupyter.widget-view+json", "True",
    ], result.stderr  # fmt: skip


def test_the_alias_has_a_spec_so_find_spec_works():
    # altair calls importlib.util.find_spec("anywidget") when it is imported.
    result = _run(
        "from esmwidget.compat import install_anywidget_alias\n"
        "install_anywidget_alias()\n"
        "import importlib.util\n"
        "print(importlib.util.find_spec('anywidget').name,"
        " importlib.util.find_spec('anywidget._util').name)"
    )
    assert result.stdout.split() == ["anywidget", "anywidget._util"], result.stderr


def test_the_test_environment_has_no_real_anywidget():
    # The alias tests prove what they claim only where `import anywidget` cannot find the real
    # package (scripts/setup.sh installs shinywidgets, which requires it, without dependencies).
    result = _run("import importlib.util; print(importlib.util.find_spec('anywidget'))")
    assert result.stdout.strip() == "None"
