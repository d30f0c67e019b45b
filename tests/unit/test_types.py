"""`esmwidget types`: TypeScript model types from Python classes. Per trait kind, the text; then
the proof that matters: the TypeScript the templates pin compiles correct use of a generated
model, with esmwidget's types and with @anywidget/types, and rejects each mistake it should."""

from __future__ import annotations

import dataclasses
import enum
import json
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest
import traitlets

import esmwidget
from esmwidget.__main__ import main
from esmwidget._authoring.types import generate
from esmwidget.experimental import dataclass as described

REPO = Path(__file__).resolve().parents[2]
TSC = REPO / "node_modules" / ".bin" / "tsc"


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Counter(esmwidget.AnyWidget):
    _esm = "export default {}"
    count = traitlets.Int(0, help="How many clicks so far.").tag(sync=True)
    ratio = traitlets.CFloat(0.5).tag(sync=True)
    label = traitlets.Unicode("x", allow_none=True).tag(sync=True)
    on = traitlets.Bool().tag(sync=True)
    data = traitlets.Bytes().tag(sync=True)
    names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    pair = traitlets.Tuple(traitlets.Int(), traitlets.Unicode()).tag(sync=True)
    tags = traitlets.Set(traitlets.Unicode()).tag(sync=True)
    weights = traitlets.Dict(value_trait=traitlets.Float()).tag(sync=True)
    mode = traitlets.Enum(["a", "b", 3]).tag(sync=True)
    color = traitlets.UseEnum(Color, default_value=Color.RED).tag(
        sync=True, to_json=lambda c, _: c.value, ts_type='"red" | "blue"'
    )
    either = traitlets.Union([traitlets.Int(), traitlets.Unicode()]).tag(sync=True)
    anything = traitlets.Any().tag(sync=True)
    child = esmwidget.WidgetTrait(allow_none=True)
    children = traitlets.List(traitlets.Instance(esmwidget.AnyWidget)).tag(
        sync=True, **esmwidget.widget_serialization
    )
    custom = traitlets.Int().tag(sync=True, to_json=lambda v, _: str(v))
    hidden = traitlets.Int()  # not synced: not in the model


@described(esm="export default {}")
class Point:
    x: int = 0
    tag: str | None = None
    items: list[float] = dataclasses.field(default_factory=list)
    kind: typing.Literal["a", "b"] = "a"
    raw: bytes = b""
    extra: dict[str, tuple[int, str]] = dataclasses.field(default_factory=dict)


def members(text: str, name: str) -> dict[str, str]:
    body = text.split(f"export interface {name} {{")[1].split("\n}", maxsplit=1)[0]
    return dict(re.findall(r"^  (\w+): (.*);$", body, re.M))


def test_each_trait_kind_is_typed_as_the_front_end_receives_it():
    result = generate([Counter])
    assert members(result.text, "CounterModel") == {
        "anything": "unknown",
        "child": "WidgetReference | null",
        "children": "WidgetReference[]",
        "color": '"red" | "blue"',
        "count": "number",
        "custom": "unknown /* Int with its own to_json */",
        "data": "DataView",
        "either": "number | string",
        "label": "string | null",
        "mode": '"a" | "b" | 3',
        "names": "string[]",
        "on": "boolean",
        "pair": "[number, string]",
        "ratio": "number",
        "tags": "string[]",
        "weights": "Record<string, number>",
    }
    assert "  /** How many clicks so far. */\n  count: number;" in result.text
    assert "export type WidgetReference = `IPY_MODEL_${string}`;" in result.text
    (warning,) = result.warnings
    assert "Counter.custom: Int with its own to_json" in warning
    assert "ts_type=" in warning


def test_a_described_dataclass_is_typed_from_its_annotations():
    assert members(generate([Point]).text, "PointModel") == {
        "x": "number",
        "tag": "string | null",
        "items": "number[]",
        "kind": '"a" | "b"',
        "raw": "DataView",
        "extra": "Record<string, [number, string]>",
    }


