// Failures are drawn into the cell: a box with the widget id, the message and, where known, the
// line and column. A corrected _esm recovers without re-running the cell.
import { beforeEach, expect, test, vi } from "vitest";
import { display, open_widget, per_test, until } from "./harness.js";

const t = per_test();
beforeEach(() => {
	vi.spyOn(console, "error").mockImplementation(() => {});
});

/** @param {HTMLElement} el */
function box(el) {
	const found = el.querySelector(".esmwidget-error");
	if (!found) throw new Error(`no error box in ${JSON.stringify(el.textContent)}`);
	return /** @type {HTMLElement} */ (found);
}

const GOOD = `export default { render({ model, el }) { el.textContent = "fixed " + model.get("value"); } };`;

test("a syntax error shows the id, the message, and its line and column", async () => {
	const { model } = await open_widget(t.manager, {
		_anywidget_id: "demo.Broken",
		_esm: "export default {\n  render({ el }) {\n    el.textContent = ;\n  },\n};\n",
	});
	const view = await display(t.manager, model);
	await until(() => box(view.el));
	const shown = box(view.el);
	expect(shown.querySelector(".esmwidget-error-title")?.textContent).toBe(
		"[esmwidget] demo.Broken: could not load _esm",
	);
	expect(shown.querySelector(".esmwidget-error-message")?.textContent).toMatch(/^SyntaxError: Unexpected token ';'/);
	expect(shown.querySelector(".esmwidget-error-location")?.textContent).toBe("line 3, column 22");
	expect(shown.getAttribute("role")).toBe("alert");
	expect(view.el.textContent).toContain("demo.Broken");
});

test("an import of a missing export is located too", async () => {
	const { model } = await open_widget(t.manager, {
		_esm: "\nimport { nothing } from 'data:text/javascript,export const something = 1';\nexport default {};",
	});
	const view = await display(t.manager, model);
	await until(() => box(view.el));
	expect(box(view.el).textContent).toMatch(/does not provide an export named 'nothing'/);
	expect(box(view.el).querySelector(".esmwidget-error-location")?.textContent).toMatch(/^line 2, column \d+$/);
});

test("a syntax error in an embedded chunk names the chunk", async () => {
	// What the kernel sends for a file-backed _esm whose entry imports ./chunk.js (esmwidget/_assets/bundle.py).
	const chunk = btoa("export const a = 1;\nlet x = ;\n//# sourceURL=esmwidget:///dist/chunk.js\n");
	const { model } = await open_widget(t.manager, {
		_esm: `import { a } from "data:text/javascript;base64,${chunk}";\nexport default {};\n`,
	});
	const view = await display(t.manager, model);
	await until(() => box(view.el));
	expect(box(view.el).querySelector(".esmwidget-error-message")?.textContent).toMatch(
		/^SyntaxError: Unexpected token ';'/,
	);
	expect(box(view.el).querySelector(".esmwidget-error-location")?.textContent).toBe(
		"line 2, column 9 of dist/chunk.js",
	);
});

test("a module without a default export says what to export", async () => {
	const { model } = await open_widget(t.manager, { _anywidget_id: "demo.NoDefault", _esm: "export const x = 1;" });
	const view = await display(t.manager, model);
	await until(() => box(view.el));
	expect(box(view.el).querySelector(".esmwidget-error-title")?.textContent).toBe(
		"[esmwidget] demo.NoDefault: module has no default export. Expected `export default { initialize, render }`, or a function returning that object.",
	);
});

test("a default export that is not a widget is named", async () => {
	const { model } = await open_widget(t.manager, { _esm: "export default 42;" });
	const view = await display(t.manager, model);
	await until(() => box(view.el));
	expect(box(view.el).textContent).toMatch(/the default export is not a widget \(got number\)/);
});

test("an empty _esm is explained", async () => {
	const { model } = await open_widget(t.manager, { _esm: "" });
	const view = await display(t.manager, model);
	await until(() => box(view.el));
	expect(box(view.el).textContent).toMatch(/_esm is empty/);
});

test("an error thrown while the module runs is located through its stack", async () => {
	const { model } = await open_widget(t.manager, { _esm: "export default {};\nconst data = null;\ndata.field;\n" });
	const view = await display(t.manager, model);
	await until(() => box(view.el));
	expect(box(view.el).querySelector(".esmwidget-error-message")?.textContent).toMatch(/^TypeError: .*null/);
	expect(box(view.el).querySelector(".esmwidget-error-location")?.textContent).toBe("line 3, column 6");
});

