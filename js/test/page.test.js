// The runtime of pages with no kernel (js/src/page): saved state in, live views out.
import { afterEach, expect, test } from "vitest";
import { CLAIMED_MIME, load_state, STATE_MIME, start, VIEW_MIME } from "../src/page/index.js";
import { StaticModel } from "../src/page/model.js";
import { SAME_AS } from "../src/saved.js";
import { identity, until } from "./harness.js";

afterEach(() => {
	document.body.replaceChildren();
});

const COUNTER = `export default { render({ model, el }) {
  const b = document.createElement("button");
  const show = () => { b.textContent = String(model.get("count")); };
  b.onclick = () => { model.set("count", model.get("count") + 1); model.save_changes(); };
  model.on("change:count", show); show(); el.append(b);
} };
/* ${"padding ".repeat(30)} */`;

/**
 * @param {Record<string, unknown>} state
 * @param {Record<string, unknown>} [extra]
 */
function esm_model(state, extra = {}) {
	return {
		model_name: "AnyModel",
		model_module: "esmwidget",
		model_module_version: "~0.1.*",
		state: { ...identity("test.Page"), ...state },
		...extra,
	};
}

/**
 * A page as export_html and nbconvert write it: view tags where the views go, one state tag.
 *
 * @param {Record<string, unknown>} models
 * @param {string[]} views model ids, in page order
 */
function page(models, views) {
	for (const id of views) {
		const tag = document.createElement("script");
		tag.type = VIEW_MIME;
		tag.textContent = JSON.stringify({ version_major: 2, version_minor: 1, model_id: id });
		const cell = document.createElement("div");
		cell.className = "cell";
		cell.append(tag);
		document.body.append(cell);
	}
	const state = document.createElement("script");
	state.type = STATE_MIME;
	state.textContent = JSON.stringify({ version_major: 2, version_minor: 0, state: models });
	document.body.append(state);
	return start(document);
}

test("views of one model share its state; other models keep theirs", async () => {
	page({ a: esm_model({ _esm: COUNTER, count: 1 }), b: esm_model({ _esm: COUNTER, count: 7 }) }, ["a", "a", "b"]);
	const buttons = () => [...document.querySelectorAll("button")].map((b) => b.textContent);
	await until(() => expect(buttons()).toEqual(["1", "1", "7"]));
	document.querySelector("button")?.click();
	await until(() => expect(buttons()).toEqual(["2", "2", "7"]));
});

test("a text saved once is found through its esmwidget_same_as reference", async () => {
	page({ a: esm_model({ _esm: COUNTER, count: 1 }), b: esm_model({ _esm: { [SAME_AS]: "a" }, count: 2 }) }, ["b"]);
	await until(() => expect(document.querySelector("button")?.textContent).toBe("2"));
});

test("a reference to a model the page does not have shows an error in the view", async () => {
	page({ b: esm_model({ _esm: { [SAME_AS]: "gone" } }) }, ["b"]);
	await until(() =>
		expect(document.querySelector(".esmwidget-error")?.textContent).toContain("not in the saved state"),
	);
});

test("base64 buffers arrive as DataViews at their paths", () => {
	const manager = load_state({
		version_major: 2,
		version_minor: 0,
		state: {
			a: esm_model(
				{ _esm: COUNTER, nested: { list: [null] } },
				{
					buffers: [
						{ encoding: "base64", path: ["blob"], data: btoa("\x00\x01\x02") },
						{ encoding: "hex", path: ["nested", "list", 0], data: "ff10" },
					],
				},
			),
		},
	});
	const model = /** @type {StaticModel} */ (manager.models.get("a"));
	const blob = /** @type {DataView} */ (model.get("blob"));
	expect([blob instanceof DataView, blob.byteLength, blob.getUint8(2)]).toEqual([true, 3, 2]);
	const nested = /** @type {any} */ (model.get("nested")).list[0];
	expect([nested.getUint8(0), nested.getUint8(1)]).toEqual([255, 16]);
});

test("views of other libraries are left to their own renderer", () => {
	page(
		{
			a: esm_model({ _esm: COUNTER, count: 1 }),
			s: { model_name: "IntSliderModel", model_module: "@jupyter-widgets/controls", state: { value: 3 } },
		},
		["a", "s"],
	);
	const tags = [...document.querySelectorAll(".cell script")].map((s) => /** @type {HTMLScriptElement} */ (s).type);
	expect(tags).toEqual([CLAIMED_MIME, VIEW_MIME]);
	expect(document.querySelectorAll(".esmwidget-view")).toHaveLength(1);
});

