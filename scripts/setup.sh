#!/usr/bin/env bash
# Install what esmwidget needs on a fresh Debian machine, idempotently: the npm dependencies, a
# fresh build of the front end, and a virtualenv in .venv with esmwidget installed editable and
#   - `bash scripts/setup.sh` (the test suite's): every test tool and host, and Debian's Chromium;
#   - `bash scripts/setup.sh lab` (scripts/lab.sh's): only JupyterLab and hot reload, what the
#     example notebooks use.
# Steps whose inputs did not change since the last run are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-test}"
case "$mode" in
  test) extras="test,docs" ;;
  lab) extras="lab" ;;
  *) echo "scripts/setup.sh: unknown mode '$mode': expected 'test' (the default) or 'lab'" >&2; exit 2 ;;
esac

# Each slow step says what it does and, when done, how long it took.
step_started=0
step() {
  [ "$step_started" = 0 ] || echo "   done in $((SECONDS - step_started)) s"
  step_started=$SECONDS
  [ -z "${1:-}" ] || echo "== $1"
}

if [ "$mode" = test ] && [ ! -x /usr/bin/chromium ] && [ "${ESMWIDGET_SKIP_CHROMIUM:-}" != 1 ]; then
  echo "== installing Debian's chromium"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  python3 -m venv .venv
fi

# What the steps below depend on. When none of it changed since the last complete set-up (and
# its outputs are still there), they are skipped: a second start takes seconds. Set
# ESMWIDGET_FORCE_SETUP=1 to redo them anyway.
inputs_hash() {
  find package.json package-lock.json pyproject.toml install.json jupyter-config js/src \
    js/nbextension js/build-bundles.mjs scripts/setup.sh -type f -print0 \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d" " -f1
}
stamp=.venv/.esmwidget-setup-$mode
outputs=(src/esmwidget/labextension/package.json src/esmwidget/nbextension/index.js
  src/esmwidget/_static/page.js dist/index.js node_modules/.package-lock.json)
up_to_date=1
[ "${ESMWIDGET_FORCE_SETUP:-}" = 1 ] && up_to_date=0
current() { [ -f "$1" ] && [ "$(cat "$1")" = "$(inputs_hash)" ]; }
# The test set-up installs everything the lab one does.
current "$stamp" || { [ "$mode" = lab ] && current .venv/.esmwidget-setup-test; } || up_to_date=0
for output in "${outputs[@]}"; do [ -e "$output" ] || up_to_date=0; done
if [ "$up_to_date" = 1 ]; then
  echo "== npm dependencies, front end and .venv are up to date (ESMWIDGET_FORCE_SETUP=1 redoes them)"
  exit 0
fi
rm -f .venv/.esmwidget-setup-*

step "npm install (the first time: about a minute)"
npm install --no-audit --no-fund --loglevel=error

if [ "$mode" = lab ]; then
  step "building the front end and installing esmwidget (editable) with JupyterLab (the first time: one to two minutes)"
else
  step "building the front end and installing esmwidget (editable) with its test tools (the first time: several minutes)"
fi
# A stale build would be shipped as is (skip-if-exists): always start from a clean output.
rm -rf src/esmwidget/labextension src/esmwidget/nbextension src/esmwidget/_static dist
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[$extras]" 2>&1 \
  | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import esmwidget" # fails loudly if the install above did not happen
if [ "$mode" = lab ]; then
  inputs_hash > "$stamp"
  step ""
  exit 0
fi
# shinywidgets without its dependencies: it requires the real anywidget (which it never imports),
# and the alias tests need an environment without it. Its other dependencies are test extras.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps "shinywidgets>=0.5" 2>&1 \
  | grep -v "^WARNING: Location" || true
# The lab and classic extensions are the copies pip installed, as a user's install has them:
# Voila and the classic notebook refuse to serve a symlink that leads out of their data folder,
# so `jupyter-builder develop` (live JS rebuilds, see js/README.md) would break those pages.
inputs_hash > "$stamp"
step ""
