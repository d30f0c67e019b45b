"""The benchmark command runs end to end at tiny sizes; no timings are asserted."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {"import", "import_kernel", "construct", "set", "set_hold", "bytes", "close", "memory"}


def test_tiny_benchmark_run_writes_every_figure(tmp_path):
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--tiny", "--json", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr

    result = json.loads(out.read_text())
    assert set(result) >= {"machine", "settings", "missing", "results", "targets", "details"}
    assert result["settings"]["tiny"] is True
    assert {row["figure"] for row in result["results"]} == FIGURES
    rows = {(row["figure"], row["metric"]): row for row in result["results"]}
    for row in rows.values():
        assert set(row) >= {"figure", "metric", "esmwidget", "anywidget", "ratio"}
        if row["esmwidget"] is not None:
            assert set(row["esmwidget"]) == {"median", "min", "max", "runs"}
    # One comm_open per widget, one update per set, one update for a held block.
    size = result["settings"]["sizes"]["construct"]
    assert rows["construct", "messages"]["esmwidget"]["median"] == size
    assert rows["set", "messages"]["esmwidget"]["median"] == result["settings"]["sizes"]["set"]
    assert rows["set_hold", "messages"]["esmwidget"]["median"] == 1
    assert rows["memory", "alive_after_close"]["esmwidget"]["median"] == 0

    if importlib.util.find_spec("anywidget") is None:
        assert result["missing"] == ["anywidget"]
        assert rows["construct", "wall_ms"]["anywidget"] is None
        assert rows["construct", "wall_ms"]["ratio"] is None
    else:
        assert rows["construct", "messages"]["anywidget"]["median"] == 2 * size
