"""Build directories and chunked modules: relative imports become data: URLs; HMR follows them."""

import base64
import re
import time

import pytest
import traitlets

import esmwidget
from esmwidget._assets.bundle import BundleError, find_entry, load

from .test_hmr import esm_updates, wait_until

DATA_URL = re.compile(r"data:(?P<media>[\w/]+);base64,(?P<data>[A-Za-z0-9+/=]+)")


def data_urls(text):
    return [(m["media"], base64.b64decode(m["data"]).decode()) for m in DATA_URL.finditer(text)]


def write(directory, **files):
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name.replace("__", ".").replace("_", "-")).write_text(text)
    return directory


ENTRY = (
    'import { a } from "./chunk-a.js";\n'
    "export default { render({ el }) { el.textContent = a; } };\n"
)


def widget_class(value, name="Bundled"):
    return type(name, (esmwidget.AnyWidget,), {"_esm": value, "n": traitlets.Int(0).tag(sync=True)})


# -- inlining ---------------------------------------------------------------------------------


def test_a_module_without_relative_imports_is_synced_unchanged(tmp_path):
    text = (
        'import * as d3 from "https://esm.sh/d3@7";\nimport x from "react";\nexport default {};\n'
    )
    write(tmp_path, w__js=text)
    assert load(tmp_path / "w.js", stylesheet=False).text == text


def test_relative_imports_become_self_contained_data_urls(tmp_path):
    write(
        tmp_path,
        index__js=ENTRY + 'export const lazy = () => import("./lazy.js");\n',
        chunk_a__js='import { b } from "./chunk-b.js";\nexport const a = "A" + b;\n',
        chunk_b__js="export const b = 'B';\n",
        lazy__js="import{b as c}from'./chunk-b.js';export*from\"./chunk-b.js\";export const d=c;",
    )
    loaded = load(tmp_path / "index.js", stylesheet=False)
    assert "./" not in loaded.text
    assert loaded.files == {
        tmp_path / n for n in ("index.js", "chunk-a.js", "chunk-b.js", "lazy.js")
    }
    (media, chunk_a), (_, lazy) = data_urls(loaded.text)
    assert media == "text/javascript"
    assert chunk_a.startswith('import { b } from "data:text/javascript;base64,')
    assert chunk_a.endswith(f"//# sourceURL=esmwidget:///{tmp_path.name}/chunk-a.js\n")
    # The chunk both import is one URL, so the browser makes one module instance of it.
    b_urls = set(re.findall(r"data:text/javascript;base64,[A-Za-z0-9+/=]+", chunk_a + lazy))
    assert len(b_urls) == 1
    assert "export const b = 'B';" in data_urls(chunk_a)[0][1]


def test_json_imports_get_their_media_type(tmp_path):
    write(
        tmp_path,
        w__js='import data from "./data.json" with { type: "json" };\n',
        data__json='{"x": 1}',
    )
    [(media, text)] = data_urls(load(tmp_path / "w.js", stylesheet=False).text)
    assert (media, text) == ("application/json", '{"x": 1}')


def test_asset_urls_and_missing_files_are_left_as_written(tmp_path):
    text = (
        'const wasm = new URL("./lib.wasm", import.meta.url);\n'
        '// see also: import x from "./not-written-yet.js"\n'
        "export default {};\n"
    )
    write(tmp_path, w__js=text, lib__wasm="")
    loaded = load(tmp_path / "w.js", stylesheet=False)
    assert loaded.text == text
    # A chunk a rebuild has not written yet is still watched: its arrival refreshes the module.
    assert tmp_path / "not-written-yet.js" in loaded.files


def test_a_cycle_is_refused_with_the_cycle_named(tmp_path):
    write(
        tmp_path,
        w__js='import "./a.js";\n',
        a__js='import "./b.js";\n',
        b__js='import "./a.js";\n',
    )
    with pytest.raises(
        BundleError, match=r"cycle \(a\.js -> b\.js -> a\.js\).*Bundle into one file"
    ):
        load(tmp_path / "w.js", stylesheet=False)
    with pytest.raises(BundleError, match=r"Looped\._esm: .*w\.js: modules import each other"):
        widget_class(tmp_path / "w.js", "Looped")


# -- build directories ------------------------------------------------------------------------


def test_a_directory_is_its_entry_module_with_chunks(comms, tmp_path):
    dist = write(tmp_path / "dist", widget__js=ENTRY, chunk_a__js="export const a = 'A';\n")
    assert find_entry(dist) == dist / "widget.js"
    w = widget_class(dist)()
    assert w._esm.startswith('import { a } from "data:text/javascript;base64,')
    assert comms[0].sent[0].data["state"]["_esm"] == w._esm


def test_entry_rules_for_several_roots(tmp_path):
    dist = write(tmp_path / "dist", index__js="export default {};", other__js="export default {};")
    assert find_entry(dist) == dist / "index.js"
    (dist / "index.js").rename(dist / "first.js")
    with pytest.raises(
        BundleError, match=r"several entry modules \(first\.js, other\.js\).*pathlib\.Path\("
    ):
        find_entry(dist)
    empty = write(tmp_path / "empty")
    with pytest.raises(
        FileNotFoundError, match=r"Multi\._esm: .*empty has no \.js or \.mjs module"
    ):
        widget_class(empty, "Multi")


def test_a_css_directory_is_every_stylesheet_in_name_order(comms, tmp_path):
    dist = write(tmp_path / "dist", b__css=".b {}", a__css=".a {}", index__js="export default {};")
    cls = type("Styled", (esmwidget.AnyWidget,), {"_esm": dist, "_css": dist})
    assert cls()._css == "/* a.css */\n.a {}\n/* b.css */\n.b {}"


