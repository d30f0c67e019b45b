"""Cell sources the browser tests type into notebooks (the core proofs)."""

# ruff: noqa: E501 - the ES modules are quoted as a user would paste them (the counter verbatim)

from __future__ import annotations

COUNTER_CLASS = '''import esmwidget, traitlets
class Counter(esmwidget.AnyWidget):
    _esm = """export default { render({ model, el }) { let b = document.createElement('button'); b.className='counter'; const show=()=>{b.textContent=`count is ${model.get('count')}`}; b.onclick=()=>{model.set('count', model.get('count')+1); model.save_changes();}; model.on('change:count', show); show(); el.append(b); } }"""
    _css = ".counter { color: rgb(0, 128, 128) }"
    count = traitlets.Int(0).tag(sync=True)
'''

COUNTER = COUNTER_CLASS + "w = Counter(); w"

# 10 MiB; byte i is i % 256, so byte 12345 is 57 and the last byte is 255.
BIG_BYTES = '''import esmwidget, traitlets
class Big(esmwidget.AnyWidget):
    _esm = """export default { render({ model, el }) {
  const d = model.get('data');
  const s = document.createElement('span'); s.className = 'big';
  s.textContent = [d instanceof DataView, d.byteLength, d.getUint8(12345), d.getUint8(d.byteLength - 1)].join(' ');
  el.append(s);
} }"""
    data = traitlets.Bytes(b"").tag(sync=True)
w = Big(data=bytes(range(256)) * (10 * 1024 * 1024 // 256)); w
'''
BIG_BYTES_LEN = 10 * 1024 * 1024

MESSAGES = '''import esmwidget, traitlets
from esmwidget.experimental import command
class Talk(esmwidget.AnyWidget):
    _esm = """export default { render({ model, el, experimental }) {
  const log = document.createElement('ul'); log.className = 'log';
  const add = (t) => { const li = document.createElement('li'); li.textContent = t; log.append(li); };
  model.on('msg:custom', (content, buffers) => {
    const text = buffers.length ? new TextDecoder().decode(buffers[0]) : '';
    add('py:' + JSON.stringify(content) + ':' + buffers.length + ':' + text);
  });
  const button = (cls, onclick) => { const b = document.createElement('button'); b.className = cls; b.textContent = cls; b.onclick = onclick; return b; };
  const call = async (name, arg) => {
    try {
      const [resp, bufs] = await experimental.invoke(name, arg);
      add(name + ':ok:' + JSON.stringify(resp) + ':' + bufs.length);
    } catch (e) {
      add(name + ':err:' + (e instanceof Error) + ':' + e.message);
    }
  };
  el.append(
    button('send', () => model.send({hello: 'from js'})),
    button('ping', () => call('ping', {x: 1})),
    button('boom', () => call('boom', {})),
    log,
  );
} }"""

    @command
    def ping(self, msg, buffers):
        return {"pong": msg}, []

    @command
    def boom(self, msg, buffers):
        raise ValueError("kaboom 123")

received = []
def on_custom(widget, content, buffers):
    print("python got", content)
    received.append(content)
w = Talk(); w.on_msg(on_custom); w
'''

SYNTAX_ERROR = '''import esmwidget, traitlets
class Broken(esmwidget.AnyWidget):
    _esm = """export default {
  render({ model, el }) {
    el.textContent = 'never';
    let x = ;
  }
};
"""
w = Broken(); w
'''
# The `;` after `let x =`: the module's line 4, which is the cell's line 6; column 13 (both
# 1-based, as editors count). The page names the cell (src/esmwidget/_widgets/origin.py).
SYNTAX_ERROR_POSITION = "line 6, column 13 of the cell"

THROWING_RENDER = '''import esmwidget, traitlets
class Thrower(esmwidget.AnyWidget):
    _esm = """export default { render({ model, el }) { throw new Error('render exploded 42'); } }"""
w = Thrower(); w
'''

