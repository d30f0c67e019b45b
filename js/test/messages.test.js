// Comm messages that arrive while the module loads are queued, in order, never dropped; loader
// messages never reach the module.
import { expect, test, vi } from "vitest";
import { display, fresh_log, gate, open_widget, per_test, sleep, until } from "./harness.js";

const t = per_test();

test("messages sent while initialize runs are delivered after it, in order", async () => {
	const log = fresh_log();
	const slow = gate();
	/** @type {any} */ (globalThis).slow_init = slow.promise;
	const { model, comm } = await open_widget(t.manager, {
		value: 0,
		_esm: `export default {
			async initialize({ model }) {
				esmlog.push("initialize start");
				await globalThis.slow_init;
				model.on("msg:custom", (content, buffers) => esmlog.push("custom " + JSON.stringify(content) + " value " + model.get("value") + " buffers " + buffers.length));
				model.on("change:value", () => esmlog.push("value " + model.get("value")));
				esmlog.push("initialize end");
			},
		};`,
	});
	await until(() => expect(log).toEqual(["initialize start"]));
	// The kernel connection is not held up: it hands over every message at once...
	await Promise.all([
		comm.custom({ n: 1 }, [new DataView(new ArrayBuffer(2))]),
		comm.update({ value: 1 }),
		comm.custom({ n: 2 }),
		comm.update({ value: 2 }),
	]);
	// ...and however long loading takes, nothing is dropped, applied early or reordered.
	await sleep(50);
	expect(log).toEqual(["initialize start"]);
	expect(model.get("value")).toBe(0);
	slow.open();
	await until(() =>
		expect(log).toEqual([
			"initialize start",
			"initialize end",
			'custom {"n":1} value 0 buffers 1',
			"value 1",
			'custom {"n":2} value 1 buffers 0',
			"value 2",
		]),
	);
});

test("other widgets' messages flow while one widget initializes", async () => {
	const log = fresh_log();
	const slow = gate();
	/** @type {any} */ (globalThis).slow_init = slow.promise;
	const stuck = await open_widget(t.manager, {
		_esm: `export default { async initialize({ model }) {
			await globalThis.slow_init;
			model.on("msg:custom", (c) => esmlog.push("slow got " + c));
		} };`,
	});
	const other = await open_widget(t.manager, {
		_esm: `export default { initialize({ model }) { model.on("msg:custom", (c) => esmlog.push("other got " + c)); } };`,
	});
	await sleep(10);
	await stuck.comm.custom("first");
	await other.comm.custom("second");
	await until(() => expect(log).toEqual(["other got second"]));
	slow.open();
	await until(() => expect(log).toEqual(["other got second", "slow got first"]));
});

test("messages wait for a module swap the same way", async () => {
	const log = fresh_log();
	const { comm } = await open_widget(t.manager, {
		_esm: `export default { initialize({ model }) { model.on("msg:custom", (c) => esmlog.push("v1 got " + c)); } };`,
	});
	await sleep(10);
	await comm.update({
		_esm: `export default { async initialize({ model }) {
			await new Promise((r) => setTimeout(r, 30));
			model.on("msg:custom", (c) => esmlog.push("v2 got " + c));
		} };`,
	});
	await comm.custom("hello");
	await until(() => expect(log).toEqual(["v2 got hello"]));
});

test("a module that fails to load does not hold messages back", async () => {
	vi.spyOn(console, "error").mockImplementation(() => {});
	const { model, comm } = await open_widget(t.manager, { value: 0, _esm: "export default {" });
	await comm.update({ value: 9 });
	await until(() => expect(model.get("value")).toBe(9));
});

test("loader messages never reach msg:custom listeners", async () => {
	vi.spyOn(console, "error").mockImplementation(() => {});
	const log = fresh_log();
	/** @type {unknown[]} */
	const host_saw = [];
	const { model, comm } = await open_widget(t.manager, {
		_esm: `export default { render({ model, el }) {
			model.on("msg:custom", (content) => esmlog.push(JSON.stringify(content)));
			el.textContent = "ready";
		} };`,
	});
	model.on("msg:custom", (content) => host_saw.push(content));
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("ready"));
	await comm.custom({ kind: "anywidget-command-response", id: "nobody", response: 1 });
	await comm.custom({ kind: "esmwidget-hmr-error", message: "gone" });
	await comm.custom({ kind: "something-else", value: 1 });
	expect(log).toEqual(['{"kind":"something-else","value":1}']);
	expect(host_saw).toEqual([{ kind: "something-else", value: 1 }]);
});

