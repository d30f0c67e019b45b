// What an ipywidgets DOM widget's view does with `tooltip` and `_dom_classes`, on an esmwidget
// view (Python's `w.tooltip`, `w.add_class`; src/esmwidget/_widgets/dom.py).
import { expect, test } from "vitest";
import { display, open_widget, per_test, until } from "./harness.js";

const t = per_test();

test("tooltip is the element's title and _dom_classes its classes, set first or later", async () => {
	const esm = `// ${crypto.randomUUID()}
	export default { render({ el }) { el.textContent = "drawn"; } };`;
	const { model } = await open_widget(t.manager, { _esm: esm, tooltip: "clicks so far", _dom_classes: ["card"] });
	const view = await display(t.manager, model);
	view.trigger("displayed"); // as an output area does once the view is in the page
	await until(() => expect(view.el.textContent).toBe("drawn"));
	expect(view.el.getAttribute("title")).toBe("clicks so far");
	await until(() => expect(view.el.classList.contains("card")).toBe(true));
	model.set({ tooltip: null, _dom_classes: ["wide"] });
	expect(view.el.hasAttribute("title")).toBe(false);
	expect([view.el.classList.contains("card"), view.el.classList.contains("wide")]).toEqual([false, true]);
});
