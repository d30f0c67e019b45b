"""`esmwidget create`: names, target folders, the command line (fast; no builds)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from esmwidget.__main__ import main
from esmwidget._authoring import create as _create
from esmwidget._authoring.create import TEMPLATES, check_name, create, suggest_name, templates_root

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["my_widget", "counter", "MyWidget", "widget3d", "a"])
def test_valid_names_pass(name: str) -> None:
    check_name(name)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("my-widget", "'my-widget' is not a valid Python package name; try 'my_widget'."),
        ("my widget!", "'my widget!' is not a valid Python package name; try 'my_widget'."),
        ("3d-plot", "'3d-plot' is not a valid Python package name; try 'widget_3d_plot'."),
        ("café", "'café' is not a valid Python package name; try 'cafe'."),
        ("", "'' is not a valid Python package name; try 'my_widget'."),
        (
            "_private",
            "'_private' starts or ends with an underscore, which a distribution name "
            "cannot; try 'private'.",
        ),
        ("class", "'class' is a Python keyword, so it cannot be imported; try 'class_widget'."),
        (
            "json",
            "'json' is a standard library module, which the package would hide; try 'json_widget'.",
        ),
        ("esmwidget", "'esmwidget' would hide the esmwidget package; try 'esmwidget_widget'."),
    ],
)
def test_invalid_names_are_refused_with_the_nearest_valid_one(name: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_name(name)
    assert str(caught.value) == message
    check_name(suggest_name(name))  # the suggestion itself is accepted


def test_names_derived_from_the_package_name(tmp_path: Path) -> None:
    project = create("my_widget", directory=tmp_path / "p")
    assert (project.name, project.module, project.class_name) == (
        "my-widget",
        "my_widget",
        "MyWidget",
    )
    init = (tmp_path / "p" / "src" / "my_widget" / "__init__.py").read_text()
    assert "class MyWidget(esmwidget.AnyWidget):" in init
    assert 'name = "my-widget"' in (tmp_path / "p" / "pyproject.toml").read_text()


def test_the_default_folder_is_the_name_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    project = create("counter")
    assert project.directory == tmp_path / "counter"
    assert (tmp_path / "counter" / "src" / "counter" / "widget.js").is_file()


def test_an_existing_empty_folder_is_used(tmp_path: Path) -> None:
    create("counter", directory=tmp_path)
    assert (tmp_path / "pyproject.toml").is_file()


def test_a_non_empty_folder_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match=r"exists and is not empty \(it holds 'notes.txt'\)"):
        create("counter", directory=tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_file_as_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("")
    with pytest.raises(FileExistsError, match="is a file, not a folder"):
        create("counter", directory=tmp_path / "x")


def test_an_unknown_template_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown template 'vue'; choose one of vanilla, "):
        create("counter", template="vue", directory=tmp_path / "p")


def test_templates_come_from_the_source_tree_in_a_checkout() -> None:
    # The wheel has them as esmwidget/_templates (test_templates.py installs one and checks).
    assert templates_root() == REPO / "templates"
    assert sorted(p.name for p in templates_root().iterdir()) == sorted(TEMPLATES)


def test_missing_templates_say_where_they_were_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_create, "_TEMPLATE_ROOTS", (tmp_path / "a", tmp_path / "b"))
    with pytest.raises(FileNotFoundError, match=r"templates are missing \(looked in '.*a' and"):
        templates_root()


def test_cli_creates_and_prints_the_next_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "w"
    assert main(["create", "counter", "--template", "typescript", "--dir", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"Created counter (typescript template) in {target}:" in out
    assert "  js/widget.ts\n" in out
    assert "npm run dev" in out
    assert (target / "js" / "widget.ts").is_file()


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["create", "my-widget"],
            "'my-widget' is not a valid Python package name; try 'my_widget'.",
        ),
        (["create", "counter", "--dir", "."], "exists and is not empty"),
    ],
)
def test_cli_refusals_exit_2_with_the_reason(
    args: list[str],
    error: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "already-here.txt").write_text("")
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("esmwidget create: error: ")
    assert error in captured.err
    assert captured.out == ""


def test_cli_rejects_an_unknown_template(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["create", "counter", "--template", "vue"])
    assert exited.value.code == 2
    assert "invalid choice: 'vue'" in capsys.readouterr().err


def test_python_dash_m_esmwidget_runs_the_command(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "esmwidget", "create", "counter", "--dir", str(tmp_path / "c")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "c" / "example.ipynb").is_file()


def test_import_esmwidget_does_not_load_the_command_line() -> None:
    code = "import sys, esmwidget; print(sorted(m for m in sys.modules if 'create' in m))"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=env,
    )
    assert proc.stdout.strip() == "[]"
