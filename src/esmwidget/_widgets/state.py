"""Read, validate and write the synced state of plain Python objects (the descriptor API)."""

from __future__ import annotations

import dataclasses
import sys
import typing
from collections.abc import Callable
from typing import Any

__all__ = ["StateAdapter", "adapter_for"]

_BINARY = (bytes, bytearray, memoryview)


class StateAdapter:
    """How to read all fields, validate a front-end patch, and apply it, for one kind of object."""

    kind = "object"

    def get(self, obj: Any) -> dict[str, Any]:
        """The JSON-ready state of `obj` (binary values kept as bytes)."""
        raise NotImplementedError

    def validate(self, obj: Any, patch: dict[str, Any]) -> dict[str, Any]:
        """Return the validated values of `patch`, or raise; must not modify `obj`."""
        del obj
        return patch

    def apply(self, obj: Any, values: dict[str, Any]) -> None:
        """Write validated values into `obj`."""
        for key, value in values.items():
            setattr(obj, key, value)

    def fields(self, obj: Any) -> set[str]:
        """Names the front end may write."""
        return set(self.get(obj))


class _Hooks(StateAdapter):
    kind = "_get_anywidget_state"

    def get(self, obj: Any) -> dict[str, Any]:
        return dict(obj._get_anywidget_state(None))

    def apply(self, obj: Any, values: dict[str, Any]) -> None:
        setter = getattr(obj, "_set_anywidget_state", None)
        if setter is not None:
            setter(values)
        else:
            super().apply(obj, values)


class _Dataclass(StateAdapter):
    kind = "dataclass"

    def get(self, obj: Any) -> dict[str, Any]:
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}

    def validate(self, obj: Any, patch: dict[str, Any]) -> dict[str, Any]:
        try:
            hints = typing.get_type_hints(type(obj))
        except Exception:
            hints = {}
        out = {}
        for key, value in patch.items():
            expected = hints.get(key)
            if expected is not None and not _matches(value, expected):
                msg = (
                    f"The {key!r} field of a {type(obj).__name__} expected "
                    f"{_describe(expected)}, not the {type(value).__name__} {value!r}."
                )
                raise TypeError(msg)
            out[key] = value
        return out


class _Traitlets(StateAdapter):
    kind = "traitlets"

    def get(self, obj: Any) -> dict[str, Any]:
        state = {}
        for name, trait in obj.traits(sync=True).items():
            to_json = trait.metadata.get("to_json")
            value = getattr(obj, name)
            state[name] = value if to_json is None else to_json(value, obj)
        return state

    def validate(self, obj: Any, patch: dict[str, Any]) -> dict[str, Any]:
        traits = obj.traits(sync=True)
        out = {}
        for key, raw in patch.items():
            trait = traits[key]
            from_json = trait.metadata.get("from_json")
            value = raw if from_json is None else from_json(raw, obj)
            out[key] = trait._validate(obj, value)
        return out

    def apply(self, obj: Any, values: dict[str, Any]) -> None:
        # set_trait, as ipywidgets does: `read_only` traits are the module's to write.
        with obj.hold_trait_notifications():
            for key, value in values.items():
                obj.set_trait(key, value)


class _Pydantic(StateAdapter):
    kind = "pydantic"

    def get(self, obj: Any) -> dict[str, Any]:
        state: dict[str, Any] = obj.model_dump(mode="json")
        for key, value in obj.model_dump().items():
            if isinstance(value, _BINARY):
                state[key] = bytes(value)  # JSON mode would base64 it; keep it a buffer
        return state

    def validate(self, obj: Any, patch: dict[str, Any]) -> dict[str, Any]:
        merged = {**obj.model_dump(), **patch}
        validated = type(obj).model_validate(merged)
        return {key: getattr(validated, key) for key in patch}

    def fields(self, obj: Any) -> set[str]:
        return set(type(obj).model_fields)


class _Msgspec(StateAdapter):
    kind = "msgspec"

    def get(self, obj: Any) -> dict[str, Any]:
        import msgspec  # noqa: PLC0415 - present whenever a Struct exists

        state: dict[str, Any] = msgspec.to_builtins(obj, builtin_types=_BINARY)
        return state

    def validate(self, obj: Any, patch: dict[str, Any]) -> dict[str, Any]:
        import msgspec  # noqa: PLC0415

        merged = {**msgspec.structs.asdict(obj), **patch}
        validated = msgspec.convert(merged, type(obj), builtin_types=_BINARY)
        return {key: getattr(validated, key) for key in patch}


def _describe(expected: Any) -> str:
    name = getattr(expected, "__name__", None)
    if not isinstance(expected, type) or not name:
        return str(expected)
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _matches(value: Any, expected: Any) -> bool:  # noqa: PLR0911 - one return per type rule
    origin = typing.get_origin(expected) or expected
    if origin is typing.Union or type(expected).__name__ == "UnionType":
        return any(_matches(value, arg) for arg in typing.get_args(expected))
    if expected is Any or not isinstance(origin, type):
        return True
    if origin is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if origin is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if origin is bytes:
        return isinstance(value, _BINARY)
    if origin is tuple:
        return isinstance(value, list | tuple)
    return isinstance(value, origin)


def _is_pydantic(obj: Any) -> bool:
    module = sys.modules.get("pydantic")
    base = getattr(module, "BaseModel", None)
    return base is not None and isinstance(obj, base)


def _is_msgspec(obj: Any) -> bool:
    module = sys.modules.get("msgspec")
    base = getattr(module, "Struct", None)
    return base is not None and isinstance(obj, base)


def _is_traitlets(obj: Any) -> bool:
    module = sys.modules.get("traitlets")
    base = getattr(module, "HasTraits", None)
    return base is not None and isinstance(obj, base)


_CHECKS: list[tuple[Callable[[Any], bool], StateAdapter]] = [
    (lambda obj: hasattr(obj, "_get_anywidget_state"), _Hooks()),
    (lambda obj: dataclasses.is_dataclass(obj) and not isinstance(obj, type), _Dataclass()),
    (_is_traitlets, _Traitlets()),
    (_is_pydantic, _Pydantic()),
    (_is_msgspec, _Msgspec()),
]


def adapter_for(obj: Any) -> StateAdapter:
    """Pick the state adapter for `obj`, in the documented order.

    Raises
    ------
    TypeError
        If `obj` is none of the supported kinds.
    """
    for check, adapter in _CHECKS:
        if check(obj):
            return adapter
    msg = (
        f"esmwidget cannot read the state of {type(obj).__qualname__!r} objects. Use a dataclass, "
        "a traitlets HasTraits, a pydantic BaseModel or a msgspec Struct, or define "
        "`_get_anywidget_state(self, include)` (and `_set_anywidget_state(self, state)`)."
    )
    raise TypeError(msg)
