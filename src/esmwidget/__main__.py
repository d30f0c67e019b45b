"""The ``esmwidget`` command (also ``python -m esmwidget``): ``create`` and ``types``."""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from ._authoring.create import TEMPLATES, Project, create

__all__ = ["main"]

_NEXT_STEPS = {
    "vanilla": ["pip install -e '.[dev]'", "jupyter lab example.ipynb"],
    "typescript": [
        "pip install -e '.[dev]'      # also runs npm install and npm run build",
        "npm run dev                  # in a second terminal: rebuilds the bundle on save",
        "jupyter lab example.ipynb",
    ],
}
_NEXT_STEPS["react"] = _NEXT_STEPS["typescript"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="esmwidget", description="Tools for esmwidget widget authors."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    new = commands.add_parser(
        "create",
        help="write a new widget project",
        description=(
            "Write a new widget project: a Python package with the widget class, its front end, "
            "tests, an example notebook, a README and a pyproject.toml."
        ),
    )
    new.add_argument("name", metavar="NAME", help="the Python package name, such as my_widget")
    new.add_argument(
        "--template",
        choices=TEMPLATES,
        default="vanilla",
        help=(
            "vanilla: a plain ES module, no build step (default); typescript: TypeScript "
            "bundled by esbuild; react: a React component bundled by esbuild"
        ),
    )
    new.add_argument(
        "--dir",
        type=Path,
        metavar="DIR",
        help="the project folder to create (default: ./NAME); it may exist if it is empty",
    )
    typed = commands.add_parser(
        "types",
        help="write TypeScript model types for widget classes",
        description=(
            "Write a TypeScript declaration with one `<Class>Model` interface per widget class: "
            "its synced traits (or fields), typed as the front end receives them."
        ),
    )
    typed.add_argument(
        "targets", nargs="+", metavar="MODULE:CLASS", help="the classes, such as my_widget:Counter"
    )
    typed.add_argument(
        "--path",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder to import the classes from (repeatable), such as src for a src layout",
    )
    typed.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="the .ts file to write (default: print it); written only when its text changes",
    )
    return parser


def _types(targets: Sequence[str], output: Path | None, paths: Sequence[Path]) -> int:
    from ._authoring.types import TargetError, generate, load_target  # noqa: PLC0415

    # The folders given, then the current one, as `python -m` has it.
    sys.path[:0] = [*(str(Path(path).resolve()) for path in paths), ""]
    try:
        classes = [load_target(target) for target in targets]
    except TargetError as error:
        sys.stderr.write(f"esmwidget types: error: {error}\n")
        return 2
    result = generate(classes, command=" ".join(["esmwidget types", *targets]))
    for warning in result.warnings:
        sys.stderr.write(f"esmwidget types: warning: {warning}\n")
    if output is None:
        sys.stdout.write(result.text)
        return 0
    try:
        if not output.is_file() or output.read_text(encoding="utf-8") != result.text:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(result.text, encoding="utf-8")
    except OSError as error:
        sys.stderr.write(f"esmwidget types: error: cannot write {str(output)!r}: {error}\n")
        return 2
    return 0


def _report(project: Project) -> str:
    source = _installed_from()
    environment = [
        "python -m venv .venv",
        ".venv\\Scripts\\activate" if os.name == "nt" else "source .venv/bin/activate",
    ]
    if source is not None:
        # Not from PyPI: a new environment gets esmwidget from the same place first, or the
        # project's `esmwidget>=...` requirement finds nothing to install.
        environment.append(f"pip install {shlex.quote(source)}   # esmwidget, as installed here")
    lines = [
        f"Created {project.name} ({project.template} template) in {project.directory}:",
        *(f"  {file}" for file in project.files),
        "",
        "Next, in a new virtual environment:",
        f"  cd {shlex.quote(str(project.directory))}",
        *(f"  {step}" for step in [*environment, *_NEXT_STEPS[project.template]]),
    ]
    return "\n".join(lines) + "\n"


def _installed_from() -> str | None:
    """Where this esmwidget was installed from when not from an index: a checkout or a wheel."""
    try:
        text = importlib.metadata.distribution("esmwidget").read_text("direct_url.json")
        url = json.loads(text or "null")["url"] if text else None
    except (importlib.metadata.PackageNotFoundError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(url, str) or not url.startswith("file://"):
        return None
    return url2pathname(urlparse(url).path)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0, or 2 when the input was refused)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "types":
        return _types(args.targets, args.output, args.path)
    try:
        project = create(args.name, template=args.template, directory=args.dir)
    except (ValueError, OSError) as error:
        sys.stderr.write(f"esmwidget create: error: {error}\n")
        return 2
    sys.stdout.write(_report(project))
    return 0


if __name__ == "__main__":
    sys.exit(main())
