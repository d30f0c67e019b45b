// Beginner mistakes explain themselves where the author looks: a key the model does not have,
// and keys Python refused. A correct widget stays silent.
import { afterEach, expect, test, vi } from "vitest";
import { closest } from "../src/model.js";
import { display, fresh_log, open_widget, per_test, until } from "./harness.js";

const t = per_test();

afterEach(() => vi.restoreAllMocks());

/** @param {import("vitest").MockInstance} spy */
function said(spy) {
	return spy.mock.calls.map((call) => call.join(" "));
}

test("reading a key the model does not have warns once per key, naming the keys it has", async () => {
	const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
	const log = fresh_log();
	const { model } = await open_widget(t.manager, {
		...{ _anywidget_id: "demo.Counter" },
		count: 0,
		label: "hi",
		_esm: `export default { render({ model, el }) {
			for (let i = 0; i < 3; i++) esmlog.push(String(model.get("cout")));
			esmlog.push(String(model.get("colour")));
			el.textContent = "count is " + model.get("count");
		} };`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("count is 0"));
	expect(log).toEqual(["undefined", "undefined", "undefined", "undefined"]);
	const warnings = said(warn);
	expect(warnings).toHaveLength(2);
	expect(warnings[0]).toContain('demo.Counter: model.get("cout") is undefined');
	expect(warnings[0]).toContain('Did you mean "count"?');
	expect(warnings[0]).toContain('Its keys: "count", "label".');
	expect(warnings[0]).not.toContain("_esm");
	expect(warnings[1]).toContain('model.get("colour")');
	expect(warnings[1]).not.toContain("Did you mean");
	expect(warnings[1]).toContain(".tag(sync=True)");
	// A second view of the same widget does not repeat it.
	await display(t.manager, model);
	await until(() => expect(log).toHaveLength(8));
	expect(warn).toHaveBeenCalledTimes(2);
});

test("a correct widget reads and writes without a word in the console", async () => {
	const warn = vi.spyOn(console, "warn");
	const error = vi.spyOn(console, "error");
	const { model, comm } = await open_widget(t.manager, {
		count: 0,
		empty: null,
		flag: false,
		_esm: `export default { render({ model, el }) {
			el.textContent = [model.get("count"), model.get("empty"), model.get("flag")].join(",");
			model.on("change:count", () => { el.textContent = String(model.get("count")); });
			model.set("count", 1);
			model.save_changes();
		} };`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("1"));
	await comm.update({ count: 2 });
	await until(() => expect(view.el.textContent).toBe("2"));
	expect(warn).not.toHaveBeenCalled();
	expect(error).not.toHaveBeenCalled();
});

test("a value Python rejected is noted above every view with the kernel's reason", async () => {
	const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
	const log = fresh_log();
	const { model, comm } = await open_widget(t.manager, {
		count: 3,
		_esm: `export default { render({ model, el }) {
			model.on("msg:custom", (c) => esmlog.push("module got " + JSON.stringify(c)));
			const b = document.createElement("b");
			b.textContent = "count is " + model.get("count");
			model.on("change:count", () => { b.textContent = "count is " + model.get("count"); });
			el.append(b);
		} };`,
	});
	const views = [await display(t.manager, model), await display(t.manager, model)];
	await until(() => expect(views[1].el.textContent).toBe("count is 3"));
	const reason = "The 'count' trait of a Counter instance expected an int, not the str 'five'.";
	// What the kernel sends after model.set("count", "five"): Python's value, then why.
	await comm.update({ count: 3 });
	await comm.custom({
		kind: "esmwidget-refused",
		refused: [{ key: "count", why: "invalid", reason, value: "'five'" }],
	});
	for (const view of views) {
		const box = view.el.querySelector('.esmwidget-error[data-phase="sync"]');
		expect(box?.textContent).toContain("Python did not take a value from the page");
		expect(box?.textContent).toContain(`Python kept its value after model.set("count", 'five'): ${reason}`);
		expect(view.el.querySelector("b")?.textContent).toBe("count is 3"); // the widget works on
	}
	expect(said(warn)).toEqual([
		expect.stringContaining(`Python kept its value after model.set("count", 'five'): ${reason}`),
	]);
	expect(log).toEqual([]); // the loader's message never reaches the module
	// A second rejection replaces the note; Dismiss removes it from that view only.
	await comm.custom({
		kind: "esmwidget-refused",
		refused: [{ key: "count", why: "invalid", reason: "too big", value: "99" }],
	});
	expect(views[0].el.querySelectorAll(".esmwidget-error")).toHaveLength(1);
	expect(views[0].el.textContent).toContain('model.set("count", 99): too big');
	/** @type {HTMLButtonElement} */ (views[0].el.querySelector(".esmwidget-error-dismiss")).click();
	expect(views[0].el.querySelector(".esmwidget-error")).toBeNull();
	expect(views[1].el.querySelector(".esmwidget-error")).not.toBeNull();
});

test("a trait without sync=True is noted in the views; a refused protected key only in the console", async () => {
	const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
	const { model, comm } = await open_widget(t.manager, {
		_esm: `export default { render({ el }) { el.textContent = "ok"; } };`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("ok"));
	await comm.custom({
		kind: "esmwidget-refused",
		refused: [{ key: "_esm", why: "protected", reason: "code, style and identity keys are set from Python only." }],
	});
	expect(view.el.querySelector(".esmwidget-error")).toBeNull();
	expect(said(warn)).toEqual([
		expect.stringContaining(`Python ignored model.set("_esm"): code, style and identity keys`),
	]);
	const unsynced = "Counter.count is a trait without .tag(sync=True), so the page cannot set it.";
	await comm.custom({ kind: "esmwidget-refused", refused: [{ key: "count", why: "unsynced", reason: unsynced }] });
	expect(view.el.querySelector(".esmwidget-error")?.textContent).toContain(
		`Python ignored model.set("count"): ${unsynced}`,
	);
	expect(view.el.textContent).toContain("ok");
});

test("closest finds a typo within a few edits and nothing else", () => {
	expect(closest("cout", ["count", "label"])).toBe("count");
	expect(closest("cuont", ["count", "label"])).toBe("count");
	expect(closest("Label", ["count", "label"])).toBe("label");
	expect(closest("colour", ["count", "label"])).toBeNull();
	expect(closest("x", [])).toBeNull();
});
