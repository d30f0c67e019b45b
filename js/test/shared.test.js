// Each model evaluates its own module, as on anywidget: top-level variables belong to one widget.
// A module that exports `shareModule = true` is evaluated once for all the models of its text.
import { expect, test } from "vitest";
import { shared_modules } from "../src/load.js";
import { display, fresh_log, open_widget, per_test, until } from "./harness.js";

const t = per_test();

/** A module whose top level, initialize and render each log; unique per call. */
const counting = (tag = "v1", share = false) => `// ${crypto.randomUUID()}
esmlog.push("${tag} module ran");
let views = 0;
${share ? "export const shareModule = true;" : ""}
export default {
	initialize({ model }) {
		esmlog.push("${tag} initialize " + model.get("name"));
		return () => esmlog.push("${tag} initialize cleanup " + model.get("name"));
	},
	render({ model, el }) {
		views += 1;
		el.textContent = "${tag} " + model.get("name") + " (view " + views + " of the module)";
	},
};`;

/**
 * Two models "a" and "b" of `esm`; views of a, b and a again, once all have rendered.
 *
 * @param {string} esm
 */
async function a_b_a(esm) {
	const a = await open_widget(t.manager, { _esm: esm, name: "a" });
	const b = await open_widget(t.manager, { _esm: esm, name: "b" });
	const views = [
		await display(t.manager, a.model),
		await display(t.manager, b.model),
		await display(t.manager, a.model),
	];
	await until(() => expect(views.every((v) => v.el.textContent)).toBe(true));
	return views;
}

/** @param {{ el: HTMLElement }[]} views */
const texts_of = (views) => views.map((v) => v.el.textContent);

test("each model evaluates the module: top-level state is its own, views of one model share it", async () => {
	const log = fresh_log();
	const esm = counting();
	const views = await a_b_a(esm);
	expect(log.filter((line) => line.includes("module ran"))).toEqual(["v1 module ran", "v1 module ran"]);
	expect(log.filter((line) => line.includes("initialize")).sort()).toEqual(["v1 initialize a", "v1 initialize b"]);
	expect(texts_of(views)).toEqual([
		"v1 a (view 1 of the module)",
		"v1 b (view 1 of the module)",
		"v1 a (view 2 of the module)",
	]);
	expect(shared_modules()).toBeGreaterThan(0);
});

test("an engine kept in a top-level variable, made by initialize when absent, stays per widget", async () => {
	// The pattern published anywidget packages use: evaluated once per model, it is safe.
	fresh_log();
	const esm = `// ${crypto.randomUUID()}
	let engine = null;
	export default {
		initialize({ model }) {
			if (!engine) engine = { name: model.get("name"), onChange() {} };
		},
		render({ model, el }) { engine.onChange(); el.textContent = engine.name + " in " + model.get("name"); },
	};`;
	const a = await open_widget(t.manager, { _esm: esm, name: "a" });
	const b = await open_widget(t.manager, { _esm: esm, name: "b" });
	const views = [await display(t.manager, a.model), await display(t.manager, b.model)];
	await until(() => expect(texts_of(views)).toEqual(["a in a", "b in b"]));
});

test("a module exporting shareModule = true is evaluated once for every model of its text", async () => {
	const log = fresh_log();
	const esm = counting("s", true);
	const views = await a_b_a(esm);
	expect(log.filter((line) => line.includes("module ran"))).toEqual(["s module ran"]);
	// initialize and render still run per model and per view, each with its own model.
	expect(log.filter((line) => line.includes("initialize")).sort()).toEqual(["s initialize a", "s initialize b"]);
	const texts = texts_of(views).map((text) => text ?? "");
	expect(texts.map((text) => text.split(" (")[0])).toEqual(["s a", "s b", "s a"]);
	expect(texts.map((text) => text.split(" (")[1]).sort()).toEqual([
		"view 1 of the module)",
		"view 2 of the module)",
		"view 3 of the module)",
	]);
});

