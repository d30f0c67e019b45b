// Saved widget state carries each distinct `_esm`/`_css` text once:
// the real `serialize_state` JupyterLab saves with, restored by the real `ManagerBase.set_state`.
/** @import { WidgetModel } from "@jupyter-widgets/base" */
import { serialize_state } from "@jupyter-widgets/base-manager";
import { afterEach, expect, test, vi } from "vitest";
import { runtime_of } from "../src/runtime.js";
import { limits, MIN_SHARED, MissingAsset, SAME_AS } from "../src/saved.js";
import { display, fresh_log, identity, open_widget, per_test, sleep, TestManager, until } from "./harness.js";

const t = per_test();
const wait_ms = limits.wait_ms;
afterEach(() => {
	limits.wait_ms = wait_ms;
});

/** A module of about 20 KB that logs when it runs. */
const BIG = `esmlog.push("module ran");
export default { render({ model, el }) { esmlog.push("render " + model.get("i")); el.textContent = "big " + model.get("i"); } };
/* ${"big module padding ".repeat(1000)} */
`;
const OTHER = BIG.replace('"big "', '"other "');
const STYLE = `.saved-dedup { color: rgb(0, 128, 128); } /* ${"style padding ".repeat(40)} */`;

/** @param {string} text @param {string} json how often `text` appears in a JSON document */
function copies(text, json) {
	return json.split(JSON.stringify(text).slice(1, -1)).length - 1;
}

/**
 * @param {number} n
 * @param {Record<string, unknown>} [state]
 * @returns {Promise<WidgetModel[]>}
 */
async function open_many(n, state = {}) {
	const models = [];
	for (let i = 0; i < n; i++) {
		models.push((await open_widget(t.manager, { _esm: BIG, _css: STYLE, i, ...state })).model);
	}
	return models;
}

/** What JupyterLab writes into the notebook: `get_state_sync({ drop_defaults: true })`. */
function save(/** @type {WidgetModel[]} */ models) {
	return serialize_state(models, { drop_defaults: true });
}

/**
 * @param {string} id
 * @param {Record<string, unknown>} state
 */
function entry(id, state) {
	return {
		[id]: {
			model_name: "AnyModel",
			model_module: "esmwidget",
			model_module_version: "~0.1.*",
			state: { ...identity("test.Saved"), ...state },
		},
	};
}

test("the saved state holds each distinct _esm and _css text once", async () => {
	const models = [...(await open_many(5)), ...(await open_many(2, { _esm: OTHER }))];
	const saved = save(models);
	const json = JSON.stringify(saved);
	expect(copies(BIG, json)).toBe(1);
	expect(copies(OTHER, json)).toBe(1);
	expect(copies(STYLE, json)).toBe(1);

	const [first, ...rest] = models.map((m) => saved.state[m.model_id].state);
	expect(first._esm).toBe(BIG);
	expect(first._css).toBe(STYLE);
	const holder = models[0].model_id;
	for (const state of rest.slice(0, 4)) expect(state._esm).toEqual({ [SAME_AS]: holder });
	// the first model with OTHER holds it; its stylesheet is the one model 0 holds
	expect(rest[4]._esm).toBe(OTHER);
	expect(rest[5]._esm).toEqual({ [SAME_AS]: models[5].model_id });
	for (const state of rest) expect(state._css).toEqual({ [SAME_AS]: holder });
	// everything else is saved as before, and the models still hold their text
	expect(rest.map((s) => s.i)).toEqual([1, 2, 3, 4, 0, 1]);
	expect(models.every((m) => typeof m.get("_esm") === "string" && m.get("_css") === STYLE)).toBe(true);
	// 7 copies before; now one of each text plus six small references per key
	expect(json.length).toBeLessThan(BIG.length + OTHER.length + STYLE.length + 12 * 100 + 7 * 600);
});

test("texts shorter than MIN_SHARED are saved as they are", async () => {
	const small = "export default { render({ el }) { el.textContent = 'small'; } };";
	expect(small.length).toBeLessThan(MIN_SHARED);
	const models = [...(await open_many(2, { _esm: small, _css: "" }))];
	const saved = save(models);
	for (const m of models) expect(saved.state[m.model_id].state).toMatchObject({ _esm: small, _css: "" });
});

test("every model restored from the deduplicated state gets its text, and runs nothing until a view renders", async () => {
	const live = await open_many(4, { _anywidget_id: "test.Restored" });
	const saved = save(live);
	// Their modules loaded at once (live comms). Close them, as a kernel shutdown does: what runs
	// and what is styled from here on is the restored models'.
	await Promise.all(live.map((m) => runtime_of(m)?.tasks));
	await Promise.all(live.map((m) => m.close()));
	// Put the holder last: references resolve through the t.manager whatever the order.
	const [holder, ...others] = Object.keys(saved.state);
	const reordered = { ...saved, state: Object.fromEntries([...others, holder].map((id) => [id, saved.state[id]])) };

	const log = fresh_log();
	const restoring = new TestManager(); // a new page, no kernel: no comms
	const models = await restoring.set_state(reordered);
	expect(models.map((m) => m.comm_live)).toEqual([false, false, false, false]);
	expect(models.every((m) => m.get("_esm") === BIG && m.get("_css") === STYLE)).toBe(true);
	await sleep(50);
	expect(log).toEqual([]);
	expect(document.querySelector('[data-esmwidget-css="test.Restored"]')).toBeNull();

	const views = await Promise.all(models.map((m) => display(restoring, m)));
	await until(() => expect(views.map((v) => v.el.textContent)).toEqual(["big 1", "big 2", "big 3", "big 0"]));
	const styled = document.createElement("p");
	styled.className = "saved-dedup";
	views[0].el.append(styled);
	expect(getComputedStyle(styled).color).toBe("rgb(0, 128, 128)");
});

