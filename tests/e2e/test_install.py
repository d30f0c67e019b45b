"""The labextension the pages load is the one installed in the venv."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from .server import REPO, JupyterServer

pytestmark = pytest.mark.e2e


def test_labextension_list_shows_esmwidget_enabled(jupyter_server: JupyterServer) -> None:
    version = json.loads((REPO / "package.json").read_text())["version"]
    jupyter = Path(sys.executable).parent / "jupyter"
    out = subprocess.run(
        [str(jupyter), "labextension", "list"],
        env=jupyter_server.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.stdout + out.stderr)  # drop colours
    assert out.returncode == 0, text
    assert re.search(rf"esmwidget v{re.escape(version)} enabled\s+OK", text), text


@pytest.mark.parametrize("route", ["/lab", "/tree"])
def test_page_config_offers_esmwidget(jupyter_server: JupyterServer, route: str) -> None:
    """The Lab and Notebook 7 pages both list the federated extension in their page config."""
    req = urllib.request.Request(
        jupyter_server.url + route, headers={"Authorization": f"token {jupyter_server.token}"}
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        html = r.read().decode()
    m = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert m, html[:2000]
    config = json.loads(m.group(1))
    names = [e["name"] for e in config["federated_extensions"]]
    assert "esmwidget" in names, names
    ext = next(e for e in config["federated_extensions"] if e["name"] == "esmwidget")
    assert ext.get("extension"), ext
