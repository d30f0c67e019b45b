"""Debian's Chromium and the flags it needs here: no GPU, no sandbox as root, no network chatter.

Shared by the e2e fixtures and `benchmarks/browser.py`.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