test("a reference resolves when its holder is registered later", async () => {
	const saved = save(await open_many(2));
	const [holder, other] = Object.keys(saved.state);
	const restoring = new TestManager();
	const pending = restoring.set_state({ ...saved, state: { [other]: saved.state[other] } });
	await sleep(300);
	await restoring.set_state({ ...saved, state: { [holder]: saved.state[holder] } });
	const [model] = await pending;
	expect(model.get("_esm")).toBe(BIG);
});

test("a reference whose holder is missing shows an error in the cell, without hanging", async () => {
	limits.wait_ms = 200;
	vi.spyOn(console, "error").mockImplementation(() => {});
	const log = fresh_log();
	const [model] = await t.manager.set_state({
		version_major: 2,
		version_minor: 0,
		state: entry("orphan", { _esm: { [SAME_AS]: "gone" }, _css: { [SAME_AS]: "gone" }, i: 1 }),
	});
	expect(model.get("_esm")).toBeInstanceOf(MissingAsset);
	const view = await display(t.manager, model);
	await until(() => expect(view.el.querySelector(".esmwidget-error")).not.toBeNull());
	expect(view.el.querySelector(".esmwidget-error-title")?.textContent).toBe(
		"[esmwidget] test.Saved: could not restore _esm from the notebook's saved widget state",
	);
	expect(view.el.querySelector(".esmwidget-error-message")?.textContent).toBe(
		"It was saved as the same text as model gone, which is not in the saved state. Run the cell that creates the widget again.",
	);
	expect(log).toEqual([]);
	// Saved again, it says what it said.
	expect(save([model]).state.orphan.state._esm).toEqual({ [SAME_AS]: "gone" });
});

test("two models that reference each other fail after the bound, they do not hang", async () => {
	limits.wait_ms = 200;
	vi.spyOn(console, "error").mockImplementation(() => {});
	// Settles (a hang would time the test out): each reference gives up after the bound.
	const models = await t.manager.set_state({
		version_major: 2,
		version_minor: 0,
		state: { ...entry("a", { _esm: { [SAME_AS]: "b" } }), ...entry("b", { _esm: { [SAME_AS]: "a" } }) },
	});
	const views = await Promise.all(models.map((m) => display(t.manager, m)));
	await until(() =>
		expect(views.map((v) => v.el.querySelector(".esmwidget-error-message")?.textContent)).toEqual([
			expect.stringMatching(/model b, which did not finish loading within 0.2 s/),
			expect.stringMatching(/model a, which could not restore it either/),
		]),
	);
});

test("restoring saved state over a live model keeps its code when a reference cannot be resolved", async () => {
	limits.wait_ms = 100;
	const [live, other] = await open_many(2);
	await t.manager.set_state({
		version_major: 2,
		version_minor: 0,
		state: {
			...entry(live.model_id, { _esm: { [SAME_AS]: "gone" }, i: 7 }),
			...entry(other.model_id, { _esm: { [SAME_AS]: live.model_id }, i: 8 }),
		},
	});
	expect([live.get("_esm"), live.get("i")]).toEqual([BIG, 7]);
	expect([other.get("_esm"), other.get("i")]).toEqual([BIG, 8]);
	const view = await display(t.manager, live);
	await until(() => expect(view.el.textContent).toBe("big 7"));
});

test("a sync to the kernel never sends a reference", async () => {
	const [a, b] = await open_many(2);
	const { model: c, comm } = await open_widget(t.manager, { _esm: OTHER, _css: STYLE, i: 2 });
	// In the same tick as a saved-state pass in which `a` holds BIG and `c` took no part.
	expect(save([a, b]).state[b.model_id].state._esm).toEqual({ [SAME_AS]: a.model_id });
	c.set({ _esm: BIG, i: 3 });
	c.save_changes();
	expect(comm.updates().map((m) => m.data.state)).toEqual([{ _esm: BIG, i: 3 }]);
	// A text that could not be restored is not sent at all.
	c.set("_css", new MissingAsset("_css", "gone", "is not in the saved state"));
	c.save_changes();
	expect(comm.updates()).toHaveLength(1);
});

test("each pass names a holder inside itself, also two passes in one tick", async () => {
	const [a, b, c] = await open_many(3);
	const first = save([a, b, c]);
	const second = save([c, b]); // c was seen already: a new pass began
	expect(first.state[c.model_id].state._esm).toEqual({ [SAME_AS]: a.model_id });
	expect(second.state[c.model_id].state._esm).toBe(BIG);
	expect(second.state[b.model_id].state._esm).toEqual({ [SAME_AS]: c.model_id });
	await Promise.resolve();
	expect(save([b]).state[b.model_id].state._esm).toBe(BIG); // a later tick starts afresh
	// ManagerBase.get_state (all models, asynchronous) deduplicates the same way
	const all = await t.manager.get_state();
	expect(copies(BIG, JSON.stringify(all))).toBe(1);
});
