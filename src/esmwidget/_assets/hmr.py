"""Hot module replacement: one watchfiles thread per process re-reads file-backed `_esm`/`_css`."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from psygnal import Signal

from .._warnings import warn_user
from .bundle import BundleError, Loaded, load
from .vfiles import VirtualFile

__all__ = ["WatchedFile", "Watcher", "attach", "detach", "watcher"]

logger = logging.getLogger("esmwidget")


class WatchFn(Protocol):
    """The shape of `watchfiles.watch` that the watcher uses; tests pass a scripted fake."""

    def __call__(
        self, *paths: Path, stop_event: threading.Event
    ) -> Iterable[set[tuple[Any, str]]]: ...


class WatchedFile:
    """A file or build directory whose text is re-read on every change.

    Signals go to weakly held slots. A module's relative imports (chunks) are part of its text
    (see `_bundle`), so a change to any of them, or any change in a watched build directory,
    refreshes it.
    """

    changed = Signal(str)
    """Emitted with the new text after a change (also when a failing file recovers)."""
    failed = Signal(str)
    """Emitted with a readable message when the file is deleted or cannot be read."""
    assets_changed = Signal(object)
    """Emitted with the changed files among the module's own files the page loaded (path on disk
    -> the name the page asked for; docs/front-end.md, "Files beside the module"): saved,
    deleted or back."""

    def __init__(self, path: Path, *, stylesheet: bool = False) -> None:
        self.path = path
        self.stylesheet = stylesheet
        self.failing = False
        # The module's own files the page loaded: path on disk -> the name the page asked for.
        self.assets: dict[Path, str] = {}
        loaded = load(path, stylesheet=stylesheet)
        self.text = loaded.text
        self._track(loaded)

    def _track(self, loaded: Loaded) -> None:
        self.files = loaded.files
        self.is_directory = loaded.directory is not None
        directories = {file.parent for file in loaded.files} | {a.parent for a in self.assets}
        if loaded.directory is not None:
            # Its parent too, so a build directory that is deleted and made again is seen.
            directories |= {loaded.directory, loaded.directory.parent}
        self.directories = frozenset(directories)

    def add_asset(self, path: Path, name: str) -> None:
        """Follow `path`, which the page loaded as `name`, from now on."""
        if path not in self.assets:
            self.assets[path] = name
            self.directories = self.directories | {path.parent}
            _watcher.follow()

    def concerns(self, changed: Path) -> bool:
        """Whether a change to `changed` may change the text.

        Its own files (the module, its chunks, imports not written yet); anything in a watched
        build directory; anything next to its files while it is failing.
        """
        if changed in self.files:
            return True
        return (self.failing or self.is_directory) and changed.parent in self.directories

    def refresh(self) -> None:
        """Re-read the file (and its chunks) and emit `changed` or `failed`; never raises."""
        try:
            loaded = load(self.path, stylesheet=self.stylesheet)
        except FileNotFoundError:
            self._fail(
                f"{self.path} was deleted (or renamed). The widget comes back when the file "
                "does; restore it or save it again."
            )
            return
        except BundleError as error:
            self._fail(f"{error} Fix it and save again.")
            return
        except (OSError, UnicodeDecodeError) as error:
            self._fail(f"{self.path} could not be read: {error}. Fix the file and save it again.")
            return
        self._track(loaded)
        if loaded.text != self.text or self.failing:
            self.text = loaded.text
            self.failing = False
            self.changed.emit(loaded.text)

    def _fail(self, message: str) -> None:
        self.failing = True
        logger.warning("esmwidget HMR: %s", message)
        self.failed.emit(message)

    @property
    def in_use(self) -> bool:
        """Whether any live slot is still connected."""
        return len(self.changed) > 0 or len(self.failed) > 0 or len(self.assets_changed) > 0


def _default_watch() -> WatchFn | None:
    try:
        import watchfiles  # noqa: PLC0415 - optional dependency, imported only with HMR on
    except ImportError:
        return None

    def watch(*paths: Path, stop_event: threading.Event) -> Iterator[set[tuple[Any, str]]]:
        # watchfiles yields a batch once a step passes with no new change, so a save is seen
        # one to two steps after it is written: 5 ms steps make that 5-10 ms (20 ms steps took
        # 25-40 ms, most of a hot reload). Idle, the thread then costs about 1% of a core, and
        # only while HMR is on. `debounce` caps how long a stream of changes is grouped.
        yield from watchfiles.watch(
            *paths,
            stop_event=stop_event,
            debounce=100,
            step=5,
            recursive=False,
            raise_interrupt=False,
            ignore_permission_denied=True,
        )

    return watch


class Watcher:
    """Watches the directories of every watched file from one daemon thread.

    Directories rather than files, so editors that write a temporary file and rename it over
    the original (vim, JetBrains) or delete and re-create it keep being seen. The thread starts
    on demand and stops when nothing is watched.
    """

    def __init__(self, watch: WatchFn | None = None) -> None:
        self._watch = watch
        self._files: dict[tuple[Path, bool], WatchedFile] = {}
        self._lock = threading.RLock()
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self._roots: frozenset[Path] = frozenset()
        self._warned = False

    @property
    def running(self) -> bool:
        """Whether the watcher thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def file(self, path: Path, *, stylesheet: bool = False) -> WatchedFile | None:
        """Return the watched file or build directory `path`, read as a module or a stylesheet.

        Starts watching it; None without watchfiles.
        """
        with self._lock:
            if self._watch is None:
                self._watch = _default_watch()
                if self._watch is None:
                    if not self._warned:
                        self._warned = True
                        warn_user(
                            "esmwidget: ANYWIDGET_HMR=1 but hot reload needs watchfiles, which is "
                            "not installed. Install it with `pip install 'esmwidget[dev]'` (or "
                            "`pip install watchfiles`) and restart the kernel."
                        )
                    return None
            key = (path, stylesheet)
            watched = self._files.get(key)
            if watched is None:
                try:
                    watched = WatchedFile(path, stylesheet=stylesheet)
                except (OSError, UnicodeDecodeError, BundleError) as error:
                    # Caught mid-save or mid-build: this widget starts from the class's last
                    # good text, unwatched; the next widget made tries again.
                    logger.warning("esmwidget HMR: not watching %s for now: %s", path, error)
                    return None
                self._files[key] = watched
            else:
                watched.refresh()
            self._restart()
            return watched

    def follow(self) -> None:
        """Watch the directories every watched file needs now (a new asset's, say)."""
        with self._lock:
            self._restart()

    def forget_unused(self) -> None:
        """Stop watching files nobody listens to; stop the thread when none remain."""
        with self._lock:
            for key in [k for k, f in self._files.items() if not f.in_use]:
                del self._files[key]
            self._restart()

    def stop(self) -> None:
        """Stop the thread and forget every file."""
        with self._lock:
            self._files.clear()
            self._restart()

    def _restart(self) -> None:
        # Only directories that exist: watching a missing one fails. A build directory's parent
        # is watched too, so the directory coming back is seen and watching follows it.
        roots = frozenset(
            directory
            for watched in self._files.values()
            for directory in watched.directories
            if directory.is_dir()
        )
        if roots == self._roots and (self.running or not roots):
            return
        if self._stop is not None:
            self._stop.set()
        self._roots = roots
        self._stop = self._thread = None
        if not roots or self._watch is None:
            return
        stop = threading.Event()
        thread = threading.Thread(
            target=self._run,
            args=(self._watch, sorted(roots), stop),
            daemon=True,
            name="esmwidget-hmr",
        )
        self._stop, self._thread = stop, thread
        thread.start()

    def _run(self, watch: WatchFn, roots: list[Path], stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                for changes in watch(*roots, stop_event=stop):
                    if stop.is_set():
                        return
                    self._dispatch(changes)
            except Exception:
                # Never let the watcher die or raise into the kernel (docs/protocol.md, "Security").
                logger.exception("esmwidget HMR: watching %s failed; retrying", roots)
                stop.wait(0.5)
                # A watched directory that was deleted is dropped; its parent's watch (build
                # directories) or the next widget brings it back.
                roots = [root for root in roots if root.is_dir()]
            else:
                return

    def _dispatch(self, changes: set[tuple[Any, str]]) -> None:
        # From the watcher's thread: the work goes to the kernel's (trait sets, the user's
        # observers and comm sends then never run beside a cell that sets the same traits).
        changed = {Path(path) for _, path in changes}
        on_kernel_thread(lambda: self._apply(changed))

    def _apply(self, changed: set[Path]) -> None:
        """Re-read what `changed` touches and tell its widgets; under the lock `file` takes too."""
        with self._lock:
            affected = [
                watched
                for watched in self._files.values()
                if any(watched.concerns(path) for path in changed)
            ]
            for watched in affected:
                watched.refresh()  # once per batch, however many of its files changed
            for watched in list(self._files.values()):
                touched = {path: watched.assets[path] for path in changed & watched.assets.keys()}
                if touched:
                    watched.assets_changed.emit(touched)
            if affected:
                self._restart()  # a rebuild may have moved chunks to other directories


def on_kernel_thread(work: Callable[[], None]) -> None:
    """Run `work` on the kernel's own thread, between the messages it handles.

    Without a kernel (a script, a test), here and now.

    ipykernel runs every cell and comm message on its main event loop; a callback added to that
    loop (thread-safe) runs there once the current cell is done.
    """
    loop = _kernel_loop()
    if loop is None or threading.current_thread() is threading.main_thread():
        work()
        return

    def run() -> None:
        try:
            work()
        except Exception:
            logger.exception("esmwidget HMR: applying a change failed")

    loop.add_callback(run)


def _kernel_loop() -> Any:
    if "ipykernel" not in sys.modules:
        return None
    from ipykernel.kernelapp import IPKernelApp  # noqa: PLC0415 - only inside a kernel

    if not IPKernelApp.initialized():
        return None
    kernel = getattr(IPKernelApp.instance(), "kernel", None)
    return getattr(kernel, "io_loop", None)


_watcher = Watcher()


def watcher() -> Watcher:
    """The process-wide watcher."""
    return _watcher


def set_watcher(new: Watcher) -> Watcher:
    """Replace the process-wide watcher (tests inject one with a scripted watch function)."""
    global _watcher
    old, _watcher = _watcher, new
    return old


Source = WatchedFile | VirtualFile


class _Listener(Protocol):
    def _esmwidget_hmr_update(self, key: str, text: str) -> None: ...
    def _esmwidget_hmr_failed(self, key: str, message: str) -> None: ...
    def _esmwidget_hmr_assets(self, changed: dict[Path, str]) -> None: ...


# (source, signal, slot) for each connection `attach` made.
Links = list[tuple[Source, Any, Callable[..., None]]]


def attach(widget: _Listener, sources: dict[str, Source]) -> Links:
    """Connect `widget` (weakly: it stays collectable) to each source's signals."""
    links: Links = []
    for key, source in sources.items():
        on_change = partial(widget._esmwidget_hmr_update, key)
        on_fail = partial(widget._esmwidget_hmr_failed, key)
        source.changed.connect(on_change)
        source.failed.connect(on_fail)
        links += [(source, source.changed, on_change), (source, source.failed, on_fail)]
        if key == "_esm" and isinstance(source, WatchedFile):
            # The module's own files the page loaded (docs/front-end.md, "Files beside the
            # module"): a save of one reloads the module's views too.
            on_assets = widget._esmwidget_hmr_assets
            source.assets_changed.connect(on_assets)
            links.append((source, source.assets_changed, on_assets))
    return links


def detach(links: Links) -> None:
    """Disconnect links made by `attach` and stop watching files no one uses."""
    for _, signal, slot in links:
        signal.disconnect(slot, missing_ok=True)
    if any(isinstance(source, WatchedFile) for source, _, _ in links):
        _watcher.forget_unused()