def test_a_missing_path_names_what_was_expected(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"existing file or build directory"):
        widget_class(tmp_path / "nope")


# -- hot reload of build directories (scripted watcher) ----------------------------------------


def test_a_rebuild_with_new_chunk_names_reaches_live_widgets(comms, scripted, tmp_path):
    dist = write(tmp_path / "dist", index__js=ENTRY, chunk_a__js="export const a = 'v1';\n")
    cls = widget_class(dist)
    w = cls(n=4)
    write(
        dist, index__js=ENTRY.replace("chunk-a", "chunk-c"), chunk_c__js="export const a = 'v2';\n"
    )
    scripted.changes.put({(1, str(dist / "chunk-c.js")), (2, str(dist / "index.js"))})
    wait_until(lambda: esm_updates(comms[0]))
    [(_, chunk)] = data_urls(w._esm)
    assert "'v2'" in chunk
    assert len(esm_updates(comms[0])) == 1  # one update for the whole batch
    assert w.n == 4
    assert cls()._esm == w._esm


def test_a_chunk_saved_in_place_updates_an_entry_file(comms, scripted, tmp_path):
    write(tmp_path, index__js=ENTRY, chunk_a__js="export const a = 'v1';\n")
    w = widget_class(tmp_path / "index.js")()
    (tmp_path / "chunk-a.js").write_text("export const a = 'v2';\n")
    scripted.saved(tmp_path / "chunk-a.js")
    wait_until(lambda: esm_updates(comms[0]))
    assert "'v2'" in data_urls(w._esm)[0][1]


def test_a_half_written_build_recovers_when_the_chunk_arrives(comms, scripted, tmp_path):
    dist = write(tmp_path / "dist", index__js=ENTRY, chunk_a__js="export const a = 'v1';\n")
    w = widget_class(dist)()
    (dist / "index.js").write_text(ENTRY.replace("chunk-a", "chunk-late"))
    scripted.saved(dist / "index.js")
    wait_until(lambda: "./chunk-late.js" in w._esm)  # the browser reports the missing import
    (dist / "chunk-late.js").write_text("export const a = 'late';\n")
    scripted.saved(dist / "chunk-late.js")
    wait_until(lambda: "./chunk-late.js" not in w._esm)
    assert "'late'" in data_urls(w._esm)[0][1]


def test_a_cycle_while_watching_reports_then_recovers(comms, scripted, tmp_path):
    dist = write(tmp_path / "dist", index__js=ENTRY, chunk_a__js="export const a = 'v1';\n")
    w = widget_class(dist)()
    (dist / "chunk-a.js").write_text('import "./index.js";\nexport const a = 1;\n')
    scripted.saved(dist / "chunk-a.js")
    error = wait_until(lambda: comms[0].messages("custom"))[0]["content"]
    assert error["kind"] == "esmwidget-hmr-error"
    assert "cycle (index.js -> chunk-a.js -> index.js)" in error["message"]
    assert error["path"] == str(dist)
    (dist / "chunk-a.js").write_text("export const a = 'fixed';\n")
    scripted.saved(dist / "chunk-a.js")
    wait_until(lambda: "'fixed'" in "".join(t for _, t in data_urls(w._esm)))


def test_a_deleted_build_directory_reports_and_comes_back(comms, scripted, tmp_path):
    dist = write(tmp_path / "dist", index__js=ENTRY, chunk_a__js="export const a = 'v1';\n")
    w = widget_class(dist)()
    for path in dist.iterdir():
        path.unlink()
    dist.rmdir()
    scripted.saved(dist)
    error = wait_until(lambda: comms[0].messages("custom"))[0]["content"]
    assert "was deleted" in error["message"]
    write(dist, index__js=ENTRY, chunk_a__js="export const a = 'v2';\n")
    scripted.saved(dist)
    wait_until(lambda: esm_updates(comms[0]))
    assert "'v2'" in data_urls(w._esm)[0][1]


# -- the real watchfiles on a real rebuild ------------------------------------------------------


@pytest.mark.slow
def test_real_rebuilds_arrive_repeatedly(comms, real_watch, tmp_path):
    dist = write(tmp_path / "dist", index__js=ENTRY, chunk_a__js="export const a = 'build 0';\n")
    w = widget_class(dist)()
    time.sleep(0.3)  # let the watcher thread subscribe before the first build
    for i in range(1, 4):
        # As a bundler writes: the new chunk first, then the entry that imports it.
        write(dist, **{f"chunk_{i}__js": f"export const a = 'build {i}';\n"})
        write(dist, index__js=ENTRY.replace("chunk-a", f"chunk-{i}"))
        wait_until(lambda i=i: f"'build {i}'" in data_urls(w._esm)[0][1])
        time.sleep(0.15)  # builds apart, as a bundler's are (not a timing assertion)
    # Every build reached the page, in order, and the last is what the widget holds.
    built = [next(t for t in ("0", "1", "2", "3") if f"'build {t}'" in data_urls(e)[0][1])
             for e in esm_updates(comms[0])]  # fmt: skip
    assert built[-3:] == ["1", "2", "3"]
    assert "'build 3'" in data_urls(w._esm)[0][1]


def test_a_widget_made_while_the_build_is_broken_starts_from_the_last_good_text(
    comms, scripted, tmp_path, caplog
):
    dist = write(tmp_path / "dist", index__js=ENTRY, chunk_a__js="export const a = 'v1';\n")
    cls = widget_class(dist)
    (dist / "chunk-a.js").write_text('import "./index.js";\n')  # a cycle, mid-edit
    w = cls()  # no exception in the user's cell
    assert "not watching" in caplog.text
    assert "cycle" in caplog.text
    assert "'v1'" in data_urls(w._esm)[0][1]
