// initialize once per model, render once per view; every lifetime ends through its signal,
// and the cleanups it returned are awaited.
import { expect, test, vi } from "vitest";
import { display, fresh_log, open_widget, per_test, sleep, until } from "./harness.js";

const t = per_test();

/**
 * A module that logs its lifecycle; cleanups take a while, to prove they are awaited. Its view
 * counter lives at module level, which the models of one class share (load.js): each test gets
 * its own text, so its own module.
 */
const logging = () => `// ${crypto.randomUUID()}
let views = 0;
export default {
	async initialize({ model, signal }) {
		esmlog.push("initialize");
		signal.addEventListener("abort", () => esmlog.push("initialize signal aborted"));
		return async () => {
			await new Promise((r) => setTimeout(r, 30));
			esmlog.push("initialize cleanup done");
		};
	},
	render({ model, el, signal }) {
		const n = ++views;
		esmlog.push("render " + n);
		el.textContent = "view " + n;
		signal.addEventListener("abort", () => esmlog.push("render " + n + " signal aborted"));
		return async () => {
			await new Promise((r) => setTimeout(r, 20));
			esmlog.push("render " + n + " cleanup done");
		};
	},
};`;

test("initialize runs once per model (even with no view) and render once per view", async () => {
	const log = fresh_log();
	const { model } = await open_widget(t.manager, { _esm: logging() });
	await until(() => expect(log).toEqual(["initialize"]));
	const one = await display(t.manager, model);
	const two = await display(t.manager, model);
	await until(() => expect([one.el.textContent, two.el.textContent]).toEqual(["view 1", "view 2"]));
	expect(log).toEqual(["initialize", "render 1", "render 2"]);
});

test("removing a view aborts its signal and runs its cleanup; the model lives on", async () => {
	const log = fresh_log();
	const { model } = await open_widget(t.manager, { _esm: logging() });
	const one = await display(t.manager, model);
	const two = await display(t.manager, model);
	await until(() => expect(two.el.textContent).toBe("view 2"));
	one.remove();
	expect(log).toContain("render 1 signal aborted");
	await until(() => expect(log).toContain("render 1 cleanup done"));
	expect(log).not.toContain("render 2 signal aborted");
	expect(log).not.toContain("initialize signal aborted");
	expect(two.el.textContent).toBe("view 2");
});

test("model.close() resolves after view cleanups, then the initialize cleanup, have finished", async () => {
	const log = fresh_log();
	const { model, comm } = await open_widget(t.manager, { _esm: logging() });
	await display(t.manager, model);
	await until(() => expect(log).toContain("render 1"));
	await model.close();
	expect(log.slice(2)).toEqual([
		"render 1 signal aborted",
		"render 1 cleanup done",
		"initialize signal aborted",
		"initialize cleanup done",
	]);
	expect(comm.closed).toBe(true);
	expect(document.querySelector(".test-output")).toBeNull();
});

test("a comm_close from the kernel removes the views and runs every cleanup", async () => {
	const log = fresh_log();
	const { model, comm } = await open_widget(t.manager, { _esm: logging() });
	await display(t.manager, model);
	await until(() => expect(log).toContain("render 1"));
	comm.kernel_close();
	await until(() => expect(log).toContain("initialize cleanup done"));
	expect(log).toContain("render 1 cleanup done");
	expect(document.querySelector(".test-output")).toBeNull();
});

