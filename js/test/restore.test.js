// docs/protocol.md, "Security": a model restored from notebook metadata (no live comm) runs no code and adds
// no style until a view of it renders.
import { expect, test } from "vitest";
import { display, fresh_log, identity, open_widget, per_test, sleep, until } from "./harness.js";

const t = per_test();

const LOGGING = `esmlog.push("module ran");
export default {
	initialize({ model }) { esmlog.push("initialize"); },
	render({ model, el }) { esmlog.push("render"); el.textContent = "restored " + model.get("value"); },
};`;

test("a restored model imports nothing and runs no initialize until a view renders", async () => {
	const log = fresh_log();
	const id = "demo.Restored";
	const [model] = await t.manager.set_state({
		version_major: 2,
		version_minor: 0,
		state: {
			saved1: {
				model_name: "AnyModel",
				model_module: "esmwidget",
				model_module_version: "~0.1.*",
				state: { ...identity(id), _esm: LOGGING, _css: ".restored { color: red; }", value: 3 },
			},
		},
	});
	expect(model.comm_live).toBe(false);
	await sleep(50);
	expect(log).toEqual([]);
	expect(document.querySelector("[data-esmwidget-css]")).toBeNull();

	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("restored 3"));
	expect(log).toEqual(["module ran", "initialize", "render"]);
	expect(document.querySelectorAll(`[data-esmwidget-css="${CSS.escape(id)}"]`)).toHaveLength(1);
});

test("a model opened by the kernel loads at once, before any view", async () => {
	const log = fresh_log();
	await open_widget(t.manager, { _esm: LOGGING });
	await until(() => expect(log).toEqual(["module ran", "initialize"]));
});

test("save_changes on a restored model sends nothing and does not throw", async () => {
	const [model] = await t.manager.set_state({
		version_major: 2,
		version_minor: 0,
		state: {
			saved2: {
				model_name: "AnyModel",
				model_module: "esmwidget",
				model_module_version: "~0.1.*",
				state: {
					...identity(),
					value: 0,
					_esm: `export default { async render({ model, el, experimental }) {
						model.set("value", 1);
						model.save_changes();
						try { await experimental.invoke("x"); } catch (error) { el.textContent = error.message; }
					} };`,
				},
			},
		},
	});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toMatch(/cannot invoke "x": the widget has no kernel connection/));
});
