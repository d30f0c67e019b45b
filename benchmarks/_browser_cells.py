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


# -- many views, streaming, 100 MiB --------------------------------------------------------------

# One small widget class shown many times in one cell: a button that counts its own clicks.
MANY_ESM = """export default { render({ model, el }) {
  const b = document.createElement('button'); b.className = 'many';
  const show = () => { b.textContent = `many ${model.get('i')}`; };
  b.onclick = () => { model.set('i', model.get('i') + 1); model.save_changes(); };
  model.on('change:i', show); show();
  el.append(b);
} }
"""


def many_setup_cell(package: str, *, shared: bool = False) -> str:
    esm = "export const shareModule = true;\n" + MANY_ESM if shared else MANY_ESM
    return f"""import traitlets
import {package} as pkg
from IPython.display import display
class Many(pkg.AnyWidget):
    _esm = {esm!r}
    i = traitlets.Int(0).tag(sync=True)
"""


def many_cell(count: int) -> str:
    """`count` widgets of one class, displayed by one cell (one output each)."""
    return f"many = [Many(i=i * 1000) for i in range({count})]; display(*many)"


def html_cell(count: int) -> str:
    """The same number of outputs without any widget: one HTML button each."""
    return (
        "display(*[HTML(f'<button class=\"many\">many {i * 1000}</button>') "
        f"for i in range({count})])"
    )


# A view that shows the last value of a trait Python sets in a loop, and counts what it saw.
STREAM_ESM = """export default { render({ model, el }) {
  const s = document.createElement('span'); s.className = 'stream';
  const show = () => { s.textContent = `value ${model.get('value')}`; window.__stream_seen = (window.__stream_seen ?? 0) + 1; };
  model.on('change:value', show); s.textContent = `value ${model.get('value')}`;
  el.append(s);
} }
"""


def stream_setup_cell(package: str) -> str:
    """`Stream` and `pace(obj, n, rate)`: set `obj.value` to 1..n at `rate` per second.

    `pace` returns the loop's wall and CPU seconds and the wall clock after the last set; on a
    plain `HasTraits` it gives the loop's cost without any widget.
    """
    return f"""import time, traitlets
import {package} as pkg
class Stream(pkg.AnyWidget):
    _esm = {STREAM_ESM!r}
    value = traitlets.Int(0).tag(sync=True)
class Plain(traitlets.HasTraits):
    value = traitlets.Int(0)
def pace(obj, n, rate):
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(1, n + 1):
        obj.value = i
        delay = t0 + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
    return time.perf_counter() - t0, time.process_time() - c0, time.time()
stream = Stream(); stream
"""


def stream_cell(count: int, rate: int) -> str:
    return f"streamed = pace(stream, {count}, {rate})"


def plain_cell(count: int, rate: int) -> str:
    return f"baseline = pace(Plain(), {count}, {rate})"


# Bytes both ways: Python sets `data`; the button sends `size` bytes, every one `k`, from the page.
BIG_ESM = """export default { render({ model, el }) {
  const bytes = document.createElement('span'); bytes.className = 'big-bytes';
  const button = document.createElement('button'); button.className = 'big-send'; button.textContent = 'send';
  const show = () => {
    const d = model.get('data');
    const n = d ? d.byteLength : 0;
    bytes.textContent = n ? `bytes ${n} ${new Uint8Array(d.buffer, d.byteOffset, n)[0]}` : 'bytes 0';
  };
  button.onclick = () => {
    const k = model.get('k') + 1;
    model.set('data', new DataView(new Uint8Array(model.get('size')).fill(k).buffer));
    model.set('k', k);
    model.save_changes();
  };
  model.on('change:data', show); show();
  el.append(button, bytes);
} }
"""