test("a failing cleanup is a console warning, never an exception", async () => {
	const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
	const { model } = await open_widget(t.manager, {
		_esm: `export default {
			initialize() { return () => { throw new Error("init cleanup broke"); }; },
			render({ el }) { el.textContent = "x"; return async () => { throw new Error("render cleanup broke"); }; },
		};`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("x"));
	await expect(model.close()).resolves.toBeUndefined();
	const warnings = warn.mock.calls.map((call) => String(call[0]));
	expect(warnings).toEqual([
		expect.stringMatching(/test\.Widget: the cleanup returned by render\(\) failed/),
		expect.stringMatching(/test\.Widget: the cleanup returned by initialize\(\) failed/),
	]);
});

test("listeners added through the model proxy go away with their context; the host's stay", async () => {
	const log = fresh_log();
	const { model, comm } = await open_widget(t.manager, {
		value: 0,
		_esm: `export default {
			initialize({ model }) {
				model.on("change:value", () => esmlog.push("initialize saw " + model.get("value")));
			},
			render({ model, el }) {
				el.textContent = "value " + model.get("value");
				model.on("change:value", () => { el.textContent = "value " + model.get("value"); esmlog.push("view saw " + model.get("value")); });
				model.on("change", () => esmlog.push("view saw change"));
			},
		};`,
	});
	/** @type {number[]} */
	const host_saw = [];
	model.on("change:value", () => host_saw.push(model.get("value")));
	const view = await display(t.manager, model);
	await until(() => expect(log).toEqual([]));
	await comm.update({ value: 1 });
	await until(() => expect(view.el.textContent).toBe("value 1"));
	view.remove();
	log.length = 0;
	await comm.update({ value: 2 });
	await sleep(10);
	expect(log).toEqual(["initialize saw 2"]);
	expect(host_saw).toEqual([1, 2]);
	await model.close();
	log.length = 0;
	model.set("value", 3);
	expect(log).toEqual([]);
	expect(host_saw).toEqual([1, 2, 3]);
});

test("model.off(name) from a module removes only that module's listeners", async () => {
	const log = fresh_log();
	const { model, comm } = await open_widget(t.manager, {
		value: 0,
		_esm: `export default {
			render({ model, el }) {
				model.on("change:value", () => esmlog.push("view " + model.get("value")));
				model.on("msg:custom", (content) => { if (content === "stop") model.off("change:value"); });
				el.textContent = "ready";
			},
		};`,
	});
	let host_calls = 0;
	model.on("change:value", () => host_calls++);
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("ready"));
	await comm.update({ value: 1 });
	await comm.custom("stop");
	await comm.update({ value: 2 });
	expect(log).toEqual(["view 1"]);
	expect(host_calls).toBe(2);
});

test("a view removed while render is still running gets its cleanup at once", async () => {
	const log = fresh_log();
	const { model } = await open_widget(t.manager, {
		_esm: `export default {
			async render({ el, signal }) {
				esmlog.push("render started");
				await new Promise((r) => setTimeout(r, 30));
				esmlog.push("render finished, aborted " + signal.aborted);
				return () => esmlog.push("cleanup");
			},
		};`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(log).toEqual(["render started"]));
	view.remove();
	await until(() => expect(log).toEqual(["render started", "render finished, aborted true", "cleanup"]));
});

test("a view removed before the module has loaded never renders", async () => {
	const log = fresh_log();
	const { model } = await open_widget(t.manager, {
		_esm: `await new Promise((r) => setTimeout(r, 20));
			export default { render({ el }) { esmlog.push("render"); el.textContent = "late"; } };`,
	});
	const view = await display(t.manager, model);
	view.remove();
	await sleep(50);
	expect(log).toEqual([]);
	expect(view.el.textContent).toBe("");
});

test("a model closed before its module loaded runs nothing", async () => {
	const log = fresh_log();
	const { model } = await open_widget(t.manager, { _esm: logging() });
	await model.close();
	await sleep(20);
	expect(log).toEqual([]);
});

test("a view of a closed model stays empty", async () => {
	const log = fresh_log();
	const { model } = await open_widget(t.manager, { _esm: logging() });
	await until(() => expect(log).toEqual(["initialize"]));
	await model.close();
	const view = await display(t.manager, model);
	await sleep(20);
	expect(view.el.textContent).toBe("");
	expect(log).toEqual(["initialize", "initialize signal aborted", "initialize cleanup done"]);
});
