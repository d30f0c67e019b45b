// render's `host` (anywidget 0.11): reach other widgets by reference.
import { expect, test } from "vitest";
import { display, fresh_log, open_widget, per_test, until } from "./harness.js";

const t = per_test();

const CHILD = `export default {
	initialize({ model }) { return { greet: (name) => "hello " + name + " from " + model.get("label") }; },
	render({ model, el, signal }) {
		el.textContent = "child " + model.get("label");
		signal.addEventListener("abort", () => esmlog.push("child view aborted"));
	},
};`;

const PARENT = `export default {
	async render({ model, el, host }) {
		const child_model = await host.getModel(model.get("child"));
		const child = await host.getWidget(model.get("child"));
		const title = document.createElement("h3");
		title.textContent = child.exports.greet("parent") + " / " + child_model.get("label");
		const slot = document.createElement("div");
		el.append(title, slot);
		await child.render({ el: slot });
	},
};`;

test("host.getModel and host.getWidget render a child widget inside the parent", async () => {
	const log = fresh_log();
	const child = await open_widget(t.manager, { label: "kid", _esm: CHILD, _anywidget_id: "demo.Child" });
	for (const ref of [`IPY_MODEL_${child.model.model_id}`, `anywidget:${child.model.model_id}`]) {
		const parent = await open_widget(t.manager, { child: ref, _esm: PARENT, _anywidget_id: "demo.Parent" });
		const view = await display(t.manager, parent.model);
		await until(() => expect(view.el.querySelector("div")?.textContent).toBe("child kid"));
		expect(view.el.querySelector("h3")?.textContent).toBe("hello parent from kid / kid");
		view.remove();
		expect(log.at(-1)).toBe("child view aborted");
	}
});

/** A model of another library: a plain DOMWidget whose view the page's manager makes. */
const FOREIGN = {
	_model_name: "DOMWidgetModel",
	_model_module: "@jupyter-widgets/base",
	_model_module_version: "2.0.0",
	_view_name: "DOMWidgetView",
	_view_module: "@jupyter-widgets/base",
	_view_module_version: "2.0.0",
};

test("host.getWidget draws a widget of another library with the page's widget manager", async () => {
	const foreign = await open_widget(t.manager, FOREIGN);
	const SLOT = `export default { async render({ model, el, host }) {
		const child = await host.getWidget(model.get("child"));
		const slot = document.createElement("section");
		el.append(slot);
		await child.render({ el: slot });
	} };`;
	const parent = await open_widget(t.manager, { child: `IPY_MODEL_${foreign.model.model_id}`, _esm: SLOT });
	const view = await display(t.manager, parent.model);
	await until(() => expect(view.el.querySelector("section")?.children).toHaveLength(1));
	const child_el = /** @type {HTMLElement} */ (view.el.querySelector("section > *"));
	const child_view = await Object.values(/** @type {any} */ (foreign.model).views)[0];
	expect(child_view.el).toBe(child_el);
	let removed = false;
	child_view.once("remove", () => {
		removed = true;
	});
	view.remove(); // the parent's lifetime ends: so does the child's view
	expect(removed).toBe(true);
});

test("widget_manager.create_view takes the model proxies get_model gives", async () => {
	const foreign = await open_widget(t.manager, FOREIGN);
	const VIEW = `export default { async render({ model, el }) {
		const child = await model.widget_manager.get_model(model.get("child").slice("IPY_MODEL_".length));
		const view = await model.widget_manager.create_view(child);
		view.el.classList.add("made-here");
		el.append(view.el);
	} };`;
	const parent = await open_widget(t.manager, { child: `IPY_MODEL_${foreign.model.model_id}`, _esm: VIEW });
	const view = await display(t.manager, parent.model);
	await until(() => expect(view.el.querySelector(".made-here")).not.toBeNull());
	expect(Object.keys(/** @type {any} */ (foreign.model).views)).toHaveLength(1);
});
