"""Python's side of "output where you look": an observer that raises on a value the page set
leaves the value in place and prints its traceback (which the page shows below the widget), and
esmwidget's own log lines go to the kernel's log, never into a cell's output."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import traitlets

import esmwidget
from esmwidget.testing import FrontEnd


class Counter(esmwidget.AnyWidget):
    _esm = "export default {}"
    count = traitlets.Int(0).tag(sync=True)


def test_an_observer_that_raises_keeps_the_value_and_prints_its_traceback(comms, capsys):
    w = Counter()
    seen = []

    def fails(change):
        seen.append(change["new"])
        raise ValueError("boom at " + str(change["new"]))

    w.observe(fails, "count")
    page = FrontEnd(w)
    page.set(count=3)
    assert w.count == 3
    assert seen == [3]
    assert page.refused == []  # the page's value was fine: nothing to refuse
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "ValueError: boom at 3" in err
    page.set(count=4)  # and the widget goes on
    assert w.count == 4


def test_a_cross_validation_that_fails_is_still_a_refusal(comms):
    class Even(esmwidget.AnyWidget):
        _esm = "export default {}"
        count = traitlets.Int(0).tag(sync=True)

        @traitlets.validate("count")
        def _even(self, proposal):
            if proposal["value"] % 2:
                raise traitlets.TraitError("count must be even")
            return proposal["value"]

    w = Even()
    page = FrontEnd(w)
    page.set(count=3)
    assert w.count == 0
    assert [r["reason"] for r in page.refused] == ["count must be even"]


def test_log_lines_go_to_the_kernels_own_stderr_not_the_cells():
    # In a kernel, sys.stderr is the stream of the message being handled; sys.__stderr__ is the
    # process's. A line logged from any thread must not land in a cell.
    script = textwrap.dedent(
        """
        import io, logging, sys
        import esmwidget
        cell = io.StringIO()
        sys.stderr = cell
        logging.getLogger("esmwidget").warning("esmwidget: a hot reload note")
        sys.stdout.write("cell got: " + repr(cell.getvalue()))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == "cell got: ''"
    assert "esmwidget: a hot reload note" in done.stderr
