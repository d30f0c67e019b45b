# Benchmarks, esmwidget against anywidget; see docs/performance.md.
PYTHON ?= python3
BENCH_VENV := benchmarks/.venv
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_ARGS ?=

.PHONY: bench bench-tiny bench-browser bench-browser-tiny bench-browser-setup bench-streamlit

# anywidget goes into its own venv with ipywidgets: the test venv (.venv) must never have it.
# SKIP_JUPYTER_BUILDER=1 skips the npm build: these figures need only the Python code.
$(BENCH_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	SKIP_JUPYTER_BUILDER=1 $(BENCH_PY) -m pip install --quiet --upgrade -e . anywidget ipywidgets ipykernel
	touch $@

bench: $(BENCH_VENV)/.installed
	$(BENCH_PY) benchmarks/run.py --json benchmarks/results.json $(BENCH_ARGS)

bench-tiny: $(BENCH_VENV)/.installed
	$(BENCH_PY) benchmarks/run.py --tiny --json benchmarks/results-tiny.json $(BENCH_ARGS)

# Browser figures (docs/performance.md, "Browser"): JupyterLab, Notebook, Playwright and watchfiles
# join the same venv, and esmwidget's built lab extension is linked into it (anywidget's ships in
# its wheel). Needs `npm run build` (src/esmwidget/labextension, dist/index.js) and /usr/bin/chromium;
# Playwright never downloads a browser here.
BENCH_BROWSER_PKGS := "jupyterlab>=4.2,<5" "notebook>=7.2,<8" "playwright>=1.45" "watchfiles>=0.21" "jupyter-builder>=1.2"

$(BENCH_VENV)/.installed-browser: $(BENCH_VENV)/.installed pyproject.toml
	$(BENCH_PY) -m pip install --quiet --upgrade $(BENCH_BROWSER_PKGS)
	touch $@

bench-browser-setup: $(BENCH_VENV)/.installed-browser
	@test -f src/esmwidget/labextension/static/style.js -a -f dist/index.js || \
		{ echo "esmwidget's front end is not built: run npm run build first" >&2; exit 1; }
	$(BENCH_VENV)/bin/jupyter-builder develop --overwrite . >/dev/null

bench-browser: bench-browser-setup
	$(BENCH_PY) benchmarks/browser.py --json benchmarks/results-browser.json $(BENCH_ARGS)

bench-browser-tiny: bench-browser-setup
	$(BENCH_PY) benchmarks/browser.py --tiny --json benchmarks/results-browser-tiny.json $(BENCH_ARGS)

# A click to the rerun's text in Streamlit (docs/streamlit.md): esmwidget.streamlit against
# st.button and against streamlit-anywidget (the real anywidget in an iframe component).
$(BENCH_VENV)/.installed-streamlit: $(BENCH_VENV)/.installed-browser
	$(BENCH_PY) -m pip install --quiet --upgrade "streamlit>=1.67" streamlit-anywidget
	touch $@

bench-streamlit: bench-browser-setup $(BENCH_VENV)/.installed-streamlit
	$(BENCH_PY) benchmarks/streamlit.py --json benchmarks/results-streamlit.json $(BENCH_ARGS)

# The user documentation: a strict MkDocs build into build/site (gitignored).
# `make docs-serve` previews it with live reload. Needs the docs extra: pip install -e '.[docs]'.
MKDOCS ?= .venv/bin/mkdocs

.PHONY: docs docs-serve

docs:
	NO_MKDOCS_2_WARNING=1 $(MKDOCS) build --strict

docs-serve:
	NO_MKDOCS_2_WARNING=1 $(MKDOCS) serve
