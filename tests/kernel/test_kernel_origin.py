"""An inline module defined in a notebook cell reaches the page named after the cell line its
string starts on, so the page's errors count lines as the cell does (js/src/errors.js)."""

from __future__ import annotations

from .conftest import KernelPage


def test_an_inline_module_is_named_after_its_cell_line(kernel: KernelPage) -> None:
    messages = kernel.execute(
        '''
        import esmwidget

        class Placed(esmwidget.AnyWidget):
            _esm = """
        export default { render({ el }) { el.textContent = "x"; } };
        """

        placed = Placed()
        '''
    )
    (opened,) = [m for m in messages if m["msg_type"] == "comm_open"]
    esm = opened["content"]["data"]["state"]["_esm"]
    # The string opens on the cell's line 4 (IPython drops a cell's leading empty lines).
    assert esm.endswith("\n//# sourceURL=esmwidget:///cell/Placed._esm#L4\n"), esm
    assert kernel.stdout("print(repr(placed._esm))").strip() == repr(
        '\nexport default { render({ el }) { el.textContent = "x"; } };\n'
    )
