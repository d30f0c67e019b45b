// Every module form anywidget accepts renders unchanged.
import { describe, expect, test, vi } from "vitest";
import { display, fresh_log, open_widget, per_test, until } from "./harness.js";

const t = per_test();

describe("module forms", () => {
	test("export default { initialize, render }", async () => {
		const log = fresh_log();
		const { model } = await open_widget(t.manager, {
			value: 3,
			_esm: `export default {
				initialize({ model }) { esmlog.push("initialize " + model.get("value")); },
				render({ model, el }) { el.textContent = "value is " + model.get("value"); },
			};`,
		});
		const view = await display(t.manager, model);
		await until(() => expect(view.el.textContent).toBe("value is 3"));
		expect(log).toEqual(["initialize 3"]);
	});

	test("export default a factory, called once per model", async () => {
		const log = fresh_log();
		const esm = `let made = 0;
			export default () => {
				const me = ++made;
				esmlog.push("factory");
				return { render({ el }) { el.textContent = "instance " + me; } };
			};`;
		const { model } = await open_widget(t.manager, { _esm: esm });
		const one = await display(t.manager, model);
		const two = await display(t.manager, model);
		await until(() => expect(two.el.textContent).toBe("instance 1"));
		expect(one.el.textContent).toBe("instance 1");
		expect(log).toEqual(["factory"]);
	});

	test("export default an async factory", async () => {
		const { model } = await open_widget(t.manager, {
			_esm: `export default async () => {
				await new Promise((r) => setTimeout(r, 10));
				return { render({ el }) { el.textContent = "async ready"; } };
			};`,
		});
		const view = await display(t.manager, model);
		await until(() => expect(view.el.textContent).toBe("async ready"));
	});

	test("legacy named render and initialize work, with one deprecation warning", async () => {
		const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
		const log = fresh_log();
		const esm = `export function initialize() { esmlog.push("named initialize"); }
			export function render({ el }) { el.textContent = "legacy"; }`;
		const a = await open_widget(t.manager, { _esm: esm, _anywidget_id: "legacy.Widget" });
		const b = await open_widget(t.manager, { _esm: esm, _anywidget_id: "legacy.Widget" });
		const views = [await display(t.manager, a.model), await display(t.manager, b.model)];
		await until(() => expect(views.map((v) => v.el.textContent)).toEqual(["legacy", "legacy"]));
		expect(log).toEqual(["named initialize", "named initialize"]);
		expect(warn).toHaveBeenCalledTimes(1);
		expect(String(warn.mock.calls[0][0])).toMatch(/legacy\.Widget.*deprecated.*export default/);
	});

	test("_esm as an http(s) URL is imported directly", async () => {
		const url = new URL("./fixtures/url-widget.js", import.meta.url).href;
		expect(url).toMatch(/^http/);
		const { model } = await open_widget(t.manager, { _esm: url, value: 7 });
		const view = await display(t.manager, model);
		await until(() => expect(view.el.textContent).toBe("from url: 7"));
	});

	test("a module without render shows nothing and no error", async () => {
		const log = fresh_log();
		const { model } = await open_widget(t.manager, {
			_esm: `export default { initialize() { esmlog.push("init only"); } };`,
		});
		const view = await display(t.manager, model);
		await until(() => expect(log).toEqual(["init only"]));
		expect(view.el.querySelector(".esmwidget-error")).toBeNull();
	});
});
