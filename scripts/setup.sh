#!/usr/bin/env bash
# Install everything esmwidget needs on a fresh Debian machine, idempotently:
# Debian's Chromium (for the browser tests), a virtualenv in .venv with esmwidget installed
# editable plus its test tools, the npm dependencies, and a fresh build of the front end.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ] && [ "${ESMWIDGET_SKIP_CHROMIUM:-}" != 1 ]; then
  echo "== installing Debian's chromium"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  python3 -m venv .venv
fi

echo "== npm install"
npm install --no-audit --no-fund --loglevel=error

echo "== building the front end and installing esmwidget (editable) with its test tools"
# A stale build would be shipped as is (skip-if-exists): always start from a clean output.
rm -rf src/esmwidget/labextension src/esmwidget/nbextension src/esmwidget/_static dist
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test,docs]" 2>&1 \
  | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import esmwidget" # fails loudly if the install above did not happen
# shinywidgets without its dependencies: it requires the real anywidget (which it never imports),
# and the alias tests need an environment without it. Its other dependencies are test extras.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps "shinywidgets>=0.5" 2>&1 \
  | grep -v "^WARNING: Location" || true
# The lab and classic extensions are the copies pip installed, as a user's install has them:
# Voila and the classic notebook refuse to serve a symlink that leads out of their data folder,
# so `jupyter-builder develop` (live JS rebuilds, see js/README.md) would break those pages.
