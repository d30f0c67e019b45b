// Build dist/index.js: an AMD module for requirejs hosts (classic notebook, VS Code, Colab,
// html-manager and CDNs). esbuild has no AMD output, so a CommonJS bundle is wrapped in an
// anonymous `define` whose only dependency is the host's @jupyter-widgets/base. The bundle is
// minified but keeps identifiers, so stack traces still name the loader's functions.
import { readFile, stat } from "node:fs/promises";
import { build } from "esbuild";

const BASE = "@jupyter-widgets/base";
const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
const outfile = "dist/index.js";

await build({
	entryPoints: ["js/src/index.js"],
	outfile,
	bundle: true,
	format: "cjs",
	platform: "browser",
	target: "es2022",
	external: [BASE],
	legalComments: "none",
	minifyWhitespace: true,
	minifySyntax: true,
	banner: {
		js: [
			`// esmwidget ${pkg.version}: the front-end loader as an AMD module. Built by js/build-amd.mjs.`,
			`define(["${BASE}"], function (base) {`,
			"var module = { exports: {} }, exports = module.exports;",
			`function require(name) { if (name === "${BASE}") return base; throw new Error("[esmwidget] unexpected require: " + name); }`,
		].join("\n"),
	},
	footer: { js: "return module.exports;\n});" },
});

// Self-check: load the file as requirejs would, against stand-in base classes.
const code = await readFile(outfile, "utf8");
/** @type {{ deps: string[], factory: ((base: unknown) => Record<string, unknown>) | null }} */
const defined = { deps: [], factory: null };
new Function("define", code)((/** @type {string[]} */ deps, /** @type {any} */ factory) => {
	defined.deps = deps;
	defined.factory = factory;
});
const { deps, factory } = defined;
if (!factory) throw new Error(`${outfile} did not call define()`);
class DOMWidgetModel {}
class DOMWidgetView {}
const exports = factory({ DOMWidgetModel, DOMWidgetView });
const ok =
	JSON.stringify(deps) === JSON.stringify([BASE]) &&
	exports.version === pkg.version &&
	Object.getPrototypeOf(exports.AnyModel) === DOMWidgetModel &&
	Object.getPrototypeOf(exports.AnyView) === DOMWidgetView;
if (!ok) throw new Error(`${outfile} failed its self-check: deps ${deps}, exports ${Object.keys(exports)}`);

const { size } = await stat(outfile);
console.log(`${outfile}: ${(size / 1024).toFixed(1)} KB, AMD define([${BASE}]) -> { AnyModel, AnyView, version }`);
