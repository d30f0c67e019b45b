#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs everything (with Debian's Chromium and pandoc),
# then lint, types, JS tests,
# and the Python unit, real-kernel and real-browser (JupyterLab, Notebook 7) tests.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -m "not e2e"`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# nbsphinx, in the documentation-site tests, converts notebooks with pandoc.
if ! command -v pandoc >/dev/null && [ "${ESMWIDGET_SKIP_PANDOC:-}" != 1 ]; then
  echo "== installing Debian's pandoc"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq pandoc >/dev/null
fi

echo "== Python lint and types"
.venv/bin/ruff check src tests
.venv/bin/ruff format --check src tests
.venv/bin/mypy

echo "== JS lint, types and tests"
npm run --silent lint
npm run --silent typecheck
npm test --silent

echo "== Python tests (unit, kernel, end to end)"
.venv/bin/python -m pytest tests "$@"
