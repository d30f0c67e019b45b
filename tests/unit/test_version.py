import json
import subprocess
import sys
from pathlib import Path

import pytest

import esmwidget
from esmwidget._version import semver_range

ROOT = Path(__file__).resolve().parents[2]


def test_python_and_js_share_one_version():
    package = json.loads((ROOT / "package.json").read_text())
    assert esmwidget.__version__ == package["version"]


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.1.0", "~0.1.*"),
        ("2.13.7", "~2.13.*"),
        ("1.2.0a1", "1.2.0-alpha.1"),
        ("1.2.0b3", "1.2.0-beta.3"),
        ("1.2.0rc1", "1.2.0-rc.1"),
        ("1.2.0.dev4", "1.2.0-dev.4"),
    ],
)
def test_semver_range_pins_prereleases_exactly(version, expected):
    assert semver_range(version) == expected


def test_semver_range_rejects_unknown_shapes():
    with pytest.raises(ValueError, match=r"'1\.2' is not X\.Y\.Z"):
        semver_range("1.2")


def test_import_is_light_and_never_imports_ipywidgets_or_ipykernel():
    code = (
        "import sys, esmwidget; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'ipywidgets', 'ipykernel', 'psygnal', 'watchfiles', 'IPython'}); print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
