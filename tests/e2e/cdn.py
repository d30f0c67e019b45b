"""A local stand-in for the public CDNs a static widget page loads from.

Laid out like them: ``/npm/<name>@<version or range>/<file>`` (jsdelivr; unpkg is the same
without ``/npm``) and ``/ajax/libs/require.js/<version>/require.min.js`` (cdnjs). Packages come
from folders on disk: esmwidget from its ``npm pack`` tarball, html-manager and requirejs from
node_modules. A version range that the package's version does not satisfy is a 404, as on a CDN.
With a `registry_cache`, any other package is fetched from the npm registry (``npm pack``) the
first time it is asked for, as a CDN would; hosts whose own front end lives on a CDN need that.

`route_public_cdns` makes a Playwright context answer the real CDN hosts from this server, so the
page under test is the unmodified page a user would open, and lists every other request.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import tarfile
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import BrowserContext, Route

from .server import free_port

_NPM = re.compile(r"^/npm/((?:@[^/@]+/)?[^/@]+)@([^/]*)/(.+)$")
_CDNJS = re.compile(r"^/ajax/libs/require\.js/[^/]+/require(?:\.min)?\.js$")


def satisfies(version: str, spec: str) -> bool:
    """npm range matching for what hosts send: ``*``, exact, ``~X.Y.*``, ``~X.Y.Z``, ``^X.Y.Z``."""
    spec = spec.strip()
    if spec in ("", "*", "latest"):
        return True
    have = tuple(int(x) for x in version.split(".")[:3])
    tilde = re.fullmatch(r"~(\d+)\.(\d+)(?:\.(\*|\d+))?", spec)
    if tilde:
        low_patch = 0 if tilde[3] in (None, "*") else int(tilde[3])
        return have[:2] == (int(tilde[1]), int(tilde[2])) and have[2] >= low_patch
    caret = re.fullmatch(r"\^(\d+)\.(\d+)\.(\d+)", spec)
    if caret:
        low = tuple(int(x) for x in caret.groups())
        same = have[0] == low[0] if low[0] else have[:2] == low[:2]
        return same and have >= low
    return spec == version


class LocalCDN:
    """The server. `packages` maps an npm name to the folder holding its package.json."""

    def __init__(
        self, packages: dict[str, Path], requirejs: Path, registry_cache: Path | None = None
    ) -> None:
        self.packages = packages
        self.requirejs = requirejs
        self.registry_cache = registry_cache
        self._fetch_lock = threading.Lock()
        self.port = free_port()
        self.requests: list[str] = []
        handler = functools.partial(_Handler, self)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def resolve(self, path: str) -> Path | None:
        """The file a CDN path names, or None for a 404."""
        if _CDNJS.match(path):
            return self.requirejs
        match = _NPM.match(path)
        if not match:
            return None
        name, spec, rest = match[1], urllib.parse.unquote(match[2]), match[3]
        folder = self.packages.get(name) or self._from_registry(name, spec)
        if folder is None:
            return None
        version = json.loads((folder / "package.json").read_text())["version"]
        if not satisfies(version, spec):
            return None
        file = (folder / rest).resolve()
        if not file.is_relative_to(folder.resolve()):
            return None
        if not file.is_file() and file.with_suffix(".js").is_file():
            file = file.with_suffix(".js")  # requirejs paths leave the .js off
        return file if file.is_file() else None

    def _from_registry(self, name: str, spec: str) -> Path | None:
        if self.registry_cache is None:
            return None
        folder = self.registry_cache / f"{name}@{spec}".replace("/", "+") / "package"
        with self._fetch_lock:
            if not folder.is_dir():
                out = folder.parent
                out.mkdir(parents=True, exist_ok=True)
                packed = subprocess.run(
                    ["npm", "pack", "--json", "--pack-destination", str(out), f"{name}@{spec}"],
                    capture_output=True,
                    text=True,
                    timeout=300,
                    check=False,
                )
                if packed.returncode != 0:
                    return None
                with tarfile.open(out / json.loads(packed.stdout)[0]["filename"]) as tar:
                    tar.extractall(out, filter="data")
                # Some packages are packed under another top folder than `package/`.
                if not folder.is_dir():
                    tops = [p for p in out.iterdir() if p.is_dir()]
                    if len(tops) != 1:
                        return None
                    tops[0].rename(folder)
        return folder

    @contextmanager
    def running(self) -> Iterator[LocalCDN]:
        thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()
            thread.join(timeout=10)


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, cdn: LocalCDN, *args: object, **kwargs: object) -> None:
        self.cdn = cdn
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        self.cdn.requests.append(path)
        file = self.cdn.resolve(path)
        if file is None:
            self.send_error(404)
            return
        body = file.read_bytes()
        self.send_response(200)
        kind = "text/javascript" if file.suffix == ".js" else self.guess_type(str(file))
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        del format, args


# The public hosts static pages load widgets from, and where each path lives on the local CDN.
_PUBLIC = {
    "cdn.jsdelivr.net": "",
    "unpkg.com": "/npm",
    "cdnjs.cloudflare.com": "",
}


def route_public_cdns(context: BrowserContext, cdn: LocalCDN) -> list[str]:
    """Answer the public CDN hosts from `cdn`; abort and list any other non-local request."""
    elsewhere: list[str] = []

    def handle(route: Route) -> None:
        url = urllib.parse.urlsplit(route.request.url)
        if url.hostname in _PUBLIC:
            local = f"{cdn.url}{_PUBLIC[url.hostname]}{url.path}"
            route.fulfill(response=route.fetch(url=local))
        elif url.scheme in ("file", "data", "blob") or url.hostname == "127.0.0.1":
            route.fallback()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", handle)
    return elsewhere
