"""One widget's link to its views, in both directions.

`Sync` owns the flow: a Python-side change goes out through it (paced by `pace`), and its
`Inbox` routes what the page sends (commands, uploads in `parts`, updates). `comm` is the only
module that talks to `comm`; `control` answers page reloads; `registry` holds live widgets
weakly; `hosts` is what changes outside JupyterLab (docs/architecture.md).
"""
