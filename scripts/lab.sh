#!/usr/bin/env bash
# Start JupyterLab on the example notebooks. Installs only what that needs first (JupyterLab,
# esmwidget with hot reload; `bash scripts/setup.sh lab`), then prints the address to open.
# Extra arguments go to jupyter lab, e.g. `bash scripts/lab.sh --port 9999`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh lab
port=8888
port_args=(--port=8888)  # unless the arguments name one
args=("$@")
for i in "${!args[@]}"; do
  case "${args[$i]}" in
    --port=*) port="${args[$i]#--port=}"; port_args=() ;;
    --port) port="${args[$((i + 1))]:-$port}"; port_args=() ;;
  esac
done
token="$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(16))')"
# As root (containers, CI machines) JupyterLab refuses to start without --allow-root.
root=(); [ "$(id -u)" = 0 ] && root=(--allow-root)
echo "== JupyterLab on the example notebooks, once it has started (Ctrl+C stops it):"
echo "   http://127.0.0.1:$port/lab/tree/counter.ipynb?token=$token"
# Warnings and errors only: other extensions' start-up banners would bury the address. The port
# is fixed (no retries), so the address above is the one it serves.
exec .venv/bin/jupyter lab --notebook-dir=examples --ip=127.0.0.1 --no-browser "${root[@]}" \
  "${port_args[@]}" --ServerApp.port_retries=0 --IdentityProvider.token="$token" \
  --ServerApp.log_level=WARN --LabApp.log_level=WARN "$@"
