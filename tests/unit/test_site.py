"""`esmwidget._pages.site.rewrite`: what the Sphinx extension and the MkDocs plugin do to each
built page. The built sites themselves are tested in tests/e2e/test_docs_sites.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from esmwidget._pages.site import Site, rewrite

ESM = "export default { render({ el }) { el.textContent = 'hi'; } };"
REQUIRE = '<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js"></script>\n'
MANAGER = (
    '<script src="https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@1.0.6/dist/'
    'embed-amd.js"></script>\n'
)


def model(name: str = "AnyModel", module: str = "esmwidget", **state: Any) -> dict[str, Any]:
    return {"model_name": name, "model_module": module, "model_module_version": "*", "state": state}


def page(models: dict[str, Any], head: str = REQUIRE + MANAGER, views: int = 1) -> str:
    state = json.dumps({"version_major": 2, "version_minor": 0, "state": models})
    view = '<script type="application/vnd.jupyter.widget-view+json">{"model_id": "a"}</script>\n'
    return (
        f"<html><head>{head}"
        f'<script type="application/vnd.jupyter.widget-state+json">{state}</script>'
        f"</head><body>{view * views}</body></html>"
    )


def state_of(html: str) -> dict[str, Any]:
    start = html.index('widget-state+json">') + len('widget-state+json">')
    return json.loads(html[start : html.index("</script>", start)])["state"]  # type: ignore[no-any-return]


def test_module_texts_become_site_files_written_once(tmp_path: Path):
    site = Site(tmp_path)
    first = rewrite(page({"a": model(_esm=ESM, _css=".x { color: red }")}), site, "a.html")
    second = rewrite(page({"a": model(_esm=ESM)}), site, "guide/deep/b.html")
    assert first.widgets == second.widgets == 1
    esm_ref = state_of(first.html)["a"]["state"]["_esm"]["esmwidget_url"]
    assert esm_ref.startswith("_static/esmwidget/")
    assert esm_ref.endswith(".js")
    assert (tmp_path / esm_ref).read_text() == ESM
    assert state_of(first.html)["a"]["state"]["_css"]["esmwidget_url"].endswith(".css")
    # A page two folders down names the same file, from where it is.
    assert state_of(second.html)["a"]["state"]["_esm"]["esmwidget_url"] == "../../" + esm_ref
    runtimes = list((tmp_path / "_static" / "esmwidget").glob("runtime-*.js"))
    assert len(runtimes) == 1
    assert f'<script src="_static/esmwidget/{runtimes[0].name}"></script>' in first.html
    assert f'<script src="../../_static/esmwidget/{runtimes[0].name}"></script>' in second.html


def test_cdn_scripts_go_when_the_page_needs_nothing_else(tmp_path: Path):
    result = rewrite(page({"a": model(_esm=ESM)}), Site(tmp_path), "a.html")
    assert "cdnjs" not in result.html
    assert "html-manager" not in result.html


def test_nbconverts_inline_loader_of_the_manager_goes_too(tmp_path: Path):
    inline = (
        "<script>\n(function() { var s = document.createElement('script');\n"
        "s.src = 'https://unpkg.com/@jupyter-widgets/html-manager@*/dist/embed-amd.js'; })();\n"
        "</script>\n"
    )
    result = rewrite(page({"a": model(_esm=ESM)}, head=inline), Site(tmp_path), "a.html")
    assert "unpkg" not in result.html


def test_other_widgets_keep_the_builders_scripts(tmp_path: Path):
    models = {"a": model(_esm=ESM), "b": model("IntSliderModel", "@jupyter-widgets/controls")}
    result = rewrite(page(models), Site(tmp_path), "a.html")
    assert result.widgets == 1
    assert REQUIRE in result.html
    assert MANAGER in result.html
    assert state_of(result.html)["b"]["state"] == {}


def test_require_js_stays_when_another_script_uses_it(tmp_path: Path):
    other = "<script>require(['plotly'], function (p) {});</script>"
    result = rewrite(
        page({"a": model(_esm=ESM)}, head=REQUIRE + MANAGER + other), Site(tmp_path), "a.html"
    )
    assert REQUIRE in result.html
    assert "html-manager" not in result.html


def test_rewriting_twice_changes_nothing(tmp_path: Path):
    site = Site(tmp_path)
    once = rewrite(page({"a": model(_esm=ESM)}), site, "a.html").html
    assert rewrite(once, site, "a.html").html == once


def test_texts_saved_as_the_same_as_another_model_and_urls(tmp_path: Path):
    long_esm = ESM + " " * 200
    models = {
        "a": model(_esm=long_esm),
        "b": model(_esm={"esmwidget_same_as": "a"}),
        "c": model(_esm="https://example.com/widget.js"),
    }
    state = state_of(rewrite(page(models), Site(tmp_path), "a.html").html)
    assert state["a"]["state"]["_esm"] == state["b"]["state"]["_esm"]
    assert state["c"]["state"]["_esm"] == "https://example.com/widget.js"


def test_pages_without_widget_state_count_their_views(tmp_path: Path):
    html = (
        "<html><body>" + '<script type="application/vnd.jupyter.widget-view+json">{}</script>' * 2
    )
    result = rewrite(html + "</body></html>", Site(tmp_path), "a.html")
    assert result.views_without_state == 2
    assert result.widgets == 0
    plain = rewrite("<html><body>text</body></html>", Site(tmp_path), "a.html")
    assert plain.views_without_state == 0
    assert plain.html == "<html><body>text</body></html>"


def test_pages_of_other_widgets_only_are_left_alone(tmp_path: Path):
    html = page({"b": model("IntSliderModel", "@jupyter-widgets/controls")})
    assert rewrite(html, Site(tmp_path), "a.html").html == html
    assert not (tmp_path / "_static").exists()


FILES_ESM = (
    'export default { async render({ el }) { const url = new URL("./data/t.json", '
    "import.meta.url); el.textContent = (await (await fetch(url)).json()).x; } };"
)


@pytest.fixture
def widget_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An importable package whose widget's module names `data/t.json` beside it."""
    folder = tmp_path / "pkgs" / "sitefiles_pkg"
    (folder / "data").mkdir(parents=True)
    (folder / "widget.js").write_text(FILES_ESM)
    (folder / "data" / "t.json").write_text('{"x": 7}')
    (folder / "other.bin").write_bytes(b"not named")
    (folder / "__init__.py").write_text(
        "import pathlib, esmwidget\n"
        "class Files(esmwidget.AnyWidget):\n"
        "    _esm = pathlib.Path(__file__).parent / 'widget.js'\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    return folder


def test_a_classes_files_go_beside_its_module_in_one_folder(tmp_path: Path, widget_package: Path):
    site = Site(tmp_path / "site")
    models = {"a": model(_esm=FILES_ESM, _anywidget_id="sitefiles_pkg.Files")}
    result = rewrite(page(models), site, "guide/a.html")
    url = state_of(result.html)["a"]["state"]["_esm"]["esmwidget_url"]
    assert url.startswith("../_static/esmwidget/files-")
    module = tmp_path / "site" / url.removeprefix("../")
    assert module.read_text() == FILES_ESM
    # The module's relative URL names the file the site holds beside it; nothing else is there.
    assert (module.parent / "data" / "t.json").read_text() == '{"x": 7}'
    assert sorted(p.name for p in module.parent.rglob("*") if p.is_file()) == [
        module.name,
        "t.json",
    ]
    assert result.missed == ()


def test_a_class_defined_in_a_notebook_leaves_its_files_behind_and_says_so(tmp_path: Path):
    models = {"a": model(_esm=FILES_ESM, _anywidget_id="__main__.Files")}
    result = rewrite(page(models), Site(tmp_path), "a.html")
    (line,) = result.missed
    assert "__main__.Files's module loads data/t.json beside it" in line
    assert "defined in the notebook itself" in line
    assert "Define the widget class in a module" in line
    # The widget still renders from its site file; only the files are missing.
    assert state_of(result.html)["a"]["state"]["_esm"]["esmwidget_url"].endswith(".js")


def test_an_unimportable_class_is_named_with_the_reason(tmp_path: Path):
    models = {"a": model(_esm=FILES_ESM, _anywidget_id="no_such_module_here.Files")}
    (line,) = rewrite(page(models), Site(tmp_path), "a.html").missed
    assert "no module of 'no_such_module_here.Files' can be imported here" in line


def test_a_widgets_saved_layout_needs_no_cdn_script(tmp_path: Path):
    layout = model("LayoutModel", "@jupyter-widgets/base", width="300px")
    result = rewrite(
        page({"a": model(_esm=ESM, layout="IPY_MODEL_l"), "l": layout}), Site(tmp_path), "a.html"
    )
    assert "html-manager" not in result.html
    assert state_of(result.html)["l"]["state"]["width"] == "300px"
