"""APIs that may still change: commands, and widgets from dataclasses, pydantic, msgspec."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, overload

from typing_extensions import dataclass_transform

from ._sync.commands import command
from ._widgets.descriptor import MimeBundleDescriptor, model_for

__all__ = ["MimeBundleDescriptor", "command", "dataclass", "on_msg", "send", "widget"]

T = TypeVar("T")


def widget(
    *, esm: str | Path | None = None, css: str | Path | None = None, **kwargs: Any
) -> Callable[[type[T]], type[T]]:
    """Class decorator: instances of the class display as widgets.

    Parameters
    ----------
    esm, css
        The module and stylesheet, as for `esmwidget.AnyWidget`.
    **kwargs
        Passed to `MimeBundleDescriptor` (``autodetect_observer``, ``no_view``, extra state).

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> import esmwidget.experimental as ex
    >>> @ex.widget(esm="export default { render({ el }) { el.textContent = 'point' } }")
    ... @dataclass
    ... class Point:
    ...     x: int = 0
    """

    def decorate(cls: type[T]) -> type[T]:
        descriptor: MimeBundleDescriptor[T] = MimeBundleDescriptor(_esm=esm, _css=css, **kwargs)
        cls._repr_mimebundle_ = descriptor  # type: ignore[attr-defined]
        descriptor.__set_name__(cls, "_repr_mimebundle_")
        return cls

    return decorate


@overload
def dataclass(cls: type[T], /) -> type[T]: ...
@overload
def dataclass(
    cls: None = None, /, *, esm: str | Path = ..., css: str | Path | None = None, **kwargs: Any
) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform()
def dataclass(
    cls: type[T] | None = None,
    /,
    *,
    esm: str | Path | None = None,
    css: str | Path | None = None,
    **kwargs: Any,
) -> type[T] | Callable[[type[T]], type[T]]:
    """A dataclass whose fields emit psygnal events and which displays as a widget.

    ``@dataclass(esm=...)`` = ``dataclasses.dataclass`` + ``psygnal.evented`` + `widget`.

    Parameters
    ----------
    esm, css
        The module and stylesheet, as for `esmwidget.AnyWidget`.
    **kwargs
        Passed to `dataclasses.dataclass` (``frozen`` is not supported: fields must be settable).
    """

    def decorate(klass: type[T]) -> type[T]:
        import psygnal  # noqa: PLC0415 - only this decorator needs it

        made = psygnal.evented(dataclasses.dataclass(klass, **kwargs))
        return widget(esm=esm, css=css)(made)

    return decorate if cls is None else decorate(cls)


def send(obj: Any, content: Any, buffers: Sequence[Any] | None = None) -> None:
    """Send a custom message to the front end of a widget object (opens its comm if needed)."""
    model_for(obj).send(content, buffers)


def on_msg(
    obj: Any, callback: Callable[[Any, Any, list[bytes]], None], remove: bool = False
) -> None:
    """Register ``callback(obj, content, buffers)`` for custom messages from the front end."""
    model_for(obj).on_msg(callback, remove=remove)
