"""Every example in docs/ and README.md runs, and the site builds with `mkdocs build --strict`.

How a page is run (one fresh subprocess per page, in an empty temporary directory):

- A fenced block with a title (```` ```js title="counter.js" ````) is a file: it is written to that
  path, relative to the page's directory, when the run reaches it. Titled Python files are
  compiled, not run; `src/` and the page directory are on `sys.path`, standing in for
  `pip install -e .`.
- Every other ```` ```python ```` block is a notebook cell. The cells of a page run in order, in one
  IPython shell (so `%load_ext`, `%%vfile` and `%env` work), with `comm.create_comm` routed to
  `esmwidget.testing`'s fake comms: no kernel, no browser.
- Titled files named `test_*.py` are then run with pytest, with esmwidget's `comms` fixture.
- Every `_esm` a page sends, and every ```` ```js ```` block, must parse as an ES module
  (`node --check` on a `.mjs` file).

`<!-- skip-test -->` on the line before a fence skips that block; keep it for things that cannot run
here, and use ```` ```sh ```` or ```` ```text ```` fences for anything that is not Python.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
PAGES = [*sorted(DOCS.rglob("*.md")), REPO / "README.md"]
SKIP_MARK = "<!-- skip-test -->"
NODE = shutil.which("node")
MKDOCS = Path(sys.executable).with_name("mkdocs")

FENCE = re.compile(
    r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)\n"
    r"(?P<body>.*?)\n"
    r"(?P=indent)(?P=fence)[ ]*$",
    re.MULTILINE | re.DOTALL,
)
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class Block:
    """One fenced code block of a page."""

    page: Path
    line: int
    lang: str
    title: str | None
    code: str
    skip: bool

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"


def blocks_of(page: Path) -> list[Block]:
    """The fenced blocks of `page` in order (indented ones too, as inside admonitions)."""
    text = page.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        info = match["info"].strip().strip("{}").strip()
        lang = info.split()[0].lstrip(".").lower() if info else ""
        attributes = dict(ATTRIBUTE.findall(info))
        before = text[: match.start()].rstrip().splitlines()
        indent = len(match["indent"])
        body = "\n".join(line[indent:] for line in match["body"].split("\n"))
        found.append(
            Block(
                page=page,
                line=text.count("\n", 0, match.start()) + 1,
                lang=lang,
                title=attributes.get("title"),
                code=textwrap.dedent(body) + "\n",
                skip=bool(before) and before[-1].strip() == SKIP_MARK,
            )
        )
    return found


def is_js(block: Block) -> bool:
    return block.lang in {"js", "javascript", "mjs"}


def steps_of(page: Path) -> list[dict[str, object]]:
    """What the driver does for `page`: write titled blocks as files, run Python blocks as cells."""
    steps: list[dict[str, object]] = []
    for block in blocks_of(page):
        if block.skip:
            continue
        if block.title is not None:
            steps.append(
                {"kind": "file", "path": block.title, "text": block.code, "line": block.line}
            )
        elif block.lang == "python":
            steps.append({"kind": "cell", "code": block.code, "line": block.line})
    return steps


RUNNABLE = [page for page in PAGES if any(s["kind"] == "cell" for s in steps_of(page))]
JS_BLOCKS = [b for page in PAGES for b in blocks_of(page) if is_js(b) and not b.skip]

# Runs inside the page's subprocess. Written out as a file so tracebacks show real line numbers.
DRIVER = """
import importlib
import json
import os
import sys
import warnings
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

from esmwidget.testing import FakeComm, install_fake_comms

plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
sys.path[:0] = [os.getcwd(), os.path.join(os.getcwd(), "src")]
patch = pytest.MonkeyPatch()
install_fake_comms(patch)

# Record every module a widget sends, including through comms a page installs itself.
modules = []
publish = FakeComm.publish_msg


def recording(self, msg_type, data=None, *args, **kwargs):
    state = (data or {}).get("state")
    if isinstance(state, dict) and isinstance(state.get("_esm"), str):
        modules.append(state["_esm"])
    return publish(self, msg_type, data, *args, **kwargs)


patch.setattr(FakeComm, "publish_msg", recording)
shell = InteractiveShell.instance(colors="nocolor")
warnings.simplefilter("error")  # an example that warns is a broken example