def test_pydantic_and_msgspec_models_are_typed_from_their_fields():
    pydantic = pytest.importorskip("pydantic")
    msgspec = pytest.importorskip("msgspec")
    namespace: dict[str, typing.Any] = {"pydantic": pydantic, "msgspec": msgspec}
    source = (
        "import esmwidget.experimental as ex\n"
        "class Inner(pydantic.BaseModel):\n    a: int\n"
        "@ex.widget(esm='export default {}')\n"
        "class P(pydantic.BaseModel):\n"
        "    name: str\n    inner: Inner\n    when: list[int] | None = None\n"
        "@ex.widget(esm='export default {}')\n"
        "class M(msgspec.Struct, weakref=True):\n"
        "    size: float\n    flags: set[str]\n"
    )
    # Compiled without this module's `from __future__ import annotations`, as a model's own
    # module would be: pydantic resolves `Inner` when the class is made.
    exec(compile(source, "<models>", "exec", dont_inherit=True), namespace)
    text = generate([namespace["P"], namespace["M"]]).text
    assert members(text, "PModel") == {
        "name": "string",
        "inner": "{ a: number }",
        "when": "number[] | null",
    }
    assert members(text, "MModel") == {"size": "number", "flags": "string[]"}


GOOD = """
import type { AnyModel, RenderProps } from "./types";
import type { AnyModel as TheirModel, RenderProps as TheirProps } from "@anywidget/types";
import type { CounterModel, PointModel } from "./model";

export function render({ model, el, host }: RenderProps<CounterModel>) {
  const n: number = model.get("count") + 1;
  model.set("count", n);
  model.set("mode", 3);
  model.set("label", null);
  const label = model.get("label");
  if (label !== null) el.textContent = label.toUpperCase();
  const [first, second]: [number, string] = model.get("pair");
  const view: DataView = model.get("data");
  model.on("change:count", (_m: unknown, value: number) => value.toFixed());
  const child = model.get("child");
  if (child !== null) host.getWidget(child);
  return [first, second, view.byteLength];
}
export function theirs({ model }: TheirProps<CounterModel>, other: TheirModel<PointModel>) {
  const kind: "a" | "b" = other.get("kind");
  other.set("items", [1.5]);
  return model.get("names").concat(kind);
}
export function point(model: AnyModel<PointModel>) {
  const extra: Record<string, [number, string]> = model.get("extra");
  return extra;
}
"""

# Each mistake the compiler must now catch, in a file of its own.
BAD = {
    "misspelled_key": 'export const f = (m: AnyModel<CounterModel>) => m.get("cuont");',
    "wrong_type_on_set": 'export const f = (m: AnyModel<CounterModel>) => m.set("count", "3");',
    "number_read_as_string": (
        'export const f = (m: AnyModel<CounterModel>): string => m.get("count");'
    ),
    "nullable_as_non_null": (
        'export const f = (m: AnyModel<CounterModel>): string => m.get("label");'
    ),
    "outside_the_enum": 'export const f = (m: AnyModel<CounterModel>) => m.set("mode", "c");',
    "unsynced_trait": 'export const f = (m: AnyModel<CounterModel>) => m.get("hidden");',
    "dataclass_misspelled": 'export const f = (m: AnyModel<PointModel>) => m.get("y");',
    "dataclass_wrong_type": 'export const f = (m: AnyModel<PointModel>) => m.set("x", "1");',
    "dataclass_outside_literal": (
        'export const f = (m: AnyModel<PointModel>) => m.set("kind", "c");'
    ),
    "dataclass_nullable": 'export const f = (m: AnyModel<PointModel>): string => m.get("tag");',
}
# The plain-JavaScript route: // @ts-check with the generated declaration (docs/front-end.md).
JSDOC = """// @ts-check
/** @type {import("@anywidget/types").AnyWidget<import("./model").CounterModel>} */
export default {
  render({ model, el }) {
    el.textContent = `count is ${model.get("%s")}`;
  },
};
"""
IMPORTS = (
    'import type { AnyModel } from "./types";\n'
    'import type { CounterModel, PointModel } from "./model";\n'
)


