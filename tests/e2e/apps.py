"""Servers of other hosts (marimo, Panel, shiny, Solara) for the browser tests, and the files of
esmwidget's npm package as a CDN would serve them."""

from __future__ import annotations

import json
import subprocess
import tarfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .notebook import KERNEL_TIMEOUT
from .server import tail

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def running(command: list[str], ready: str, cwd: Path, env: dict[str, str]) -> Iterator[Path]:
    """Run `command` in `cwd` until the block ends (stopped by PID), once `ready` answers.

    Yields the path of its log; a failed start fails the test with the log's tail.
    """
    log_path = cwd / "server.log"
    name = Path(command[0]).name
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + KERNEL_TIMEOUT / 1000
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"{name} exited with {proc.returncode}:\n{tail(log_path)}")
                try:
                    urllib.request.urlopen(ready, timeout=60)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"{name} not ready at {ready}:\n{tail(log_path)}")
                    time.sleep(0.3)
            yield log_path
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)


def npm_pack(out: Path) -> Path:
    """The files of `npm pack`'s tarball of this checkout, unpacked in `out`; returns the folder."""
    packed = subprocess.run(
        ["npm", "pack", "--json", "--pack-destination", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    with tarfile.open(out / json.loads(packed.stdout)[0]["filename"]) as tar:
        tar.extractall(out, filter="data")
    return out / "package"
