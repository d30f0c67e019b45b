// The JupyterLab plugin registers module "esmwidget" at the package.json version.
import { IJupyterWidgetRegistry } from "@jupyter-widgets/base";
import { expect, test } from "vitest";
import pkg from "../../package.json";
import plugin from "../src/plugin.js";
import { AnyModel, AnyView } from "../src/widget.js";

test("the plugin registers AnyModel and AnyView with the widget registry", () => {
	expect(plugin.id).toBe("esmwidget:plugin");
	expect(plugin.autoStart).toBe(true);
	expect(plugin.requires).toEqual([IJupyterWidgetRegistry]);
	/** @type {unknown[]} */
	const registered = [];
	plugin.activate(null, { registerWidget: (data) => registered.push(data) });
	expect(registered).toEqual([{ name: "esmwidget", version: pkg.version, exports: { AnyModel, AnyView } }]);
	expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
});
