"""A real `jupyter lab` server on 127.0.0.1 in isolated folders, started and stopped by PID."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# JupyterLab settings written into the isolated settings folder.
SETTINGS = {
    # The "Would you like to receive official Jupyter news?" toast covers outputs;
    # `--LabApp.news_url=None` does not stop it, this does.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    # Keep every cell in the DOM so locators never race the virtual scroller.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def streamlit_command(script: str, port: int) -> list[str]:
    """`streamlit run script` on 127.0.0.1:`port`: headless, no usage statistics, and no watch of
    the app's files (esmwidget's own hot reload watches the widgets')."""
    return [
        str(Path(sys.executable).with_name("streamlit")),
        "run",
        script,
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
    ]


def tail(path: Path, lines: int = 80) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as e:
        return f"<cannot read {path}: {e}>"
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class JupyterServer:
    """One running server. `env` is the environment it (and its kernels) run with."""

    base: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    proc: subprocess.Popen[bytes] | None = None

    @property
    def root(self) -> Path:
        return self.base / "root"

    @property
    def log_path(self) -> Path:
        return self.base / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def page_url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path}{sep}token={self.token}"

    # -- environment -----------------------------------------------------------------
    def make_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
        for name, sub in [
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            # An isolated user data dir: no stray user kernelspec or labextension. The venv's
            # `<prefix>/share/jupyter` (labextensions/esmwidget, the python3 kernelspec) stays on
            # the path because the server runs the venv's python.
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTERLAB_SETTINGS_DIR", "settings"),
            ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
            ("IPYTHONDIR", "ipython"),
        ]:
            d = self.base / sub
            d.mkdir(parents=True, exist_ok=True)
            env[name] = str(d)
        env["PYTHONUNBUFFERED"] = "1"
        env.pop("PYTHONPATH", None)
        # The kernel must import the esmwidget under test. If the venv cannot import it (an
        # editable install without its .pth), point the kernel at this checkout's src/.
        probe = subprocess.run(
            [sys.executable, "-c", "import esmwidget"],
            env=env,
            capture_output=True,
            check=False,
            cwd=self.base,
        )
        if probe.returncode != 0:
            env["PYTHONPATH"] = str(REPO / "src")
        return env

    def write_settings(self, env: dict[str, str]) -> None:
        settings_dir = Path(env["JUPYTERLAB_SETTINGS_DIR"])
        for rel, value in SETTINGS.items():
            p = settings_dir / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(json.dumps(value))

    # -- lifetime --------------------------------------------------------------------
    def start(self, ready_timeout: float = 180.0) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.env = self.make_env()
        self.write_settings(self.env)
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--port-retries=0",
            f"--IdentityProvider.token={self.token}",
            "--allow-root",
            "--LabApp.expose_app_in_browser=True",
            "--JupyterNotebookApp.expose_app_in_browser=True",
            f"--ServerApp.root_dir={self.root}",
            "--ServerApp.open_browser=False",
        ]
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            cmd, stdout=self._log, stderr=subprocess.STDOUT, env=self.env, cwd=self.root
        )
        deadline = time.monotonic() + ready_timeout
        last_error = ""
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                msg = f"jupyter lab exited with {self.proc.returncode}\n{tail(self.log_path)}"
                raise RuntimeError(msg)
            try:
                status = self.api("GET", "/api/status", timeout=5)
                if isinstance(status, dict):
                    return
            except (OSError, urllib.error.URLError) as e:
                last_error = repr(e)
            time.sleep(0.5)
        self.stop()
        msg = f"jupyter lab not ready after {ready_timeout}s ({last_error})\n{tail(self.log_path)}"
        raise RuntimeError(msg)

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            # Shut kernels down through the API first, so none outlives the server.
            with contextlib.suppress(Exception):
                for k in self.api("GET", "/api/kernels", timeout=10):
                    self.api("DELETE", f"/api/kernels/{k['id']}", timeout=30)
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        self._log.close()
        self.proc = None

    # -- REST ------------------------------------------------------------------------
    def api(self, method: str, path: str, body: object = None, timeout: float = 30) -> object:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    def shutdown_kernels_for(self, path: str) -> None:
        """Stop the kernel of every session on `path` (keeps the 2-core machine free)."""
        sessions = self.api("GET", "/api/sessions", timeout=10)
        assert isinstance(sessions, list)
        for s in sessions:
            if s.get("path") == path:
                self.api("DELETE", f"/api/sessions/{s['id']}", timeout=30)

    def log_tail(self, lines: int = 80) -> str:
        return tail(self.log_path, lines)
