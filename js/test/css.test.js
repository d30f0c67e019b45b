// _css: one stylesheet per widget class, replaced in place, swapped without a flash when a URL,
// and removed with the last model of the class.
import { expect, test } from "vitest";
import { display, open_widget, per_test, until } from "./harness.js";

const t = per_test();

const RENDER = `export default { render({ el }) { const p = document.createElement("p"); p.className = "styled url-styled"; p.textContent = "styled"; el.append(p); } };`;

/** @param {string} id */
function sheets_of(id) {
	return [...document.querySelectorAll(`[data-esmwidget-css="${CSS.escape(id)}"]`)];
}

/** @param {HTMLElement} el */
function color(el) {
	const p = el.querySelector("p");
	if (!p) throw new Error("not rendered yet");
	return getComputedStyle(p).color;
}

test("inline _css is one <style> per class, updated in place, removed with the last model", async () => {
	const id = "demo.Styled v2:weird";
	const css = (/** @type {string} */ rgb) => `.styled { color: rgb(${rgb}); }`;
	const a = await open_widget(t.manager, { _anywidget_id: id, _css: css("10, 20, 30"), _esm: RENDER });
	const b = await open_widget(t.manager, { _anywidget_id: id, _css: css("10, 20, 30"), _esm: RENDER });
	const view = await display(t.manager, a.model);
	await until(() => expect(color(view.el)).toBe("rgb(10, 20, 30)"));
	expect(sheets_of(id)).toHaveLength(1);
	const style = document.getElementById(`esmwidget-css-${id}`);
	expect(style?.tagName).toBe("STYLE");
	expect(document.querySelector(`#${CSS.escape(`esmwidget-css-${id}`)}`)).toBe(style);

	await a.comm.update({ _css: css("40, 50, 60") });
	expect(color(view.el)).toBe("rgb(40, 50, 60)");
	expect(sheets_of(id)).toEqual([style]);

	await a.model.close();
	expect(sheets_of(id)).toEqual([style]); // b still uses it
	await b.model.close();
	expect(sheets_of(id)).toEqual([]);
});

test("a _css URL becomes one <link>; a new URL replaces it once loaded, with no duplicates", async () => {
	const id = "demo.Linked";
	const a_css = new URL("./fixtures/a.css", import.meta.url).href;
	const b_css = new URL("./fixtures/b.css", import.meta.url).href;
	const { model, comm } = await open_widget(t.manager, { _anywidget_id: id, _css: a_css, _esm: RENDER });
	const view = await display(t.manager, model);
	await until(() => expect(color(view.el)).toBe("rgb(1, 2, 3)"));
	const [first] = sheets_of(id);
	expect(first).toBeInstanceOf(HTMLLinkElement);
	expect(first.id).toBe(`esmwidget-css-${id}`);

	await comm.update({ _css: b_css });
	// until the new sheet is in, the old one keeps styling the widget
	const during = sheets_of(id);
	expect(during[0]).toBe(first);
	expect(color(view.el)).toBe("rgb(1, 2, 3)");
	await until(() => expect(sheets_of(id)).toHaveLength(1));
	const [second] = sheets_of(id);
	expect(second).not.toBe(first);
	expect(/** @type {HTMLLinkElement} */ (second).href).toBe(b_css);
	expect(second.id).toBe(`esmwidget-css-${id}`);
	expect(color(view.el)).toBe("rgb(4, 5, 6)");

	await comm.update({ _css: ".styled { color: rgb(7, 8, 9); }" });
	expect(sheets_of(id).map((node) => node.tagName)).toEqual(["STYLE"]);
	expect(color(view.el)).toBe("rgb(7, 8, 9)");

	await comm.update({ _css: "" });
	expect(sheets_of(id)).toEqual([]);
	await model.close();
});

test("a _css change while a link is loading ends with only the newest sheet", async () => {
	const id = "demo.Racing";
	const a_css = new URL("./fixtures/a.css?race", import.meta.url).href;
	const b_css = new URL("./fixtures/b.css?race", import.meta.url).href;
	const { model, comm } = await open_widget(t.manager, { _anywidget_id: id, _css: ".x{}", _esm: RENDER });
	await comm.update({ _css: a_css });
	await comm.update({ _css: b_css });
	await until(() => expect(sheets_of(id).map((node) => /** @type {HTMLLinkElement} */ (node).href)).toEqual([b_css]));
	await model.close();
	expect(sheets_of(id)).toEqual([]);
});