FIXED_ESM = (
    'w._esm = "export default { render({ model, el }) { '
    "const s = document.createElement('span'); s.className = 'fixed'; "
    "s.textContent = 'fixed ' + model.get('_anywidget_id'); el.append(s); } }\""
)


def lifecycle_esm(gen: str) -> str:
    """An ESM whose initialize/render cleanups record themselves in `window.__cleanups`."""
    return (
        "export default {\n"
        "  initialize({ model }) {\n"
        f"    return () => {{ (window.__cleanups ||= []).push('init:{gen}'); }};\n"
        "  },\n"
        "  render({ model, el }) {\n"
        f"    const s = document.createElement('span'); s.className = 'gen'; s.textContent = '{gen}';\n"
        "    el.append(s);\n"
        f"    return () => {{ (window.__cleanups ||= []).push('render:{gen}'); }};\n"
        "  },\n"
        "};\n"
    )


LIFECYCLE = f'''import esmwidget, traitlets
V1 = """{lifecycle_esm("v1")}"""
V2 = """{lifecycle_esm("v2")}"""
class Life(esmwidget.AnyWidget):
    _esm = V1
w = Life(); w
'''

# Both widgets share this module; each class's stylesheet colours only its own element.
ASSET_ESM = """export default { render({ model, el }) {
  const s = document.createElement('span'); s.className = 'asset asset-' + model.get('src');
  s.textContent = 'from ' + model.get('src');
  el.append(s);
} }
"""
ASSET_CSS = {
    "path": ".asset-path { color: rgb(128, 0, 128) }\n",
    "url": ".asset-url { color: rgb(0, 0, 255) }\n",
}


def assets_cell(esm_url: str, css_url: str) -> str:
    """One widget whose _esm/_css are pathlib.Paths, one whose _esm/_css are http URLs."""
    return f"""import esmwidget, traitlets, pathlib
class FromPath(esmwidget.AnyWidget):
    _esm = pathlib.Path("asset_path.js")
    _css = pathlib.Path("asset_path.css")
    src = traitlets.Unicode("path").tag(sync=True)
class FromUrl(esmwidget.AnyWidget):
    _esm = {esm_url!r}
    _css = {css_url!r}
    src = traitlets.Unicode("url").tag(sync=True)
display(FromPath()); display(FromUrl())
"""


# -- hot reload ---------------------------------------------------------------------

# A counter whose label text comes from the file: `hmr_esm("beta")` shows "beta <count>".
_HMR_ESM = """export default {
  render({ model, el }) {
    const b = document.createElement('button');
    b.className = 'hmr';
    const show = () => { b.textContent = `LABEL ${model.get('count')}`; };
    b.onclick = () => { model.set('count', model.get('count') + 1); model.save_changes(); };
    model.on('change:count', show);
    show();
    el.append(b);
  },
};
"""


def hmr_esm(label: str) -> str:
    return _HMR_ESM.replace("LABEL", label)


def hmr_css(color: str) -> str:
    return f".hmr {{ color: {color} }}\n"


def hmr_class(js: str, css: str) -> str:
    """A class whose `_esm`/`_css` are files, defined (and one instance made) before HMR is on."""
    return f"""import os, pathlib, traitlets
import esmwidget
class W(esmwidget.AnyWidget):
    _esm = pathlib.Path({js!r})
    _css = pathlib.Path({css!r})
    count = traitlets.Int(0).tag(sync=True)
early = W()
"""


HMR_ON = "%env ANYWIDGET_HMR=1"
HMR_WIDGET = "w = W(); w"

# Sources.SYNTAX_ERROR's module as a file: the `;` after `let x =` is line 4, column 13.
HMR_SYNTAX_ERROR = """export default {
  render({ model, el }) {
    el.textContent = 'never';
    let x = ;
  }
};
"""

