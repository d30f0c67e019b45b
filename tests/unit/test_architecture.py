"""The package's rooms import each other only downwards, as docs/architecture.md draws them.

Every ``import`` and ``from ... import`` of every module is read with `ast`, those inside
functions too (lazy imports are still dependencies), and resolved to the room it reaches.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "esmwidget"

# Lowest first. A module may import its own room and the rooms of lower layers. Rooms of one layer
# do not import each other, except in the first and the last: the base modules, and the public
# modules (`compat` serves `experimental` to anywidget code).
LAYERS: list[set[str]] = [
    {"_env", "_version", "_build_version", "_warnings", "_log"},  # base: no esmwidget imports
    {"_wire"},
    {"_assets"},
    {"_sync"},
    {"_widgets"},
    {"_pages", "_interop", "_authoring"},
    {
        "__init__",
        "__main__",
        "compat",
        "experimental",
        "mkdocs",
        "sphinx",
        "streamlit",
        "testing",
    },  # the public modules
]
LAYER_OF = {room: i for i, rooms in enumerate(LAYERS) for room in rooms}


def room_of(parts: tuple[str, ...]) -> str:
    """The room of a module, from its path inside the package: its folder, or its own name."""
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if not {"labextension", "nbextension", "_templates"} & set(path.parts)
    )


def imported_rooms(path: Path, package_root: Path = PACKAGE) -> set[str]:
    """The rooms of esmwidget that the module at `path` imports."""
    inside = path.relative_to(package_root).parts
    package = list(inside[:-1])  # the module's package, below esmwidget
    rooms: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names = (node.module or "").split(".")
                if names[0] != "esmwidget":
                    continue
                target = names[1:]
            else:
                base = package[: len(package) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
            if target:
                rooms.add(target[0])
            else:  # `from . import x` at the top of the package
                rooms.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names = alias.name.split(".")
                if names[0] == "esmwidget" and len(names) > 1:
                    rooms.add(names[1])
    return rooms


def test_every_module_is_in_a_drawn_room():
    rooms = {room_of(path.relative_to(PACKAGE).parts) for path in modules()}
    assert rooms <= set(LAYER_OF), f"rooms not in LAYERS: {sorted(rooms - set(LAYER_OF))}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_down_only(path: Path):
    own = room_of(path.relative_to(PACKAGE).parts)
    layer = LAYER_OF[own]
    open_layer = layer in (0, len(LAYERS) - 1)
    wrong = sorted(
        room
        for room in imported_rooms(path) - {own}
        if room in LAYER_OF
        and (LAYER_OF[room] > layer or (LAYER_OF[room] == layer and not open_layer))
    )
    assert wrong == [], f"{own} (layer {LAYER_OF[own]}) imports {wrong}; see docs/architecture.md"


def test_the_check_sees_a_wrong_import(tmp_path: Path):
    # Positive control: an upward import, inside a function of a sync-room module, is found.
    root = tmp_path / "esmwidget"
    fake = root / "_sync" / "example.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from . import pace\n\ndef f():\n    from .._widgets.widget import AnyWidget\n")
    assert imported_rooms(fake, root) == {"_sync", "_widgets"}
