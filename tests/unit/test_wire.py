"""The wire has one definition on each side, and the two agree: the loader's constants (read by
importing its modules in Node) equal the kernel's (src/esmwidget/_wire/protocol.py and friends)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from esmwidget._assets.assets import _URL
from esmwidget._assets.files import CSS_REFERENCE, REFERENCE
from esmwidget._pages import page as _page
from esmwidget._pages.page import FILES_MIME_TYPE
from esmwidget._sync.inbox import is_protected
from esmwidget._wire import protocol as _protocol

ROOT = Path(__file__).resolve().parents[2]
KEYS = ["_esm", "_css", "_anywidget_id", "_view_count", "_model_name", "_view_module", "count",
        "model_x", "_modelish", "esm", "_id"]  # fmt: skip

READ = """
const m = await import("./js/src/messages.js");
const model = await import("./js/src/model.js");
const load = await import("./js/src/load.js");
const saved = await import("./js/src/saved.js");
const page = await import("./js/src/page/index.js");
const files = await import("./js/src/files.js");
const keys = JSON.parse(process.argv[1]);
console.log(JSON.stringify({
  kinds: [m.COMMAND, m.COMMAND_RESPONSE, m.HMR_ERROR, m.HMR_OK, m.PYTHON_ERROR, m.REFUSED, m.PART,
          m.PARTS_KEY, m.FILE, m.FILE_RESPONSE],
  references: [m.IPY_MODEL, m.ANYWIDGET_REF],
  file_patterns: [files.REFERENCE.source, files.CSS_REFERENCE.source, page.FILES_MIME],
  url: { source: load.URL_PATTERN.source, flags: load.URL_PATTERN.flags },
  same_as: [saved.SAME_AS, saved.MIN_SHARED],
  protected: keys.map(model.is_protected),
  page: [page.STATE_MIME, page.VIEW_MIME, [...page.OWN_MODULES].sort()],
}));
"""


@pytest.fixture(scope="module")
def js() -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = f"(async () => {{ {READ} }})().catch((e) => {{ console.error(e); process.exit(1); }});"
    result = subprocess.run(
        [node, "--no-warnings", "-e", script, json.dumps(KEYS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_custom_message_kinds_agree(js):
    assert js["kinds"] == [
        _protocol.COMMAND_KIND,
        _protocol.COMMAND_RESPONSE_KIND,
        _protocol.HMR_ERROR_KIND,
        _protocol.HMR_OK_KIND,
        _protocol.PYTHON_ERROR_KIND,
        _protocol.REFUSED_KIND,
        _protocol.PART_KIND,
        _protocol.PARTS_KEY,
        _protocol.FILE_KIND,
        _protocol.FILE_RESPONSE_KIND,
    ]


def test_protected_keys_agree(js):
    assert js["protected"] == [is_protected(key) for key in KEYS]
    # Code, style and identity keys; the page's views count themselves in `_view_count`.
    assert js["protected"][:6] == [True, True, True, False, True, True]


def test_file_reference_patterns_agree(js):
    # The loader rewrites what these find; export_html carries what they find.
    assert js["file_patterns"] == [REFERENCE, CSS_REFERENCE, FILES_MIME_TYPE]


def test_reference_prefixes_agree(js):
    assert js["references"] == [_protocol.REFERENCE_PREFIX, _protocol.ANYWIDGET_REFERENCE_PREFIX]


def test_the_url_rule_agrees(js):
    assert re.compile(js["url"]["source"].replace("\\/", "/")).pattern == _URL.pattern
    assert ("i" in js["url"]["flags"]) == bool(_URL.flags & re.IGNORECASE)


def test_saved_text_references_agree(js):
    assert js["same_as"] == [_protocol.SAME_AS, _protocol.SAME_AS_MIN_LENGTH]


def test_the_page_runtime_reads_what_the_kernel_writes(js):
    state_mime, view_mime, modules = js["page"]
    assert (state_mime, view_mime) == (_protocol.STATE_MIME_TYPE, _protocol.VIEW_MIME_TYPE)
    assert modules == sorted(_page._OWN_MODULES)
