#!/usr/bin/env bash
# Start JupyterLab on the example notebooks (installs everything first).
# Extra arguments go to jupyter lab, e.g. `bash scripts/lab.sh --port 9999`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# As root (containers, CI machines) JupyterLab refuses to start without --allow-root.
root=(); [ "$(id -u)" = 0 ] && root=(--allow-root)
exec .venv/bin/jupyter lab --notebook-dir=examples --ip=127.0.0.1 --no-browser "${root[@]}" "$@"
