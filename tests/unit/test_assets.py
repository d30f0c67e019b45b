from pathlib import Path

import pytest

from esmwidget._assets.assets import resolve_asset


def test_inline_text_is_kept(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "foo.js").write_text("export default {}")
    # a one-line module that merely mentions foo.js is code, not a path
    for source in ["export default {}; // foo.js", 'import "./foo.js"', "export * from 'foo.js'"]:
        asset = resolve_asset("m.W", "_esm", source)
        assert (asset.text, asset.path) == (source, None)


def test_path_and_path_like_string_are_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "widget.js").write_text("export default { render() {} }")
    (tmp_path / "style.css").write_text(".a { color: red }")
    assert resolve_asset("m.W", "_esm", Path("widget.js")).text == "export default { render() {} }"
    assert resolve_asset("m.W", "_esm", "widget.js").path == tmp_path / "widget.js"
    assert resolve_asset("m.W", "_css", "style.css").text == ".a { color: red }"


@pytest.mark.parametrize("value", [Path("nope.js"), "nope.js", "sub/nope.mjs", "nope.css"])
def test_missing_file_names_the_path(tmp_path, monkeypatch, value):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(
        FileNotFoundError, match=r"m\.W\._esm: file '.*nope\.(js|mjs|css)' does not exist"
    ):
        resolve_asset("m.W", "_esm", value)


def test_urls_pass_through():
    asset = resolve_asset("m.W", "_esm", "https://example.invalid/widget.js")
    assert (asset.text, asset.url, asset.path) == (
        "https://example.invalid/widget.js",
        "https://example.invalid/widget.js",
        None,
    )


def test_other_types_are_refused():
    with pytest.raises(TypeError, match=r"m\.W\._css is 3 \(int\); expected inline source text"):
        resolve_asset("m.W", "_css", 3)