test("model.send reaches the kernel as a custom message with buffers", async () => {
	const { model, comm } = await open_widget(t.manager, {
		_esm: `export default { render({ model, el }) {
			model.send({ hello: "kernel" }, undefined, [new Uint8Array([1, 2, 3]), new Uint8Array([9, 4, 5, 9]).subarray(1, 3)]);
			el.textContent = "sent";
		} };`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("sent"));
	const [message] = comm.sent.filter((m) => m.data.method === "custom");
	expect(message.data).toEqual({ method: "custom", content: { hello: "kernel" } });
	// as JupyterLab's serializer will write them: the whole ArrayBuffer behind each
	const written = message.buffers.map((b) => [...new Uint8Array(ArrayBuffer.isView(b) ? b.buffer : b)]);
	expect(written).toEqual([
		[1, 2, 3],
		[4, 5],
	]);
});

test("widget_manager.get_model gives a proxy of another model", async () => {
	const other = await open_widget(t.manager, { value: "other value", _esm: "export default {};" });
	const { model } = await open_widget(t.manager, {
		ref: other.model.model_id,
		_esm: `export default { async render({ model, el }) {
			const other = await model.widget_manager.get_model(model.get("ref"));
			el.textContent = other.get("value");
		} };`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("other value"));
});

test("the first render of every view sees the updates that arrived while the module loaded", async () => {
	const log = fresh_log();
	const slow = gate();
	/** @type {any} */ (globalThis).slow_init = slow.promise;
	const { model, comm } = await open_widget(t.manager, {
		v: {},
		_esm: `export default {
			async initialize() { await globalThis.slow_init; },
			render({ model, el }) { esmlog.push("render " + JSON.stringify(model.get("v"))); el.textContent = "ok"; },
		};`,
	});
	// Python sets a trait right after the widget opened; the page shows it three times.
	const views = await Promise.all([display(t.manager, model), display(t.manager, model)]);
	await comm.update({ v: { v: 1 } });
	views.push(await display(t.manager, model));
	slow.open();
	await until(() => expect(log).toHaveLength(3));
	expect(log).toEqual(['render {"v":1}', 'render {"v":1}', 'render {"v":1}']);
});

test("a Python message handler that raised is shown above every view, which keeps working", async () => {
	const { model, comm } = await open_widget(t.manager, {
		_esm: `export default { render({ el }) { el.append(Object.assign(document.createElement("b"), { textContent: "still here" })); } };`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("still here"));
	const error = vi.spyOn(console, "error").mockImplementation(() => {});
	await comm.custom({
		kind: "esmwidget-python-error",
		where: "on_msg callback Widget.handle",
		error: {
			type: "TypeError",
			message: "handle() takes 3 positional arguments but 4 were given",
			traceback: "Traceback ...",
		},
	});
	const box = view.el.querySelector(".esmwidget-error");
	expect(box?.textContent).toContain("a Python message handler failed");
	expect(box?.textContent).toContain("on_msg callback Widget.handle raised TypeError: handle() takes 3");
	expect(view.el.querySelector("b")?.textContent).toBe("still here");
	expect(error).toHaveBeenCalledWith(
		expect.stringContaining("a Python message handler failed"),
		expect.any(String),
		"Traceback ...",
	);
});

test("views displayed while Python's _view_count waits behind the load are counted once it applies", async () => {
	// ipywidgets' views count themselves in `_view_count` when Python set it to a number; here
	// Python's number arrives while `initialize` still runs, after the views were displayed.
	const slow = gate();
	/** @type {any} */ (globalThis).slow_count = slow.promise;
	const { model, comm } = await open_widget(t.manager, {
		_esm: `export default {
			async initialize() { await globalThis.slow_count; },
			render({ model, el }) { el.textContent = "views " + model.get("_view_count"); },
		};`,
	});
	await comm.update({ _view_count: 0 });
	const views = [await display(t.manager, model), await display(t.manager, model)];
	for (const view of views) view.trigger("displayed");
	expect(model.get("_view_count")).toBe(null);
	slow.open();
	await until(() => expect(model.get("_view_count")).toBe(2));
	const sent = comm.updates().map((m) => m.data.state._view_count);
	expect(sent).toEqual([1, 2]);
	// Removed views count down again (the base class's own rule).
	views[0].remove();
	expect(model.get("_view_count")).toBe(1);
	// Displayed once Python's number is there: counted by the base class, not twice.
	const third = await display(t.manager, model);
	third.trigger("displayed");
	await until(() => expect(model.get("_view_count")).toBe(2));
	await sleep(20);
	expect(model.get("_view_count")).toBe(2);
});