def test_the_pinned_typescript_accepts_correct_use_and_rejects_each_mistake(tmp_path: Path):
    if not TSC.exists():
        pytest.skip("TypeScript is not installed (npm install)")
    pinned = json.loads((REPO / "templates" / "typescript" / "package.json").read_text())
    version = subprocess.run([str(TSC), "-v"], capture_output=True, text=True, check=True).stdout
    assert pinned["devDependencies"]["typescript"].lstrip("^") in version
    (tmp_path / "model.ts").write_text(generate([Counter, Point]).text)
    (tmp_path / "types.d.ts").write_text((REPO / "js" / "src" / "types.d.ts").read_text())
    (tmp_path / "good.ts").write_text(GOOD)
    (tmp_path / "good_jsdoc.js").write_text(JSDOC % "count")
    (tmp_path / "jsdoc_misspelled.js").write_text(JSDOC % "cuont")
    for name, code in BAD.items():
        (tmp_path / f"{name}.ts").write_text(IMPORTS + code + "\n")
    (tmp_path / "node_modules").symlink_to(REPO / "node_modules")
    (tmp_path / "tsconfig.json").write_text(
        json.dumps(
            {
                "compilerOptions": {
                    "target": "es2022",
                    "module": "preserve",
                    "moduleResolution": "bundler",
                    "lib": ["es2023", "dom"],
                    "types": [],
                    "strict": True,
                    "noEmit": True,
                    "skipLibCheck": True,
                    "allowJs": True,
                    "checkJs": True,
                },
                "include": ["*.ts", "*.js"],
            }
        )
    )
    done = subprocess.run(
        [str(TSC), "-p", str(tmp_path)], capture_output=True, text=True, check=False
    )
    failing = {Path(m).stem for m in re.findall(r"^(\S+?\.[tj]s)\(", done.stdout, re.M)}
    assert failing == {*BAD, "jsdoc_misspelled"}, done.stdout


def test_the_command_writes_the_file_and_refuses_what_is_not_a_widget(tmp_path, capsys):
    module = tmp_path / "typed_widget_mod.py"
    module.write_text(
        "import esmwidget, traitlets\n"
        "class Counter(esmwidget.AnyWidget):\n"
        "    _esm = 'export default {}'\n"
        "    count = traitlets.Int().tag(sync=True)\n"
        "class NotOne:\n    pass\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        out = tmp_path / "js" / "model.ts"
        assert main(["types", "typed_widget_mod:Counter", "-o", str(out)]) == 0
        assert "export interface CounterModel {\n  count: number;\n}" in out.read_text()
        for target, expected in [
            ("typed_widget_mod:NotOne", "typed_widget_mod:NotOne is <class"),
            ("typed_widget_mod:Missing", "'typed_widget_mod' has no 'Missing'"),
            ("no_such_module_xyz:Counter", "cannot import 'no_such_module_xyz'"),
            ("typed_widget_mod", "write MODULE:CLASS"),
        ]:
            assert main(["types", target]) == 2
            err = capsys.readouterr().err
            assert err.startswith("esmwidget types: error: "), err
            assert expected in err, err
            assert "Traceback" not in err
    finally:
        sys.path.remove(str(tmp_path))


def test_children_under_ipywidgets_serialization_are_references_too():
    ipywidgets = pytest.importorskip("ipywidgets")

    class Holder(esmwidget.AnyWidget):
        _esm = "export default {}"
        kids = traitlets.List(traitlets.Instance(ipywidgets.Widget)).tag(
            sync=True, **ipywidgets.widget_serialization
        )

    result = generate([Holder])
    assert members(result.text, "HolderModel") == {"kids": "WidgetReference[]"}
    assert result.warnings == []