test("render throwing shows the error in that view, with its position", async () => {
	const { model } = await open_widget(t.manager, {
		_anywidget_id: "demo.Throws",
		_esm: `export default {
  render({ el }) {
    el.textContent = "half drawn";
    throw new RangeError("bad range");
  },
};`,
	});
	const view = await display(t.manager, model);
	await until(() => box(view.el));
	expect(view.el.textContent).not.toContain("half drawn");
	expect(box(view.el).querySelector(".esmwidget-error-title")?.textContent).toBe(
		"[esmwidget] demo.Throws: render() failed",
	);
	expect(box(view.el).querySelector(".esmwidget-error-message")?.textContent).toBe("RangeError: bad range");
	expect(box(view.el).querySelector(".esmwidget-error-location")?.textContent).toBe("line 4, column 11");
});

test("an async render rejecting shows the error too", async () => {
	const { model } = await open_widget(t.manager, {
		_esm: `export default { async render() { await null; throw new Error("later"); } };`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(box(view.el).textContent).toContain("Error: later"));
});

test("initialize throwing shows the error in every view", async () => {
	const { model } = await open_widget(t.manager, {
		_esm: `export default {
			initialize() { throw new Error("no init"); },
			render({ el }) { el.textContent = "rendered"; },
		};`,
	});
	const views = [await display(t.manager, model), await display(t.manager, model)];
	for (const view of views) {
		await until(() => box(view.el));
		expect(box(view.el).textContent).toContain("initialize() failed");
		expect(box(view.el).textContent).toContain("Error: no init");
		expect(view.el.textContent).not.toContain("rendered");
	}
});

test("a corrected _esm replaces the error boxes with the widget, keeping state", async () => {
	const { model, comm } = await open_widget(t.manager, { value: 4, _esm: "export default {" });
	const views = [await display(t.manager, model), await display(t.manager, model)];
	await until(() => views.map((view) => box(view.el)));
	await comm.update({ _esm: GOOD });
	for (const view of views) {
		await until(() => expect(view.el.textContent).toBe("fixed 4"));
		expect(view.el.querySelector(".esmwidget-error")).toBeNull();
	}
});

test("an hmr-error message shows in every view until the next _esm arrives", async () => {
	const { model, comm } = await open_widget(t.manager, {
		_anywidget_id: "demo.Hot",
		value: 1,
		_esm: `export default { render({ model, el }) { el.append("widget " + model.get("value")); } };`,
	});
	const views = [await display(t.manager, model), await display(t.manager, model)];
	await until(() => expect(views[1].el.textContent).toBe("widget 1"));
	await comm.custom({ kind: "esmwidget-hmr-error", key: "_esm", message: "file was deleted", path: "/tmp/widget.js" });
	for (const view of views) {
		const shown = box(view.el);
		expect(shown.querySelector(".esmwidget-error-title")?.textContent).toBe("[esmwidget] demo.Hot: hot reload failed");
		expect(shown.textContent).toContain("file was deleted (/tmp/widget.js)");
		expect(view.el.textContent).toContain("widget 1");
	}
	// The same source sent again (the file came back unchanged) clears the box.
	await comm.update({ _esm: model.get("_esm") });
	for (const view of views) expect(view.el.querySelector(".esmwidget-error")).toBeNull();
	await comm.custom({ kind: "esmwidget-hmr-error", message: "unreadable" });
	await comm.update({ _esm: GOOD });
	for (const view of views) {
		await until(() => expect(view.el.textContent).toBe("fixed 1"));
	}
});

test("errors are also logged to the console with the widget id", async () => {
	const error = vi.mocked(console.error);
	const { model } = await open_widget(t.manager, { _anywidget_id: "demo.Logged", _esm: "export default {" });
	const view = await display(t.manager, model);
	await until(() => box(view.el));
	expect(
		error.mock.calls.some((call) => String(call[0]).includes("[esmwidget] demo.Logged: could not load _esm")),
	).toBe(true);
});

test("hmr-ok clears the error for its key; a _css error stays until _css is sent", async () => {
	const { model, comm } = await open_widget(t.manager, {
		_esm: `export default { render({ el }) { el.append("alive"); } };`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("alive"));
	await comm.custom({ kind: "esmwidget-hmr-error", key: "_esm", message: "w.js was deleted" });
	expect(box(view.el).textContent).toContain("w.js was deleted");
	await comm.custom({ kind: "esmwidget-hmr-ok", key: "_esm" });
	expect(view.el.querySelector(".esmwidget-error")).toBeNull();
	expect(view.el.textContent).toBe("alive");

	await comm.custom({ kind: "esmwidget-hmr-error", key: "_css", message: "w.css was deleted" });
	await comm.custom({ kind: "esmwidget-hmr-ok", key: "_esm" }); // another key: no effect
	await comm.update({ _esm: GOOD }); // a new module renders, the _css error stays above it
	await until(() => expect(view.el.textContent).toContain("fixed"));
	expect(box(view.el).textContent).toContain("w.css was deleted");
	await comm.update({ _css: ".x { color: red; }" });
	expect(view.el.querySelector(".esmwidget-error")).toBeNull();
});

test("a module's imports of http(s) addresses are found, for the offline hint", async () => {
	const { remote_imports, is_fetch_failure } = await import("../src/load.js");
	const source = `import a from "https://esm.sh/a@1";
import { b } from 'https://cdn.example/b.js';
export * from "https://esm.sh/a@1";
const c = await import("https://esm.sh/c");
import "./local.js";`;
	expect(remote_imports(source)).toEqual(["https://esm.sh/a@1", "https://cdn.example/b.js", "https://esm.sh/c"]);
	expect(remote_imports("  https://esm.sh/widget.js ")).toEqual(["https://esm.sh/widget.js"]);
	expect(remote_imports("export default {}")).toEqual([]);
	expect(is_fetch_failure(new TypeError("Failed to fetch dynamically imported module: blob:x"))).toBe(true);
	expect(is_fetch_failure(new SyntaxError("Unexpected token"))).toBe(false);
});

test("a file-backed module's errors name its file; an unclosed brace is placed at its last line", async () => {
	// What the kernel sends for `_esm = Path("static/widget.js")` (src/esmwidget/_widgets/traits.py).
	const file = "export default {\n  render({ el }) {\n    el.textContent = 1;\n  },\n\n";
	const { model } = await open_widget(t.manager, {
		_esm: `${file}\n//# sourceURL=esmwidget:///static/widget.js\n`,
	});
	const view = await display(t.manager, model);
	await until(() => box(view.el));
	// The parser stops where the input ends (past the pragma): the box says the file's last line.
	expect(box(view.el).querySelector(".esmwidget-error-location")?.textContent).toBe(
		"line 4, column 5 of static/widget.js",
	);
	const thrown = `// ${crypto.randomUUID()}\nexport default {\n  render() {\n    throw new Error("no");\n  },\n};\n`;
	const second = await open_widget(t.manager, { _esm: `${thrown}\n//# sourceURL=esmwidget:///static/other.js\n` });
	const other = await display(t.manager, second.model);
	await until(() => box(other.el));
	expect(box(other.el).querySelector(".esmwidget-error-location")?.textContent).toBe(
		"line 4, column 11 of static/other.js",
	);
});

test("an inline module's error is placed in the cell or file where its string was written", async () => {
	// The kernel names an inline `_esm` whose string starts on line 12 of a cell (origin.py).
	const text = `\n// ${crypto.randomUUID()}\nexport default {\n  render({ el }) {\n    el.textContent = ;\n  },\n};\n`;
	const cell = await open_widget(t.manager, { _esm: `${text}\n//# sourceURL=esmwidget:///cell/Counter._esm#L12\n` });
	const in_cell = await display(t.manager, cell.model);
	await until(() => box(in_cell.el));
	// The string's line 5 is the cell's line 16.
	expect(box(in_cell.el).querySelector(".esmwidget-error-location")?.textContent).toBe(
		"line 16, column 22 of the cell",
	);
	const file = await open_widget(t.manager, {
		_esm: `${text.replace("// ", "// other ")}\n//# sourceURL=esmwidget:///widgets.py/Counter._esm#L30\n`,
	});
	const in_file = await display(t.manager, file.model);
	await until(() => box(in_file.el));
	expect(box(in_file.el).querySelector(".esmwidget-error-location")?.textContent).toBe(
		"line 34, column 22 of widgets.py",
	);
});
