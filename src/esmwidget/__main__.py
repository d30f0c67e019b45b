"""The ``esmwidget`` command (also ``python -m esmwidget``): ``esmwidget create NAME``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

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
    return parser


def _report(project: Project) -> str:
    lines = [
        f"Created {project.name} ({project.template} template) in {project.directory}:",
        *(f"  {file}" for file in project.files),
        "",
        "Next:",
        f"  cd {project.directory}",
        *(f"  {step}" for step in _NEXT_STEPS[project.template]),
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0, or 2 when the project was refused)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        project = create(args.name, template=args.template, directory=args.dir)
    except (ValueError, OSError) as error:
        sys.stderr.write(f"esmwidget create: error: {error}\n")
        return 2
    sys.stdout.write(_report(project))
    return 0


if __name__ == "__main__":
    sys.exit(main())
