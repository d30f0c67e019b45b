"""What `browser.py` types into the notebooks, and the timing helper it puts into the page.

The same ES module and the same traits for both packages; only the import line differs.
"""

# ruff: noqa: E501 - ES modules are kept on the lines a user would paste

from __future__ import annotations

PACKAGES = ("esmwidget", "anywidget")
MIB = 1024 * 1024

# One widget for the cell-run, click and bytes figures. `div.bench[data-tag]` identifies the view;
# the button counts clicks into `count`, the kernel copies `count` into `echo`, and the last span
# shows the length and first byte of `data`.
ESM = """export default { render({ model, el }) {
  const box = document.createElement('div'); box.className = 'bench'; box.dataset.tag = model.get('tag');
  const button = document.createElement('button'); button.className = 'bench-count';
  const echo = document.createElement('span'); echo.className = 'bench-echo';
  const bytes = document.createElement('span'); bytes.className = 'bench-bytes';
  const showCount = () => { button.textContent = `count ${model.get('count')}`; };
  const showEcho = () => { echo.textContent = `echo ${model.get('echo')}`; };
  const showBytes = () => {
    const d = model.get('data');
    const n = d ? d.byteLength : 0;
    bytes.textContent = n ? `bytes ${n} ${new Uint8Array(d.buffer, d.byteOffset, n)[0]}` : 'bytes 0';
  };
  button.onclick = () => { model.set('count', model.get('count') + 1); model.save_changes(); };
  model.on('change:count', showCount); model.on('change:echo', showEcho); model.on('change:data', showBytes);
  showCount(); showEcho(); showBytes();
  box.append(button, echo, bytes);
  el.append(box);
} }
"""


def setup_cell(package: str) -> str:
    """Import the package, define `Bench`; `sent` collects kernel timestamps of trait sets."""
    return f"""import json, os, pathlib, time, traitlets
import {package} as pkg
ESM = {ESM!r}
class Bench(pkg.AnyWidget):
    _esm = ESM
    tag = traitlets.Unicode("").tag(sync=True)
    count = traitlets.Int(0).tag(sync=True)
    echo = traitlets.Int(-1).tag(sync=True)
    data = traitlets.Bytes(b"").tag(sync=True)

    @traitlets.observe("count")
    def _echo(self, change):
        self.echo = change["new"]

MIB = {MIB}
sent = {{}}
"""


def widget_cell(tag: str) -> str:
    return f'w_{tag} = Bench(tag="{tag}"); w_{tag}'


def payloads_cell(count: int, size: int) -> str:
    """`P[k]` is `size` bytes, every one of them `k + 1` (made before any timing)."""
    return f"P = [bytes([k + 1]) * {size} for k in range({count})]; len(P)"


def bytes_cell(tag: str, k: int) -> str:
    """Record the kernel's wall clock, then set the Bytes trait (one comm message, one buffer)."""
    return f"sent[{k}] = time.time(); w_{tag}.data = P[{k}]"


# -- hot reload ----------------------------------------------------------------------------------

HMR_ON = "%env ANYWIDGET_HMR=1"


def hmr_esm(label: str) -> str:
    return (
        "export default { render({ model, el }) { const b = document.createElement('button'); "
        f"b.className = 'hmr-bench'; b.textContent = '{label}'; el.append(b); }} }}\n"
    )


def hmr_css(blue: int) -> str:
    """The button's colour; `blue` makes each save's computed colour unique."""
    return f".hmr-bench {{ color: rgb(0, 0, {blue}); }}\n"


def hmr_cell(package: str, path: str, css: str) -> str:
    """Defined after `%env ANYWIDGET_HMR=1`: anywidget decides to watch when the class is made,
    esmwidget when the instance is."""
    return f"""import pathlib, traitlets
import {package} as pkg
class Hot(pkg.AnyWidget):
    _esm = pathlib.Path({path!r})
    _css = pathlib.Path({css!r})
hot = Hot(); hot
"""


