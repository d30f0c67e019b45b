// The bundles `npm run build` writes after the JupyterLab extension (jupyter-builder):
//
// - dist/index.js, the npm package's main: an AMD module for requirejs hosts (the classic
//   Notebook, VS Code, Colab, the html-manager of static pages, CDNs). esbuild has no AMD output,
//   so a CommonJS bundle is wrapped in an anonymous `define` whose only dependency is the host's
//   @jupyter-widgets/base. Minified, but identifiers are kept so stack traces name the loader.
// - src/esmwidget/nbextension/: the same file as index.js plus extension.js (js/nbextension),
//   which the wheel installs as the classic nbextension `esmwidget`.
// - src/esmwidget/_static/page.js: the runtime of pages with no kernel (js/src/page), which
//   esmwidget.export_html and the nbconvert exporter inline into the HTML they write.
// - src/esmwidget/_static/streamlit.js: the Streamlit component (js/src/streamlit), an ES module
//   that esmwidget.streamlit registers with st.components.v2.
//
// It runs before jupyter-builder, which bundles package.json's main (this AMD file) as the lab
// extension's `./index` and fails if it does not exist yet.
import { copyFile, mkdir, readFile, stat } from "node:fs/promises";
import { build } from "esbuild";

const BASE = "@jupyter-widgets/base";
const root = new URL("../", import.meta.url);
const pkg = JSON.parse(await readFile(new URL("package.json", root), "utf8"));
const amd = "dist/index.js";
const nbextension = "src/esmwidget/nbextension";
const page = "src/esmwidget/_static/page.js";
const streamlit = "src/esmwidget/_static/streamlit.js";

await build({
	absWorkingDir: root.pathname,
	entryPoints: ["js/src/index.js"],
	outfile: amd,
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
			`// esmwidget ${pkg.version}: the front-end loader as an AMD module. Built by js/build-bundles.mjs.`,
			`define(["${BASE}"], function (base) {`,
			"var module = { exports: {} }, exports = module.exports;",
			`function require(name) { if (name === "${BASE}") return base; throw new Error("[esmwidget] unexpected require: " + name); }`,
		].join("\n"),
	},
	footer: { js: "return module.exports;\n});" },
});
await check_amd(amd);

await mkdir(new URL(`${nbextension}/`, root), { recursive: true });
await copyFile(new URL(amd, root), new URL(`${nbextension}/index.js`, root));
await copyFile(new URL("js/nbextension/extension.js", root), new URL(`${nbextension}/extension.js`, root));

await build({
	absWorkingDir: root.pathname,
	entryPoints: ["js/src/page/main.js"],
	outfile: page,
	bundle: true,
	format: "iife",
	platform: "browser",
	target: "es2022",
	legalComments: "none",
	minifyWhitespace: true,
	minifySyntax: true,
	banner: { js: `// esmwidget ${pkg.version}: the runtime of pages with no kernel. Built by js/build-bundles.mjs.` },
});
// The file is inlined as the text of a <script> element, where these would end it early.
const inlined = await readFile(new URL(page, root), "utf8");
if (/<\/script|<!--/i.test(inlined)) throw new Error(`${page} contains "</script" or "<!--"; it cannot be inlined.`);

await build({
	absWorkingDir: root.pathname,
	entryPoints: ["js/src/streamlit/main.js"],
	outfile: streamlit,
	bundle: true,
	format: "esm",
	platform: "browser",
	target: "es2022",
	legalComments: "none",
	minifyWhitespace: true,
	minifySyntax: true,
	banner: { js: `// esmwidget ${pkg.version}: the Streamlit component. Built by js/build-bundles.mjs.` },
});

const kb = async (/** @type {string} */ file) => `${((await stat(new URL(file, root))).size / 1024).toFixed(1)} KB`;
console.log(`${amd}: ${await kb(amd)}, AMD define([${BASE}]) -> { AnyModel, AnyView, version }`);
console.log(`${nbextension}/: index.js, extension.js`);
console.log(`${page}: ${await kb(page)}, the page runtime`);
console.log(`${streamlit}: ${await kb(streamlit)}, the Streamlit component`);

/**
 * Load the AMD file as a requirejs host would, against stand-in base classes.
 *
 * @param {string} file
 */
async function check_amd(file) {
	const code = await readFile(new URL(file, root), "utf8");
	/** @type {{ deps: string[], factory: ((base: unknown) => Record<string, unknown>) | null }} */
	const defined = { deps: [], factory: null };
	new Function("define", code)((/** @type {string[]} */ deps, /** @type {any} */ factory) => {
		defined.deps = deps;
		defined.factory = factory;
	});
	const { deps, factory } = defined;
	if (!factory) throw new Error(`${file} did not call define()`);
	class DOMWidgetModel {}
	class DOMWidgetView {}
	const exports = factory({ DOMWidgetModel, DOMWidgetView });
	const ok =
		JSON.stringify(deps) === JSON.stringify([BASE]) &&
		exports.version === pkg.version &&
		Object.getPrototypeOf(exports.AnyModel) === DOMWidgetModel &&
		Object.getPrototypeOf(exports.AnyView) === DOMWidgetView;
	if (!ok) throw new Error(`${file} failed its self-check: deps ${deps}, exports ${Object.keys(exports)}`);
}