def big_setup_cell(package: str, size: int) -> str:
    """`Huge`; `got[k]` is (wall clock, length, peak) when Python has the page's k-th payload,
    `peak()` the kernel's peak resident memory (MiB) so far and `base` that peak at the start."""
    return f"""import resource, time, traitlets
import {package} as pkg
def as_bytes(value, widget):
    # ipywidgets (so anywidget) hands a Bytes trait a memoryview, which it rejects; esmwidget
    # hands it bytes, which bytes() returns as is.
    return bytes(value)
class Huge(pkg.AnyWidget):
    _esm = {BIG_ESM!r}
    data = traitlets.Bytes(b"").tag(sync=True, from_json=as_bytes)
    size = traitlets.Int({size}).tag(sync=True)
    k = traitlets.Int(0).tag(sync=True)

    @traitlets.observe("data")
    def _got(self, change):
        data = change["new"]
        if len(data) == self.size and data[0] < 100:  # the page's payloads; Python's are 100 + k
            got[data[0]] = (time.time(), len(data), peak())
got, sent, after = {{}}, {{}}, {{}}
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
base = peak()
huge = Huge(); huge
"""


def big_payload_cell(size: int, k: int) -> str:
    """Build a payload (every byte `100 + k`) before any timing; the kernel's peak before the set."""
    return f"Q = bytes([{100 + k}]) * {size}; before = peak(); len(Q)"


def big_set_cell(k: int) -> str:
    """Set the payload; `after[k]` is the kernel's peak once the message is sent."""
    return f"sent[{k}] = time.time(); huge.data = Q; after[{k}] = peak()"


# -- in the page ---------------------------------------------------------------------------------

# Installed with `context.add_init_script`, so it is there before JupyterLab starts.
# `arm(trigger, selector, text, style, count)` starts a MutationObserver on the whole document:
# `t1` is the first moment (performance.now) at which `selector` matches an element that is laid
# out (has a client rect) and, when `text` is given, whose textContent is exactly `text` (and,
# with `style` `[property, value]`, whose computed style has that value). With `count`, at least
# `count` elements must match and the last of them is the one checked. `t0` is the next
# Shift+Enter keydown (trigger "keydown") or click (trigger "click"), seen in the capture phase
# before any JupyterLab handler. `t1_epoch` is `t1` on the wall clock, for events that start
# outside the page (a kernel's `time.time()`, a file written by this process).
# `longest_task()` is the longest main-thread task (PerformanceObserver "longtask", 50 ms and
# more) between `t0` (or arming) and `t1`; `frames_start()`/`frames_stop()` count animation
# frames and the longest gap between two of them: how smooth the page stayed.
PAGE_HELPER = """
(() => {
  const bench = {
    t0: null, t1: null, t1_epoch: null, armed_at: null, trigger: null, selector: null,
    text: null, style: null, count: null, observer: null, tasks: [],
    check() {
      let el;
      if (this.count !== null) {
        const all = document.querySelectorAll(this.selector);
        if (all.length < this.count) return false;
        el = all[all.length - 1];
      } else {
        el = document.querySelector(this.selector);
      }
      if (!el || !el.isConnected) return false;
      if (this.text !== null && el.textContent !== this.text) return false;
      if (this.style !== null && getComputedStyle(el)[this.style[0]] !== this.style[1]) return false;
      return el.getClientRects().length > 0;
    },
    arm(trigger, selector, text, style = null, count = null) {
      if (this.observer) this.observer.disconnect();
      Object.assign(this, {
        t0: null, t1: null, t1_epoch: null, trigger, selector, text, style, count,
        armed_at: performance.now(),
      });
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
    longest_task() {
      const from = this.t0 ?? this.armed_at;
      const to = this.t1 ?? performance.now();
      let longest = 0;
      for (const t of this.tasks) {
        if (t.startTime + t.duration >= from && t.startTime <= to) longest = Math.max(longest, t.duration);
      }
      return longest;
    },
    frames: null,
    frames_start() {
      const f = { count: 0, last: performance.now(), gap: 0, on: true };
      const tick = (now) => {
        if (!f.on) return;
        f.count += 1; f.gap = Math.max(f.gap, now - f.last); f.last = now;
        requestAnimationFrame(tick);
      };
      this.frames = f;
      requestAnimationFrame(tick);
    },
    frames_stop() {
      const f = this.frames; f.on = false;
      return { frames: f.count, longest_gap_ms: Math.max(f.gap, performance.now() - f.last) };
    },
  };
  window.__bench = bench;
  try {
    new PerformanceObserver((list) => { bench.tasks.push(...list.getEntries()); })
      .observe({ type: 'longtask', buffered: true });
  } catch (e) { /* no long task timing: longest_task() stays 0 */ }
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
