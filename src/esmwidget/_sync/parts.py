"""Large binary values from the page, put back together from their parts.

Jupyter Server refuses a websocket message over 10 MiB, so the loader sends the big buffers of
an update first, as ``esmwidget-part`` custom messages of up to 8 MiB, and the update then says
which of its buffers each upload replaces (``esmwidget_parts``; js/src/parts.js). What a page
may leave pending is bounded, and an upload that is incomplete or unknown drops its update,
which the caller answers with Python's values (docs/protocol.md, "Large binary values").
"""

from __future__ import annotations

from typing import Any

from .._wire.clean import shorten

__all__ = ["MAX_PENDING_BYTES", "MAX_UPLOADS", "Uploads"]

MAX_UPLOADS = 64  # uploads in progress per widget
MAX_PENDING_BYTES = 4 * 1024**3  # bytes held for uploads in progress per widget


class Uploads:
    """The parts received for one widget's uploads in progress."""

    def __init__(self) -> None:
        self.pending: dict[str, list[bytes | None]] = {}
        self.size = 0

    def add(self, content: dict[str, Any], buffers: list[bytes]) -> None:
        """Keep one part.

        Raises
        ------
        ValueError
            If the part is malformed or would pass the bounds; the upload is forgotten.
        """
        upload, index, count = content.get("upload"), content.get("index"), content.get("count")
        if not isinstance(upload, str) or not upload or len(upload) > 200:
            msg = f"a part names upload {shorten(upload)}; expected a short string."
            raise ValueError(msg)
        if type(count) is not int or not 0 < count <= 1 << 20:
            self.forget(upload)
            msg = f"a part of {upload!r} says count {shorten(count)}; expected a positive int."
            raise ValueError(msg)
        if type(index) is not int or not 0 <= index < count or len(buffers) != 1:
            self.forget(upload)
            msg = (
                f"part {shorten(index)} of {upload!r} (of {count}, with {len(buffers)} buffers) "
                "is not a part: expected an index below count and one buffer."
            )
            raise ValueError(msg)
        parts = self.pending.get(upload)
        if parts is None:
            if len(self.pending) >= MAX_UPLOADS:
                msg = f"more than {MAX_UPLOADS} uploads are in progress; {upload!r} is refused."
                raise ValueError(msg)
            parts = self.pending[upload] = [None] * count
        if len(parts) != count or parts[index] is not None:
            self.forget(upload)
            msg = f"part {index} of {upload!r} does not fit the parts already received."
            raise ValueError(msg)
        data = buffers[0]
        if self.size + len(data) > MAX_PENDING_BYTES:
            self.forget(upload)
            msg = f"{upload!r} would hold more than {MAX_PENDING_BYTES} bytes in parts; refused."
            raise ValueError(msg)
        parts[index] = data
        self.size += len(data)

    def take(self, named: Any, buffers: list[bytes]) -> list[bytes]:
        """The update's buffers, each one named in `named` replaced by its upload, joined.

        Raises
        ------
        ValueError
            If `named` is not an object of buffer indices to uploads, or an upload is unknown
            or incomplete; every upload it names is forgotten.
        """
        if not isinstance(named, dict):
            msg = f"esmwidget_parts is {shorten(named)}; expected an object."
            raise ValueError(msg)  # noqa: TRY004 - callers handle one error type for a bad message
        uploads = [upload for upload in named.values() if isinstance(upload, str)]
        try:
            out = list(buffers)
            for key, upload in named.items():
                index = int(key) if isinstance(key, str) and key.isdigit() else -1
                parts = self.pending.get(upload) if isinstance(upload, str) else None
                if not 0 <= index < len(out) or parts is None or any(p is None for p in parts):
                    msg = (
                        f"esmwidget_parts names buffer {shorten(key)} as upload "
                        f"{shorten(upload)}, which is not a complete upload of this widget."
                    )
                    raise ValueError(msg)
                out[index] = b"".join(part for part in parts if part is not None)
            return out
        finally:
            for upload in uploads:
                self.forget(upload)

    def forget(self, upload: str) -> None:
        parts = self.pending.pop(upload, None) or []
        self.size -= sum(len(part) for part in parts if part is not None)

    def clear(self) -> None:
        self.pending.clear()
        self.size = 0