for step in plan["steps"]:
    where = plan["page"] + ":" + str(step["line"])
    if step["kind"] == "file":
        path = Path(step["path"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(step["text"], encoding="utf-8")
        if path.suffix == ".py":
            compile(step["text"], where, "exec")
        importlib.invalidate_caches()
        continue
    print("--- cell at " + where, flush=True)
    result = shell.run_cell(step["code"], store_history=True)
    if not result.success:
        print("FAILED: the cell at " + where, file=sys.stderr, flush=True)
        sys.exit(1)

Path("esm-sent.json").write_text(json.dumps(modules), encoding="utf-8")
"""


def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"ANYWIDGET_HMR", "ESMWIDGET_HMR"}}
    env.update(
        IPYTHONDIR=str(tmp_path / ".ipython"),
        PYTHONPATH=os.pathsep.join([str(tmp_path / "page"), str(tmp_path / "page" / "src")]),
        NO_COLOR="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("PYTEST_ADDOPTS", None)
    return env


def check_module(source: str, where: str, tmp_path: Path) -> None:
    """Fail unless `source` parses as an ES module."""
    assert NODE is not None
    path = tmp_path / "check.mjs"
    path.write_text(source, encoding="utf-8")
    proc = subprocess.run(
        [NODE, "--check", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, f"{where}: not a valid ES module:\n{proc.stderr}\n{source}"


@pytest.mark.parametrize("page", RUNNABLE, ids=lambda p: str(p.relative_to(REPO)))
def test_page_examples_run(page: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "page"
    (workdir / "src").mkdir(parents=True)  # on sys.path from the start, like an editable install
    name = str(page.relative_to(REPO))
    steps = steps_of(page)
    (tmp_path / "plan.json").write_text(json.dumps({"page": name, "steps": steps}))
    (tmp_path / "driver.py").write_text(DRIVER)
    env = clean_env(tmp_path)
    proc = subprocess.run(
        [sys.executable, str(tmp_path / "driver.py"), str(tmp_path / "plan.json")],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert proc.returncode == 0, f"{name}:\n{proc.stdout}\n{proc.stderr}"

    tests = [
        str(s["path"])
        for s in steps
        if s["kind"] == "file" and re.fullmatch(r"test_\w*\.py", Path(str(s["path"])).name)
    ]
    if tests:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", *tests],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert proc.returncode == 0, f"{name}: pytest on {tests}:\n{proc.stdout}\n{proc.stderr}"

    if NODE is None:
        pytest.skip("node is not installed: the modules the page sends were not parsed")
    for source in dict.fromkeys(json.loads((workdir / "esm-sent.json").read_text())):
        if not re.fullmatch(r"https?://\S+", source.strip()):
            check_module(source, f"{name}: a module sent by a widget", tmp_path)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("block", JS_BLOCKS, ids=lambda b: b.where)
def test_js_blocks_are_es_modules(block: Block, tmp_path: Path) -> None:
    check_module(block.code, block.where, tmp_path)


def test_skip_marks_sit_right_before_a_code_block() -> None:
    misplaced = []
    for page in PAGES:
        lines = page.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line.strip() != SKIP_MARK:
                continue
            after = [x for x in lines[number + 1 :] if x.strip()]
            if not after or not re.match(r"\s*(```|~~~)", after[0]):
                misplaced.append(f"{page.relative_to(REPO)}:{number + 1}")
    assert misplaced == []


def test_every_python_block_is_a_cell_or_a_file() -> None:
    """Nothing written as ```python is silently left out (only skip marks may do that)."""
    left_out = [
        b.where for page in PAGES for b in blocks_of(page) if b.lang in {"py", "pycon", "ipython"}
    ]
    assert left_out == [], "use ```python for code the docs test should run"


def test_block_extraction_understands_titles_indents_and_skip_marks(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# t\n\n"
        '```js title="w.js"\nexport default {};\n```\n\n'
        "!!! note\n\n    ```python\n    x = 1\n    if x:\n        y = 2\n    ```\n\n"
        "<!-- skip-test -->\n```python\n%%bash\n```\n",
        encoding="utf-8",
    )
    blocks = blocks_of(page)
    assert [(b.lang, b.title, b.code, b.skip) for b in blocks] == [
        ("js", "w.js", "export default {};\n", False),
        ("python", None, "x = 1\nif x:\n    y = 2\n", False),
        ("python", None, "%%bash\n", True),
    ]


def test_docs_build_strict(tmp_path: Path) -> None:
    if not MKDOCS.exists():
        pytest.skip(f"mkdocs is not installed next to {sys.executable}: pip install -e '.[docs]'")
    proc = subprocess.run(
        [str(MKDOCS), "build", "--strict", "-f", str(REPO / "mkdocs.yml"), "-d", str(tmp_path)],
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    # The notebook page's kernel says it runs over TCP: a kernel's note, not a build warning.
    warnings = [
        line for line in output.splitlines() if "WARNING" in line and "[IPKernelApp]" not in line
    ]
    assert warnings == [], output
    assert (tmp_path / "index.html").is_file()
