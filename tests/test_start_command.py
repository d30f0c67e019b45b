"""The README's start command on a fresh clone: `bash scripts/lab.sh` installs only what
JupyterLab on the examples needs (a `.venv` under 450 MB), prints the address, and serves the
example notebooks there. Slow: a clone, an npm install and a pip install."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LIMIT = 450 * 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def size_of(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_symlink())


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_start_command_installs_little_and_serves_the_examples(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True, timeout=120)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    log = tmp_path / "lab.log"
    with log.open("w") as out:
        lab = subprocess.Popen(
            ["bash", "scripts/lab.sh", "--port", str(port)],
            cwd=clone,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # bash, pip, npm and jupyter stopped together
        )
        try:
            url = None
            deadline = time.monotonic() + 600
            while url is None:
                assert lab.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                lines = [line.strip() for line in log.read_text().splitlines()]
                url = next((line for line in lines if line.startswith("http://127.0.0.1")), None)
                time.sleep(0.5)
            assert url.startswith(f"http://127.0.0.1:{port}/lab/tree/counter.ipynb?token=")
            token = url.split("token=", 1)[1]
            listing = None
            while listing is None:
                assert time.monotonic() < deadline, log.read_text()
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/api/contents?token={token}", timeout=5
                    ) as response:
                        listing = json.load(response)
                except OSError:
                    time.sleep(0.5)
            names = {item["name"] for item in listing["content"]}
            assert {"counter.ipynb", "dataclass.ipynb", "live-editing.ipynb"} <= names
            with urllib.request.urlopen(url, timeout=10) as page:
                assert page.status == 200
            text = log.read_text()
            assert "== npm install" in text  # each slow step says what it does...
            assert "done in" in text  # ...and how long it took
            assert "[I " not in text  # no start-up banners (INFO lines) around the address
            assert size_of(clone / ".venv") < LIMIT
        finally:
            os.killpg(lab.pid, signal.SIGTERM)
            lab.wait(timeout=60)