# -- notebook size -------------------------------------------------------------------------------


def big_module_cell(package: str, module_bytes: int, instances: int) -> str:
    """`instances` widgets of one class whose `_esm` is `module_bytes` long, all displayed.

    The module is a small render function and a comment of pseudo-random letters (seeded, so
    both packages get the same text); the cell itself stays short.
    """
    return f"""import random, string, traitlets
import {package} as pkg
from IPython.display import display
_BODY = "export default {{ render({{ model, el }}) {{ const s = document.createElement('span'); s.className = 'big'; s.textContent = 'big ' + model.get('i'); el.append(s); }} }}\\n"
_PAD = "".join(random.Random(0).choices(string.ascii_letters, k={module_bytes} - len(_BODY) - 7))
_ESM = _BODY + "/* " + _PAD + " */\\n"
assert len(_ESM) == {module_bytes}
class Big(pkg.AnyWidget):
    _esm = _ESM
    i = traitlets.Int(0).tag(sync=True)
bigs = [Big(i=i) for i in range({instances})]
display(*bigs)
"""


# -- in the page ---------------------------------------------------------------------------------

# Installed with `context.add_init_script`, so it is there before JupyterLab starts.
# `arm(trigger, selector, text)` starts a MutationObserver on the whole document: `t1` is the first
# moment (performance.now) at which `selector` matches an element that is laid out (has a client
# rect) and, when `text` is given, whose textContent is exactly `text` (and, with `style`
# `[property, value]`, whose computed style has that value). `t0` is the next
# Shift+Enter keydown (trigger "keydown") or click (trigger "click"), seen in the capture phase
# before any JupyterLab handler. `t1_epoch` is `t1` on the wall clock, for events that start
# outside the page (a kernel's `time.time()`, a file written by this process).
PAGE_HELPER = """
(() => {
  const bench = {
    t0: null, t1: null, t1_epoch: null, trigger: null, selector: null, text: null, style: null,
    observer: null,
    check() {
      const el = document.querySelector(this.selector);
      if (!el || !el.isConnected) return false;
      if (this.text !== null && el.textContent !== this.text) return false;
      if (this.style !== null && getComputedStyle(el)[this.style[0]] !== this.style[1]) return false;
      return el.getClientRects().length > 0;
    },
    arm(trigger, selector, text, style = null) {
      if (this.observer) this.observer.disconnect();
      Object.assign(this, { t0: null, t1: null, t1_epoch: null, trigger, selector, text, style });
      if (this.check()) return 'already true';
      this.observer = new MutationObserver(() => {
        if (this.t1 === null && this.check()) {
          this.t1 = performance.now();
          this.t1_epoch = performance.timeOrigin + this.t1;
          this.observer.disconnect();
        }
      });
      // The whole document: stylesheets change in <head>.
      this.observer.observe(document.documentElement, {
        childList: true, subtree: true, characterData: true, attributes: true,
      });
      return 'armed';
    },
  };
  window.__bench = bench;
  document.addEventListener('keydown', (e) => {
    if (bench.trigger === 'keydown' && bench.t0 === null && e.key === 'Enter' && e.shiftKey) {
      bench.t0 = performance.now();
    }
  }, true);
  document.addEventListener('click', () => {
    if (bench.trigger === 'click' && bench.t0 === null) bench.t0 = performance.now();
  }, true);
})();
"""

# Bytes of each extension's files the page fetched (Resource Timing; same origin, so sizes are
# exposed).
RESOURCES = """(names) => {
  const out = {};
  for (const name of names) {
    const entries = performance.getEntriesByType('resource')
      .filter((e) => e.name.includes(`/lab/extensions/${name}/`));
    out[name] = {
      files: entries.map((e) => e.name.split('/').pop().split('?')[0]),
      decoded_bytes: entries.reduce((s, e) => s + e.decodedBodySize, 0),
      transfer_bytes: entries.reduce((s, e) => s + e.transferSize, 0),
    };
  }
  return out;
}"""
