// A new _esm swaps the whole generation: old lifetimes end and are cleaned up first, the new
// module initializes, every view re-renders, and the model state stays.
import { expect, test } from "vitest";
import { display, fresh_log, gate, open_widget, per_test, until } from "./harness.js";

const t = per_test();

/** @param {string} tag */
const version = (tag) => `
export default {
	async initialize({ model }) {
		esmlog.push("${tag} initialize start");
		await new Promise((r) => setTimeout(r, 15));
		model.on("change:value", () => esmlog.push("${tag} initialize saw " + model.get("value")));
		esmlog.push("${tag} initialize end");
		return async () => {
			await new Promise((r) => setTimeout(r, 15));
			esmlog.push("${tag} initialize cleanup");
		};
	},
	render({ model, el }) {
		const show = () => { el.textContent = "${tag}: " + model.get("value"); };
		model.on("change:value", show);
		show();
		el.dataset.rendered = (Number(el.dataset.rendered ?? 0) + 1).toString();
		return async () => {
			await new Promise((r) => setTimeout(r, 10));
			esmlog.push("${tag} render cleanup");
		};
	},
};`;

test("a new _esm re-renders every view with the kept state, after the old cleanups", async () => {
	const log = fresh_log();
	const { model, comm } = await open_widget(t.manager, { value: 1, _esm: version("v1") });
	const views = [await display(t.manager, model), await display(t.manager, model)];
	await until(() => expect(views.map((v) => v.el.textContent)).toEqual(["v1: 1", "v1: 1"]));
	await comm.update({ value: 5 });
	views[0].el.append(document.createElement("span")); // stray DOM from the old module
	log.length = 0;
	await comm.update({ _esm: version("v2") });
	await until(() => expect(views.map((v) => v.el.textContent)).toEqual(["v2: 5", "v2: 5"]));
	expect(views[0].el.querySelector("span")).toBeNull();
	expect(log).toEqual([
		"v1 render cleanup",
		"v1 render cleanup",
		"v1 initialize cleanup",
		"v2 initialize start",
		"v2 initialize end",
	]);
	log.length = 0;
	await comm.update({ value: 6 });
	expect(log).toEqual(["v2 initialize saw 6"]);
	expect(views.map((v) => v.el.textContent)).toEqual(["v2: 6", "v2: 6"]);
});

test("updates in quick succession apply one at a time, in order, ending on the last", async () => {
	const log = fresh_log();
	const { model, comm } = await open_widget(t.manager, { value: 0, _esm: version("v1") });
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("v1: 0"));
	log.length = 0;
	void comm.update({ _esm: version("v2") });
	void comm.update({ _esm: version("v3") });
	await comm.update({ _esm: version("v4") });
	await until(() => expect(view.el.textContent).toBe("v4: 0"));
	const starts = log.filter((line) => line.endsWith("initialize start"));
	expect(starts).toEqual(["v2 initialize start", "v3 initialize start", "v4 initialize start"]);
	for (const tag of ["v2", "v3"]) {
		// each generation finished initializing and was cleaned up before the next began
		const end = log.indexOf(`${tag} initialize end`);
		const cleanup = log.indexOf(`${tag} initialize cleanup`);
		const next = log.indexOf(`v${Number(tag[1]) + 1} initialize start`);
		expect(end).toBeLessThan(cleanup);
		expect(cleanup).toBeLessThan(next);
	}
});

test("a module swap on a model without views initializes the new module", async () => {
	const log = fresh_log();
	const { comm } = await open_widget(t.manager, { _esm: version("v1") });
	await until(() => expect(log).toContain("v1 initialize end"));
	await comm.update({ _esm: version("v2") });
	await until(() => expect(log).toContain("v2 initialize end"));
	expect(log.indexOf("v1 initialize cleanup")).toBeLessThan(log.indexOf("v2 initialize start"));
});

test("a view created during a swap renders the new module once", async () => {
	fresh_log();
	const { model, comm } = await open_widget(t.manager, { value: 2, _esm: version("v1") });
	const first = await display(t.manager, model);
	await until(() => expect(first.el.textContent).toBe("v1: 2"));
	// The update is applied (the swap is scheduled); the new module is still initializing.
	await comm.update({ _esm: version("v2") });
	const second = await display(t.manager, model);
	expect(second.el.textContent).toBe("");
	await until(() => expect(second.el.textContent).toBe("v2: 2"));
	expect(second.el.dataset.rendered).toBe("1");
	expect(first.el.textContent).toBe("v2: 2");
});

test("a new _esm replaces a module whose initialize never settles, and messages queued behind it arrive", async () => {
	const log = fresh_log();
	const stuck = gate();
	/** @type {any} */ (globalThis).stuck_init = stuck.promise;
	const { model, comm } = await open_widget(t.manager, {
		value: 1,
		_esm: `export default {
			async initialize({ signal }) {
				esmlog.push("stuck initialize start");
				signal.addEventListener("abort", () => esmlog.push("stuck generation ended"));
				await globalThis.stuck_init;
				return () => esmlog.push("stuck cleanup after it settled");
			},
			render({ el }) { el.textContent = "stuck rendered"; },
		};`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(log).toEqual(["stuck initialize start"]));
	await comm.update({ _esm: version("fixed") });
	await comm.update({ value: 7 });
	await until(() => expect(view.el.textContent).toBe("fixed: 7"));
	expect(log).toContain("stuck generation ended");
	expect(view.el.textContent).not.toContain("stuck rendered");
	// Settling late, the old initialize's cleanup runs at once.
	stuck.open();
	await until(() => expect(log).toContain("stuck cleanup after it settled"));
	expect(view.el.textContent).toBe("fixed: 7");
});