VFILE_CLASS_DEF = """import esmwidget, traitlets
class V(esmwidget.AnyWidget):
    _esm = "vfile:widget.js"
    count = traitlets.Int(0).tag(sync=True)
"""
VFILE_CLASS = VFILE_CLASS_DEF + "v = V(); v\n"


def vfile_cell(label: str) -> str:
    return "%%vfile widget.js\n" + hmr_esm(label)


# -- widgets from plain objects -----------------------------------------------------

# `button.obj` shows and increments `value`; `button.bad` sets a string into it; `span.seen`
# lists every value the view has shown, so a rejected value and its correction are both visible.
OBJECT_ESM = """export default { render({ model, el }) {
  const b = document.createElement('button'); b.className = 'obj';
  const seen = document.createElement('span'); seen.className = 'seen';
  const show = () => {
    const v = model.get('value');
    b.textContent = `value ${v}`;
    seen.textContent = (seen.textContent ? seen.textContent + ',' : '') + v;
  };
  b.onclick = () => { model.set('value', model.get('value') + 1); model.save_changes(); };
  const bad = document.createElement('button'); bad.className = 'bad'; bad.textContent = 'bad';
  bad.onclick = () => { model.set('value', 'oops'); model.save_changes(); };
  model.on('change:value', show);
  show();
  el.append(b, bad, seen);
} }"""

EVENTED_DATACLASS = f'''import esmwidget.experimental as ex
ESM = """{OBJECT_ESM}"""
@ex.dataclass(esm=ESM)
class Counter:
    value: int = 0
c = Counter(); c
'''

PYDANTIC_MODEL = f'''import pydantic
import esmwidget.experimental as ex
ESM = """{OBJECT_ESM}"""
@ex.widget(esm=ESM)
class Reading(pydantic.BaseModel):
    value: int = 0
r = Reading(); r
'''

# An evented dataclass whose module is the `%%vfile widget.js` cell (same counter as above).
VFILE_DATACLASS = """import esmwidget.experimental as ex
@ex.dataclass(esm="vfile:widget.js")
class P:
    count: int = 0
"""

# The page sends 40 MiB (byte i is i % 251): more than Jupyter Server takes in one websocket
# message (10 MiB), so the loader sends it in parts. Python says what it got.
UPLOAD = '''import esmwidget, hashlib, traitlets
class Upload(esmwidget.AnyWidget):
    _esm = """export default { render({ model, el }) {
  const b = document.createElement('button'); b.className = 'upload'; b.textContent = 'upload';
  const s = document.createElement('span'); s.className = 'uploaded';
  b.onclick = () => {
    const n = model.get('size'); const data = new Uint8Array(n);
    for (let i = 0; i < n; i++) data[i] = i % 251;
    model.set('data', new DataView(data.buffer)); model.save_changes();
  };
  model.on('change:received', () => { s.textContent = model.get('received'); });
  el.append(b, s);
} }"""
    data = traitlets.Bytes(b"").tag(sync=True)
    size = traitlets.Int(40 * 1024 * 1024).tag(sync=True)
    received = traitlets.Unicode("").tag(sync=True)

    @traitlets.observe("data")
    def _count(self, change):
        self.received = f"python got {len(change['new'])} bytes, sha256 {hashlib.sha256(change['new']).hexdigest()[:16]}"
u = Upload(); u
'''

# A DataView of part of a buffer: bytes 3..6 of [0..9]. JupyterLab's websocket serializer sends
# the whole buffer behind a view; the loader copies such views for the wire (js/src/wire.js).
PART_VIEW = '''import esmwidget, traitlets
class Slice(esmwidget.AnyWidget):
    _esm = """export default { render({ model, el }) {
  const b = document.createElement('button'); b.className = 'slice'; b.textContent = 'slice';
  b.onclick = () => {
    const all = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    model.set('data', new DataView(all.buffer, 3, 4)); model.save_changes();
  };
  el.append(b);
} }"""
    data = traitlets.Bytes(b"").tag(sync=True)
s = Slice(); s
'''
