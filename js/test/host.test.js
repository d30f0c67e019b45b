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
