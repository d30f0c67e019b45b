"""`esmwidget create`: write a new widget project from one of the templates shipped in the wheel."""

from __future__ import annotations

import keyword
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .._version import __version__

__all__ = ["TEMPLATES", "Project", "check_name", "create", "suggest_name", "templates_root"]

TEMPLATES = ("vanilla", "typescript", "react")

_HERE = Path(__file__).resolve().parent
# Installed: force-included into the wheel as esmwidget/_templates (pyproject.toml). Editable
# install or source checkout: the repository's templates/ folder.
_TEMPLATE_ROOTS = (_HERE.parent / "_templates", _HERE.parents[2] / "templates")
# Left behind by a developer trying a template in place; never part of a project.
_JUNK = {"__pycache__", "node_modules", ".pytest_cache", ".ipynb_checkpoints"}
_TAKEN = {"esmwidget", "anywidget"}


@dataclass(frozen=True)
class Project:
    """What `create` wrote: the project folder and its files, relative to it, sorted."""

    name: str
    module: str
    class_name: str
    template: str
    directory: Path
    files: tuple[str, ...]


def templates_root() -> Path:
    """The folder holding one subfolder per template.

    Raises
    ------
    FileNotFoundError
        If neither the installed copy nor a source checkout's ``templates/`` exists.
    """
    for root in _TEMPLATE_ROOTS:
        if (root / TEMPLATES[0]).is_dir():
            return root
    looked = " and ".join(repr(str(root)) for root in _TEMPLATE_ROOTS)
    msg = (
        f"esmwidget's project templates are missing (looked in {looked}). "
        "Reinstall esmwidget: pip install --force-reinstall esmwidget"
    )
    raise FileNotFoundError(msg)


def suggest_name(name: str) -> str:
    """The valid package name nearest to `name`: ASCII, underscores for separators.

    Examples
    --------
    >>> suggest_name("my-widget")
    'my_widget'
    >>> suggest_name("3d plot")
    'widget_3d_plot'
    >>> suggest_name("class")
    'class_widget'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    candidate = re.sub(r"[^0-9A-Za-z_]+", "_", ascii_name).strip("_") or "my_widget"
    if candidate[0].isdigit():
        candidate = f"widget_{candidate}"
    if _problem(candidate) is not None:
        candidate = f"{candidate}_widget"
    return candidate


def check_name(name: str) -> None:
    """Refuse a `name` that cannot be the project's Python package.

    Raises
    ------
    ValueError
        With the reason and the nearest valid name.
    """
    problem = _problem(name)
    if problem is not None:
        msg = f"{name!r} {problem}; try {suggest_name(name)!r}."
        raise ValueError(msg)


def _problem(name: str) -> str | None:
    if not (name.isascii() and name.isidentifier()):
        return "is not a valid Python package name"
    if name.startswith("_") or name.endswith("_"):
        return "starts or ends with an underscore, which a distribution name cannot"
    if keyword.iskeyword(name):
        return "is a Python keyword, so it cannot be imported"
    if name in sys.stdlib_module_names:
        return "is a standard library module, which the package would hide"
    if name in _TAKEN:
        return f"would hide the {name} package"
    return None


def _class_name(module: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in module.split("_")) or "Widget"


def create(name: str, template: str = "vanilla", directory: Path | None = None) -> Project:
    """Write a new widget project for the Python package `name` from `template`.

    Parameters
    ----------
    name
        The Python package (import) name, such as ``my_widget``; the distribution is named
        ``my-widget`` and the widget class ``MyWidget``.
    template
        ``"vanilla"`` (a plain ES module, no build step), ``"typescript"`` or ``"react"``
        (bundled by esbuild when the Python package is built).
    directory
        The project folder to create; ``./NAME`` by default. It may exist if it is empty.

    Raises
    ------
    ValueError
        If `name` is not a valid package name or `template` is unknown.
    FileExistsError
        If `directory` is a file, or a folder that is not empty.
    """
    check_name(name)
    if template not in TEMPLATES:
        msg = f"unknown template {template!r}; choose one of {', '.join(TEMPLATES)}."
        raise ValueError(msg)
    target = Path(directory if directory is not None else name).expanduser().absolute()
    _check_target(target)
    source = templates_root() / template
    values = {
        "{{name}}": name.lower().replace("_", "-"),
        "{{module}}": name,
        "{{class_name}}": _class_name(name),
        "{{esmwidget_version}}": __version__,
    }
    written = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if not path.is_file() or _JUNK.intersection(relative.parts) or path.suffix == ".pyc":
            continue
        out = _fill(relative.as_posix(), values)
        text = _fill(path.read_bytes().decode("utf-8"), values)
        destination = target / out
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(text.encode("utf-8"))
        written.append(out)
    return Project(
        name=values["{{name}}"],
        module=name,
        class_name=values["{{class_name}}"],
        template=template,
        directory=target,
        files=tuple(sorted(written)),
    )


def _check_target(target: Path) -> None:
    if target.is_file():
        msg = f"{str(target)!r} is a file, not a folder; pass another project folder with --dir."
        raise FileExistsError(msg)
    if target.is_dir():
        entries = sorted(entry.name for entry in target.iterdir())
        if entries:
            shown = ", ".join(repr(entry) for entry in entries[:3])
            more = f" and {len(entries) - 3} more" if len(entries) > 3 else ""
            msg = (
                f"the folder {str(target)!r} exists and is not empty (it holds {shown}{more}); "
                "pass a new or empty folder with --dir, or choose another NAME."
            )
            raise FileExistsError(msg)


def _fill(text: str, values: dict[str, str]) -> str:
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text