test("jslink and jsdlink models keep their ends in step in the page", () => {
	const link = (/** @type {string} */ name, /** @type {string} */ from, /** @type {string} */ to) => ({
		model_name: name,
		model_module: "@jupyter-widgets/controls",
		state: { source: [`IPY_MODEL_${from}`, "count"], target: [`IPY_MODEL_${to}`, "count"] },
	});
	const manager = load_state({
		version_major: 2,
		version_minor: 0,
		state: {
			a: esm_model({ _esm: COUNTER, count: 1 }),
			b: esm_model({ _esm: COUNTER, count: 5 }),
			c: esm_model({ _esm: COUNTER, count: 9 }),
			ab: link("LinkModel", "a", "b"),
			ac: link("DirectionalLinkModel", "a", "c"),
		},
	});
	const [a, b, c] = ["a", "b", "c"].map((id) => /** @type {StaticModel} */ (manager.models.get(id)));
	expect([a, b, c].map((m) => m.get("count"))).toEqual([1, 1, 1]); // the targets take the source's value
	b.set("count", 4);
	expect([a, b, c].map((m) => m.get("count"))).toEqual([4, 4, 4]);
	c.set("count", 8); // one way only
	expect([a, b, c].map((m) => m.get("count"))).toEqual([4, 4, 8]);
});

test("StaticModel fires change events like Backbone: only for real changes, several names at once", () => {
	const model = new StaticModel("m", "AnyModel", "esmwidget", { a: [1, { x: 2 }], b: 0 }, /** @type {any} */ (null));
	/** @type {string[]} */
	const seen = [];
	const context = {};
	model.on(
		"change:a change:b",
		(/** @type {unknown} */ _m, /** @type {unknown} */ v) => seen.push(JSON.stringify(v)),
		context,
	);
	model.on("change", () => seen.push("change"));
	model.set("a", [1, { x: 2 }]); // equal in depth: no event
	model.set("b", 1);
	model.off(null, null, context);
	model.set("a", [2]);
	expect(seen).toEqual(["1", "change", "change"]);
});

test("a site's file reference becomes its URL over http, and a clear error from a file page", async () => {
	const { site_file, UnreachableAsset } = await import("../src/saved.js");
	expect(site_file({ esmwidget_url: "../_static/esmwidget/a.js" }, "http://127.0.0.1:8000/guide/page.html")).toBe(
		"http://127.0.0.1:8000/_static/esmwidget/a.js",
	);
	expect(site_file("export default {}", "http://127.0.0.1/")).toBeNull();
	expect(site_file({ esmwidget_url: 1 }, "http://127.0.0.1/")).toBeNull();
	const unreachable = new UnreachableAsset("_esm", "file:///site/_static/esmwidget/a.js");
	expect(unreachable.message).toBe("could not load _esm from file:///site/_static/esmwidget/a.js");
	expect(unreachable.detail).toMatch(/opened from a file.*Serve the site/);
	expect(JSON.parse(JSON.stringify({ _esm: unreachable }))).toEqual({
		_esm: { esmwidget_url: "file:///site/_static/esmwidget/a.js" },
	});
});

test("classes, tooltip and a saved Layout apply to the view's element, as ipywidgets' view does", async () => {
	const layout = {
		model_name: "LayoutModel",
		model_module: "@jupyter-widgets/base",
		model_module_version: "2.0.0",
		state: { _model_name: "LayoutModel", width: "300px", grid_area: "center", border: null },
	};
	page(
		{
			a: esm_model({ _esm: COUNTER, count: 1, _dom_classes: ["card"], tooltip: "clicks", layout: "IPY_MODEL_l" }),
			l: layout,
		},
		["a"],
	);
	await until(() => expect(document.querySelector("button")?.textContent).toBe("1"));
	const el = /** @type {HTMLElement} */ (document.querySelector(".esmwidget-view"));
	expect([el.classList.contains("card"), el.title, el.style.width, el.style.gridArea]).toEqual([
		true,
		"clicks",
		"300px",
		"center",
	]);
});
