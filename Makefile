# Python-side benchmarks, esmwidget against anywidget (issue 7); see docs/performance.md.
PYTHON ?= python3
BENCH_VENV := benchmarks/.venv
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_ARGS ?=

.PHONY: bench bench-tiny

# anywidget and ipywidgets go into their own venv: the test venv (.venv) must never have them.
# SKIP_JUPYTER_BUILDER=1 skips the npm build: these figures need only the Python code.
$(BENCH_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	SKIP_JUPYTER_BUILDER=1 $(BENCH_PY) -m pip install --quiet --upgrade -e . anywidget ipywidgets ipykernel
	touch $@

bench: $(BENCH_VENV)/.installed
	$(BENCH_PY) benchmarks/run.py --json benchmarks/results.json $(BENCH_ARGS)

bench-tiny: $(BENCH_VENV)/.installed
	$(BENCH_PY) benchmarks/run.py --tiny --json benchmarks/results-tiny.json $(BENCH_ARGS)

# The user documentation (issue 8): a strict MkDocs build into build/site (gitignored).
# `make docs-serve` previews it with live reload. Needs the docs extra: pip install -e '.[docs]'.
MKDOCS ?= .venv/bin/mkdocs

.PHONY: docs docs-serve

docs:
	NO_MKDOCS_2_WARNING=1 $(MKDOCS) build --strict

docs-serve:
	NO_MKDOCS_2_WARNING=1 $(MKDOCS) serve
