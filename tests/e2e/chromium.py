"""Debian's Chromium and the flags it needs on these machines (TOOLCHAIN.md section 5).

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
