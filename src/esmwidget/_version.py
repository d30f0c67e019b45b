"""The package version and the semver range the front end matches it with."""

from __future__ import annotations

import re

__all__ = ["MODULE_VERSION", "__version__", "semver_range"]

try:
    # Written by hatch's version hook from package.json at build time (also for editable
    # installs): importlib.metadata would add about 35 ms to `import esmwidget`.
    from ._build_version import __version__
except ImportError:  # pragma: no cover - a source tree that was never built
    from importlib.metadata import version

    __version__ = version("esmwidget")

_FINAL = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_PRE = re.compile(r"^(\d+)\.(\d+)\.(\d+)[.-]?(a|b|rc|dev|alpha|beta)\.?(\d*)$")
_PRE_NAMES = {"a": "alpha", "b": "beta", "rc": "rc", "dev": "dev", "alpha": "alpha", "beta": "beta"}


def semver_range(python_version: str) -> str:
    """Return the `_model_module_version` that matches the npm build of `python_version`.

    Finals give ``~X.Y.*`` so a kernel and a server one patch apart still agree; every
    pre-release (a, b, rc, dev) is pinned exactly, because semver ranges never match
    pre-releases (docs/troubleshooting.md, "Server and kernel environments").

    Examples
    --------
    >>> semver_range("0.1.3")
    '~0.1.*'
    >>> semver_range("1.2.0rc1")
    '1.2.0-rc.1'
    """
    final = _FINAL.match(python_version)
    if final:
        major, minor, _ = final.groups()
        return f"~{major}.{minor}.*"
    pre = _PRE.match(python_version)
    if pre:
        major, minor, patch, kind, number = pre.groups()
        tail = f".{number}" if number else ""
        return f"{major}.{minor}.{patch}-{_PRE_NAMES[kind]}{tail}"
    msg = (
        f"esmwidget version {python_version!r} is not X.Y.Z or X.Y.Z(a|b|rc|dev)N; "
        "fix the version field in package.json."
    )
    raise ValueError(msg)


# What the kernel sends as `_model_module_version` / `_view_module_version`.
MODULE_VERSION = semver_range(__version__)