test("a factory default export is called once per model, so per-model state stays per model", async () => {
	const log = fresh_log();
	const esm = `// ${crypto.randomUUID()}
	export default () => {
		esmlog.push("factory");
		let views = 0;
		return { render({ model, el }) { views += 1; el.textContent = model.get("name") + " " + views; } };
	};`;
	const a = await open_widget(t.manager, { _esm: esm, name: "a" });
	const b = await open_widget(t.manager, { _esm: esm, name: "b" });
	const views = [await display(t.manager, a.model), await display(t.manager, b.model)];
	await until(() => expect(views.map((v) => v.el.textContent)).toEqual(["a 1", "b 1"]));
	expect(log).toEqual(["factory", "factory"]);
});

test("different module text is a different module, even for one class", async () => {
	const log = fresh_log();
	const a = await open_widget(t.manager, { _esm: counting("one"), name: "a" });
	const b = await open_widget(t.manager, { _esm: counting("two"), name: "b" });
	const views = [await display(t.manager, a.model), await display(t.manager, b.model)];
	await until(() => expect(texts_of(views)).toEqual(["one a (view 1 of the module)", "two b (view 1 of the module)"]));
	expect(log.filter((line) => line.includes("module ran")).sort()).toEqual(["one module ran", "two module ran"]);
});

test("a new _esm swaps every model of the class, and the old text is let go", async () => {
	const log = fresh_log();
	const before = shared_modules();
	const old = counting("v1");
	const a = await open_widget(t.manager, { _esm: old, name: "a" });
	const b = await open_widget(t.manager, { _esm: old, name: "b" });
	const views = [await display(t.manager, a.model), await display(t.manager, b.model)];
	await until(() => expect(views.every((v) => v.el.textContent?.startsWith("v1"))).toBe(true));
	expect(shared_modules()).toBe(before + 1);
	const next = counting("v2");
	await a.comm.update({ _esm: next });
	await b.comm.update({ _esm: next });
	await until(() => expect(texts_of(views)).toEqual(["v2 a (view 1 of the module)", "v2 b (view 1 of the module)"]));
	expect(log.filter((line) => line.includes("module ran"))).toEqual([
		"v1 module ran",
		"v1 module ran",
		"v2 module ran",
		"v2 module ran",
	]);
	expect(log).toContain("v1 initialize cleanup a");
	expect(log).toContain("v1 initialize cleanup b");
	expect(shared_modules()).toBe(before + 1); // v2 only
});

test("when the last model of a text closes, its Blob goes; a new model imports it again", async () => {
	const log = fresh_log();
	const before = shared_modules();
	const esm = counting();
	const a = await open_widget(t.manager, { _esm: esm, name: "a" });
	await until(() => expect(log).toContain("v1 initialize a"));
	const b = await open_widget(t.manager, { _esm: esm, name: "b" });
	await until(() => expect(log).toContain("v1 initialize b"));
	await a.model.close();
	expect(shared_modules()).toBe(before + 1); // b still uses it
	await b.model.close();
	expect(shared_modules()).toBe(before);
	const c = await open_widget(t.manager, { _esm: esm, name: "c" });
	await until(() => expect(log).toContain("v1 initialize c"));
	expect(log.filter((line) => line.includes("module ran"))).toEqual([
		"v1 module ran",
		"v1 module ran",
		"v1 module ran",
	]);
	expect(shared_modules()).toBe(before + 1);
	await c.model.close();
});

test("a module whose top level threw is imported again by the next model", async () => {
	fresh_log();
	const g = /** @type {any} */ (globalThis);
	g.esm_ready = false;
	const esm = `// ${crypto.randomUUID()}
	if (!globalThis.esm_ready) throw new Error("not ready yet");
	export default { render({ el }) { el.textContent = "ready"; } };`;
	const a = await open_widget(t.manager, { _esm: esm });
	const one = await display(t.manager, a.model);
	await until(() => expect(one.el.querySelector(".esmwidget-error")?.textContent).toContain("not ready yet"));
	g.esm_ready = true;
	const b = await open_widget(t.manager, { _esm: esm });
	const two = await display(t.manager, b.model);
	await until(() => expect(two.el.textContent).toBe("ready"));
});
