"""A widget's `_esm` and `_css`.

Inline text, files, bundler output folders (`assets`, `bundle`), ``%%vfile`` cells (`vfiles`,
`magics`), the files beside a module that the page may load (`files`) and hot reload (`hmr`).
Below the sync room: hot reload hands new text to a `Sync` it is given, without importing it
(docs/architecture.md).
"""
